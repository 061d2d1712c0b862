export * from './calendar-feed.entity';
export * from './calendar.service';
export * from './minutes.service';
export * from './exports.module';
export * from './minutes.messages';
