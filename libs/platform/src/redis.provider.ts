import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { closeRedis, HUB_CONFIG, HubConfig } from '@hub/core';
import Redis from 'ioredis';

/** One Redis connection for checks and commands; absent when REDIS_URL is not set. */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  readonly client?: Redis;

  constructor(@Inject(HUB_CONFIG) config: HubConfig) {
    if (config.redisUrl) {
      // A command waits for the connection at most one retry; callers add their own timeout.
      // A short disconnectTimeout: a socket that never connected would otherwise hold the process 2 s at shutdown.
      this.client = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, disconnectTimeout: 100 });
      this.client.on('error', () => undefined); // readiness reports it; do not crash on a dropped connection
      this.client.connect().catch(() => undefined);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.client) await closeRedis(this.client);
  }
}
