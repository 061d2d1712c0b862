import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;
import { answersWithin, HUB_CONFIG, type HubConfig, redisKeys, type RedisKeys } from '@hub/core';
import { RedisConnection } from '../redis.provider';

const REDIS_BUDGET_MS = 250;

/** One round trip, atomic: count the hit, start the window on the first, block once over the limit. */
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
if hits > tonumber(ARGV[2]) and redis.call('EXISTS', KEYS[2]) == 0 then redis.call('SET', KEYS[2], '1', 'PX', ARGV[3]) end
return { hits, redis.call('PTTL', KEYS[1]), redis.call('PTTL', KEYS[2]) }`;

/**
 * Storage for the sign-in and refresh limits, shared by every instance through Redis (otherwise N
 * instances would allow N times the attempts). Without Redis, or while it does not answer, each
 * instance counts alone, which still bounds guessing.
 */
@Injectable()
export class SharedThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly local = new ThrottlerStorageService();
  private redisFailing = false;
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: RedisConnection,
    @Inject(HUB_CONFIG) config: HubConfig,
  ) {
    this.keys = redisKeys(config.redisKeyPrefix);
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const client = this.redis.client;
    if (client?.status === 'ready') {
      try {
        const prefix = this.keys.throttle(throttlerName, key);
        const [hits, ttlLeft, blockLeft] = (await answersWithin(
          client.eval(INCREMENT, 2, prefix, `${prefix}:blocked`, ttl, limit, blockDuration),
          REDIS_BUDGET_MS,
        )) as [number, number, number];
        this.redisFailing = false;
        return {
          totalHits: hits,
          timeToExpire: Math.max(0, Math.ceil(ttlLeft / 1000)),
          isBlocked: blockLeft > 0,
          timeToBlockExpire: Math.max(0, Math.ceil(blockLeft / 1000)),
        };
      } catch (error) {
        if (!this.redisFailing)
          this.logger.warn(`counting sign-in attempts on this instance only: ${(error as Error).message}`);
        this.redisFailing = true;
      }
    }
    return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
  }

  onApplicationShutdown(): void {
    this.local.onApplicationShutdown();
  }
}
