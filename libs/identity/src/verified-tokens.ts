/** What the hub reads of an access token once its signature and expiry are checked. */
export interface VerifiedClaims {
  sub: string;
  sid: string;
  /** Seconds since the epoch, as in the token. */
  exp: number;
}

/**
 * Access tokens whose signature this process has already checked, with their claims, until they expire. A
 * client sends the same token with every request for its lifetime, and checking its HMAC and decoding and
 * parsing it each time was about 3 % of a read's CPU (`npm run bench -- graphql`, BENCH_PROFILE=1). Keyed
 * by the whole token, so a hit is the very string that verified; what a session may do is still the actor
 * cache's business (logout and disabling drop it there). Bounded: past `max` the least recently used goes, so a
 * crowd of sockets connecting once each costs a few hundred kilobytes at most.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, VerifiedClaims>();

  constructor(
    private readonly max = 1_000,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The claims of a token checked before and not yet expired. */
  get(token: string): VerifiedClaims | undefined {
    const claims = this.entries.get(token);
    if (!claims) return undefined;
    this.entries.delete(token);
    if (claims.exp * 1000 <= this.now()) return undefined;
    // Kept as the newest, so that what goes when the cache is full is the token least recently used.
    this.entries.set(token, claims);
    return claims;
  }

  add(token: string, claims: VerifiedClaims): void {
    if (this.max <= 0 || this.entries.has(token)) return;
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, claims);
  }
}
