export * from './service-account.entity';
export * from './service-accounts.errors';
export * from './service-accounts.service';
export * from './api-keys.authenticator';
export * from './webhooks.service';
export * from './webhook-dispatcher';
export * from './service-accounts.module';
