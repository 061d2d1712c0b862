import { DomainError } from '@hub/core';

/** Per-socket event rate: a token bucket. A flood gets refusals, and a connection that keeps flooding is closed. */
export class SocketRateLimit {
  private tokens: number;
  private last = Date.now();
  private refusals = 0;

  constructor(
    private readonly perSecond = 20,
    private readonly burst = 40,
    /** Refusals in a row after which the socket is disconnected. */
    readonly maxRefusals = 100,
  ) {
    this.tokens = burst;
  }

  /** Throws RATE_LIMITED when the socket is over its rate; returns whether it should now be dropped. */
  take(): void {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.refusals = 0;
      return;
    }
    this.refusals++;
    throw new DomainError('RATE_LIMITED', `Too many messages: at most ${this.perSecond} a second. Slow down.`, { retryAfterSeconds: 1 });
  }

  get exhausted(): boolean {
    return this.refusals >= this.maxRefusals;
  }
}
