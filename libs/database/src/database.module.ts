import { MikroOrmModule } from '@mikro-orm/nestjs';
import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseConfig } from '@hub/core';
import { ormOptions } from './orm.config';

@Module({})
export class DatabaseModule {
  static forRoot(db: DatabaseConfig): DynamicModule {
    return { module: DatabaseModule, imports: [MikroOrmModule.forRoot(ormOptions(db))] };
  }
}
