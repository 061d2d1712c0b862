export * from './platform.module';
export * from './redis.provider';
export * from './bootstrap';
export * from './validation.pipe';
export * from './shutdown/drain';
export * from './rate-limit/member-rate-limit';
export * from './rate-limit/shared-throttler.storage';
