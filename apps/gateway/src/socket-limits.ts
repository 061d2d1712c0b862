import { DomainError } from '@hub/core';

/**
 * Per-socket event rate: a token bucket. Over the rate, a message is refused; a socket refused more
 * than `maxRefusals` times within `windowMs` is flooding and gets disconnected.
 */
export class SocketRateLimit {
  private tokens: number;
  private last = Date.now();
  private windowStart = Date.now();
  private refusals = 0;

  constructor(
    private readonly perSecond = 20,
    private readonly burst = 40,
    readonly maxRefusals = 200,
    private readonly windowMs = 10_000,
  ) {
    this.tokens = burst;
  }

  /** Takes one message's worth; throws RATE_LIMITED when the socket is over its rate. */
  take(): void {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (now - this.windowStart > this.windowMs) {
      this.windowStart = now;
      this.refusals = 0;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return;
    }
    this.refusals++;
    throw new DomainError('RATE_LIMITED', `Too many messages: at most ${this.perSecond} a second. Slow down.`, {
      retryAfterSeconds: 1,
    });
  }

  /** Refused too often in the current window: the socket is flooding. */
  get exhausted(): boolean {
    return this.refusals >= this.maxRefusals;
  }
}
