export * from './indicators';
export * from './period';
export * from './national-rollup';
export * from './report-snapshot.entity';
export * from './reports.service';
export * from './report-exports.service';
export * from './report-language';
export * from './reports.module';
