import { Inject, Injectable, Logger } from '@nestjs/common';
import { answersWithin, DomainError, HUB_CONFIG, HubConfig, Metrics, redisKeys } from '@hub/core';
import { RedisConnection } from '../redis.provider';

/** A Redis answer slower than this counts as no answer: the request must not wait on the limiter. */
const REDIS_BUDGET_MS = 250;

/**
 * Mutations per member in a fixed window. With Redis, the count is shared by every instance (otherwise
 * N instances would allow N times the limit); without it, or while it does not answer, each instance
 * counts alone, which still bounds a member's rate.
 */
@Injectable()
export class MemberRateLimit {
  private readonly logger = new Logger('RateLimit');
  private readonly local = new Map<string, { window: number; count: number }>();
  private redisFailing = false;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly redis: RedisConnection,
    private readonly metrics: Metrics,
  ) {}

  /** Counts one mutation; RATE_LIMITED (with retryAfterSeconds) when the member is over the limit. */
  async take(memberId: string, now = Date.now()): Promise<void> {
    const { mutations, windowSeconds } = this.config.mutationRateLimit;
    const retryAfterSeconds = await this.count(`m:${memberId}`, mutations, windowSeconds, now, (window) =>
      redisKeys(this.config.redisKeyPrefix).mutationRate(memberId, window),
    );
    if (retryAfterSeconds === undefined) return;
    this.metrics.reject('mutation_rate_limited');
    throw new DomainError(
      'RATE_LIMITED',
      `Too many changes in a short time (more than ${mutations} in ${windowSeconds} seconds). Wait ${retryAfterSeconds} seconds and try again.`,
      { retryAfterSeconds, limit: 'mutations' },
    );
  }

  /** Counts one request (root field) of a service account: client apps have a budget of their own. */
  async takeServiceAccount(accountId: string, now = Date.now()): Promise<void> {
    const { requests, windowSeconds } = this.config.serviceAccountRateLimit;
    const retryAfterSeconds = await this.count(`s:${accountId}`, requests, windowSeconds, now, (window) =>
      redisKeys(this.config.redisKeyPrefix).serviceAccountRate(accountId, window),
    );
    if (retryAfterSeconds === undefined) return;
    this.metrics.reject('service_account_rate_limited');
    throw new DomainError(
      'RATE_LIMITED',
      `This service account made more than ${requests} requests in ${windowSeconds} seconds. Wait ${retryAfterSeconds} seconds and try again.`,
      { retryAfterSeconds, limit: 'serviceAccount' },
    );
  }

  /** Seconds to wait when over `max` in the current window, undefined when under it. */
  private async count(
    id: string,
    max: number,
    windowSeconds: number,
    now: number,
    key: (window: number) => string,
  ): Promise<number | undefined> {
    const windowMs = windowSeconds * 1000;
    const window = Math.floor(now / windowMs);
    const count = (await this.shared(key(window), windowMs)) ?? this.counted(id, window);
    if (count <= max) return undefined;
    return Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000));
  }

  private counted(memberId: string, window: number): number {
    const entry = this.local.get(memberId);
    if (entry?.window === window) return ++entry.count;
    if (this.local.size > 10_000) for (const [key, old] of this.local) if (old.window < window) this.local.delete(key);
    this.local.set(memberId, { window, count: 1 });
    return 1;
  }

  private async shared(key: string, windowMs: number): Promise<number | undefined> {
    const client = this.redis.client;
    if (!client || client.status !== 'ready') return undefined;
    try {
      const reply = await answersWithin(client.multi().incr(key).pexpire(key, windowMs).exec(), REDIS_BUDGET_MS);
      this.redisFailing = false;
      const count = Number(reply?.[0]?.[1]);
      return Number.isFinite(count) ? count : undefined;
    } catch (error) {
      if (!this.redisFailing) this.logger.warn(`counting mutations on this instance only: ${(error as Error).message}`);
      this.redisFailing = true;
      return undefined;
    }
  }
}
