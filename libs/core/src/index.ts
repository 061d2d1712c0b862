export * from './config/config';
export * from './config/config.module';
export * from './errors/domain-error';
export * from './auth/public.decorator';
export * from './screening/identifier-screen';
export * from './redis/close-redis';
export * from './errors/conflict-on-duplicate';
export * from './metrics/metrics';
