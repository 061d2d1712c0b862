import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Global, Module } from '@nestjs/common';
import { HUB_CONFIG, HubConfig, redisKeys } from '@hub/core';
import { DomainEvent, EventCursor } from './domain-event.entity';
import { EVENT_BUS, MemoryEventBus, RedisEventBus } from './event-bus';
import { EventStreams } from './event-streams';
import { OutboxRelay } from './outbox-relay';
import { WriteTransaction } from './write-transaction';

/** The outbox, the bus (in-process, or Redis when REDIS_URL is set), the relay and the streams. One per process. */
@Global()
@Module({
  imports: [MikroOrmModule.forFeature([DomainEvent, EventCursor])],
  providers: [
    WriteTransaction,
    {
      provide: EVENT_BUS,
      inject: [HUB_CONFIG],
      useFactory: (config: HubConfig) =>
        config.redisUrl
          ? new RedisEventBus(config.redisUrl, redisKeys(config.redisKeyPrefix).events)
          : new MemoryEventBus(),
    },
    OutboxRelay,
    EventStreams,
  ],
  exports: [WriteTransaction, EVENT_BUS, OutboxRelay, EventStreams],
})
export class EventsModule {}
