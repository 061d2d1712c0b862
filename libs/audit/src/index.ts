export * from './audit-record.entity';
export * from './audit.service';
export * from './audit.module';
