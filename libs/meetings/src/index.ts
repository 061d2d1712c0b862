export * from './meeting.entity';
export * from './meetings.policy';
export * from './meetings.service';
export * from './meetings.repository';
export * from './meetings.module';
export * from './series-rule';
