import { DynamicModule, Global, Module, Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ConfigModule, HubConfig, MetricsModule } from '@hub/core';
import { DatabaseModule } from '@hub/database';
import { EventsModule } from '@hub/events';
import { ConnectionCaps } from './connections/connection-caps';
import { HealthController } from './health/health.controller';
import { HttpErrorFilter } from './http-error.filter';
import { RedisConnection } from './redis.provider';
import { Drain } from './shutdown/drain';
import { MemberRateLimit } from './rate-limit/member-rate-limit';
import { SharedThrottlerStorage } from './rate-limit/shared-throttler.storage';
import { HubLogger, ROOT_LOGGER, rootLogger } from './observability/logging';
import { MetricsController } from './observability/metrics.controller';
import { RuntimeMetrics } from './observability/runtime-metrics';

/** What every deployable needs: validated config, the database, Redis when configured, health. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: HubConfig): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule,
        DatabaseModule.forRoot(config.database),
        EventsModule,
        TerminusModule.forRoot({ logger: false }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        RedisConnection,
        Drain,
        { provide: ROOT_LOGGER, useFactory: () => rootLogger(config.logLevel) },
        HubLogger,
        RuntimeMetrics,
        ConnectionCaps,
        MemberRateLimit,
        SharedThrottlerStorage,
        { provide: APP_FILTER, useFactory: () => new HttpErrorFilter(config.bodyLimitKb) },
      ],
      exports: [RedisConnection, Drain, MemberRateLimit, SharedThrottlerStorage, ConnectionCaps],
    };
  }
}

@Module({})
class RootModule {}

/** A deployable: the platform plus the feature modules it serves (api, gateway, or both). */
export function composeRoot(config: HubConfig, features: Type[]): DynamicModule {
  return { module: RootModule, imports: [PlatformModule.forRoot(config), ...features] };
}
