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
    const windowMs = windowSeconds * 1000;
    const window = Math.floor(now / windowMs);
    const count = (await this.shared(memberId, window, windowMs)) ?? this.counted(memberId, window);
    if (count <= mutations) return;
    const retryAfterSeconds = Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000));
    this.metrics.reject('mutation_rate_limited');
    throw new DomainError(
      'RATE_LIMITED',
      `Too many changes in a short time (more than ${mutations} in ${windowSeconds} seconds). Wait ${retryAfterSeconds} seconds and try again.`,
      { retryAfterSeconds, limit: 'mutations' },
    );
  }

  private counted(memberId: string, window: number): number {
    const entry = this.local.get(memberId);
    if (entry?.window === window) return ++entry.count;
    if (this.local.size > 10_000) for (const [key, old] of this.local) if (old.window < window) this.local.delete(key);
    this.local.set(memberId, { window, count: 1 });
    return 1;
  }

  private async shared(memberId: string, window: number, windowMs: number): Promise<number | undefined> {
    const client = this.redis.client;
    if (!client || client.status !== 'ready') return undefined;
    const key = redisKeys(this.config.redisKeyPrefix).mutationRate(memberId, window);
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
