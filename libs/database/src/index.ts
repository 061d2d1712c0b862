export * from './entities';
export * from './orm.config';
export * from './database';
export * from './database.module';
export * from './seeders/demo.data';
export { seedHistory } from './seeders/demo-history.seeder';
export * from './sqlite-file';
export * from './backup';
