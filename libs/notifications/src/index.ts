export * from './notification.entity';
export * from './notifications.service';
export * from './notifications.errors';
export * from './notification-feed';
export * from './notifier';
export * from './reminder-steps';
export * from './reminder-sweep';
export * from './notifications.module';
