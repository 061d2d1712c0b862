import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { HUB_CONFIG, HubConfig } from '@hub/core';
import Redis from 'ioredis';

/** One Redis connection for checks and commands; absent when REDIS_URL is not set. */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  readonly client?: Redis;

  constructor(@Inject(HUB_CONFIG) config: HubConfig) {
    if (config.redisUrl) {
      // Fail fast per command instead of queueing forever while Redis is down.
      this.client = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
      this.client.on('error', () => undefined); // readiness reports it; do not crash on a dropped connection
      this.client.connect().catch(() => undefined);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.client) return;
    await this.client.quit().catch(() => this.client?.disconnect());
  }
}
