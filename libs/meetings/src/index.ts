export * from './meeting.entity';
export * from './meetings.service';
export * from './meetings.module';
