import { DynamicModule, Global, Module, Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ConfigModule, HubConfig } from '@hub/core';
import { DatabaseModule } from '@hub/database';
import { EventsModule } from '@hub/events';
import { HealthController } from './health/health.controller';
import { DomainErrorFilter } from './domain-error.filter';
import { RedisConnection } from './redis.provider';
import { Drain } from './shutdown/drain';

/** What every deployable needs: validated config, the database, Redis when configured, health. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: HubConfig): DynamicModule {
    return {
      module: PlatformModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(config.database), EventsModule, TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [RedisConnection, Drain, { provide: APP_FILTER, useClass: DomainErrorFilter }],
      exports: [RedisConnection, Drain],
    };
  }
}

@Module({})
class RootModule {}

/** A deployable: the platform plus the feature modules it serves (api, gateway, or both). */
export function composeRoot(config: HubConfig, features: Type[]): DynamicModule {
  return { module: RootModule, imports: [PlatformModule.forRoot(config), ...features] };
}
