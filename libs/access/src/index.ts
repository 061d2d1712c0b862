export * from './vocabulary';
export * from './access.table';
export * from './access.policy';
