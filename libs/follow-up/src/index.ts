export * from './follow-up.service';
export * from './follow-up.module';
