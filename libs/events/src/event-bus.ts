import { Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { closeRedis } from '@hub/core';
import Redis from 'ioredis';
import { type BusMessage } from './event-map';

export const EVENT_BUS = Symbol('EVENT_BUS');

/** Carries committed events from the instance that wrote them to every instance that delivers them. */
export interface EventBus {
  publish(message: BusMessage): Promise<void>;
  subscribe(handler: (message: BusMessage) => void): void;
  close(): Promise<void>;
}

/** One instance: the embedded default. */
export class MemoryEventBus implements EventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  async publish(message: BusMessage): Promise<void> {
    // Delivered on the next tick, like a real bus: publishers never run subscribers' code inline.
    setImmediate(() => this.emitter.emit('message', message));
  }

  subscribe(handler: (message: BusMessage) => void): void {
    this.emitter.on('message', handler);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

/**
 * Several instances: Redis pub/sub. Publishing fails fast while Redis is down, so the relay keeps
 * the events in the outbox and retries; subscribers that missed messages fill gaps from the database.
 */
export class RedisEventBus implements EventBus {
  private readonly logger = new Logger('EventBus');
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly handlers: ((message: BusMessage) => void)[] = [];

  /** `channel` comes from redisKeys (REDIS_KEY_PREFIX), so hubs sharing a Redis stay apart. */
  constructor(
    url: string,
    private readonly channel: string,
  ) {
    const options = { maxRetriesPerRequest: 1, enableOfflineQueue: false, disconnectTimeout: 100, lazyConnect: true };
    this.publisher = new Redis(url, options);
    this.subscriber = new Redis(url, { ...options, enableOfflineQueue: true, maxRetriesPerRequest: null });
    // One line when Redis goes away and one when it is back, not one per reconnect attempt.
    for (const [name, client] of [
      ['publisher', this.publisher],
      ['subscriber', this.subscriber],
    ] as const) {
      let down = false;
      client.on('error', (error: Error) => {
        if (!down) this.logger.warn(`Redis ${name}: ${error.message}; retrying`);
        down = true;
      });
      client.on('ready', () => {
        if (down) this.logger.log(`Redis ${name}: connected again`);
        down = false;
      });
    }
    this.subscriber.on('message', (_channel, raw: string) => {
      let message: BusMessage;
      try {
        message = JSON.parse(raw) as BusMessage;
      } catch {
        return;
      }
      for (const handler of this.handlers) handler(message);
    });
    this.publisher.connect().catch(() => undefined);
    // ioredis re-subscribes by itself after a reconnect.
    this.subscriber
      .connect()
      .then(() => this.subscriber.subscribe(this.channel))
      .catch(() => undefined);
  }

  async publish(message: BusMessage): Promise<void> {
    await this.publisher.publish(this.channel, JSON.stringify(message));
  }

  subscribe(handler: (message: BusMessage) => void): void {
    this.handlers.push(handler);
  }

  async close(): Promise<void> {
    await Promise.all([closeRedis(this.publisher), closeRedis(this.subscriber)]);
  }
}
