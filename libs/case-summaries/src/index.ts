export * from './case-summary.entity';
export * from './case-summaries.service';
export * from './case-summaries.repository';
export * from './case-summaries.module';
