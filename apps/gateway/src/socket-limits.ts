import { DomainError } from '@hub/core';

/** The rate every socket gets; one object for all of them. */
export interface SocketRate {
  perSecond: number;
  burst: number;
  /** Refusals within `windowMs` after which the socket is flooding. */
  maxRefusals: number;
  windowMs: number;
}

const DEFAULT_RATE: SocketRate = Object.freeze({ perSecond: 20, burst: 40, maxRefusals: 200, windowMs: 10_000 });

/**
 * Per-socket event rate: a token bucket. Over the rate, a message is refused; a socket refused more
 * than `maxRefusals` times within `windowMs` is flooding and gets disconnected. Only the bucket's
 * state is per socket.
 */
export class SocketRateLimit {
  private tokens: number;
  private last = Date.now();
  private windowStart = Date.now();
  private refusals = 0;

  constructor(private readonly rate: SocketRate = DEFAULT_RATE) {
    this.tokens = rate.burst;
  }

  get maxRefusals(): number {
    return this.rate.maxRefusals;
  }

  /** Takes one message's worth; throws RATE_LIMITED when the socket is over its rate. */
  take(): void {
    const { perSecond, burst, windowMs } = this.rate;
    const now = Date.now();
    this.tokens = Math.min(burst, this.tokens + ((now - this.last) / 1000) * perSecond);
    this.last = now;
    if (now - this.windowStart > windowMs) {
      this.windowStart = now;
      this.refusals = 0;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return;
    }
    this.refusals++;
    throw new DomainError('RATE_LIMITED', `Too many messages: at most ${perSecond} a second. Slow down.`, {
      retryAfterSeconds: 1,
    });
  }

  /** Refused too often in the current window: the socket is flooding. */
  get exhausted(): boolean {
    return this.refusals >= this.rate.maxRefusals;
  }
}
