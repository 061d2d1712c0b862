import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { AuditModule } from '@hub/audit';
import { IdentityModule } from '@hub/identity';
import { ApiKeysAuthenticator } from './api-keys.authenticator';
import { ServiceAccountsService } from './service-accounts.service';
import { ApiKey, ServiceAccount, WebhookDelivery, WebhookEndpoint } from './service-account.entity';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhooksService } from './webhooks.service';

/**
 * Client apps: service accounts, their API keys (accepted by every transport once this module is
 * loaded) and thin webhooks. Every deployable that authenticates requests imports it.
 */
@Module({
  imports: [
    MikroOrmModule.forFeature([ServiceAccount, ApiKey, WebhookEndpoint, WebhookDelivery]),
    IdentityModule,
    AuditModule,
  ],
  providers: [ServiceAccountsService, ApiKeysAuthenticator, WebhooksService, WebhookDispatcher],
  exports: [ServiceAccountsService, WebhooksService, WebhookDispatcher],
})
export class ServiceAccountsModule {}
