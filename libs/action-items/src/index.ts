export * from './action-item.entity';
export * from './action-item.workflow';
export * from './action-items.policy';
export * from './action-items.service';
export * from './action-items.repository';
export * from './action-items.module';
export * from './due-dates';
