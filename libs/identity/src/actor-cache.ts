import { type Actor, actorWith } from '@hub/access';

export type ActorCacheOutcome = 'hit' | 'miss' | 'invalidated';

export interface ActorCacheOptions {
  /** How long an entry is trusted without news from the bus; 0 turns the cache off. */
  ttlMs: number;
  /** Above this many entries, expired ones are swept and then the oldest dropped. */
  maxEntries?: number;
  now?: () => number;
  /** Counts each outcome (the metric); `invalidated` once per entry dropped. */
  count?: (outcome: ActorCacheOutcome, n?: number) => void;
}

interface Entry {
  memberId: string;
  /** Without the request's address and token expiry: those come from each request. */
  actor: Actor;
  expiresAt: number;
}

/**
 * The actor of a session as the database had it, kept in this process for a few seconds so that a
 * request does not read session, member, agency and memberships again. Whatever changes an actor
 * (logout, refresh-token reuse, disabling a member, a membership added, changed or removed) drops the
 * member's or session's entries on every instance through the bus, and on the writing instance right
 * after commit; the TTL bounds what a lost bus message can cost.
 *
 * A lookup that started before an invalidation is not stored: it may have read the database before
 * the change committed.
 */
export class ActorCache {
  private readonly entries = new Map<string, Entry>();
  private readonly byMember = new Map<string, Set<string>>();
  /** Bumped by every invalidation; a lookup stores its result only if it saw none. */
  private epoch = 0;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly count: (outcome: ActorCacheOutcome, n?: number) => void;

  constructor(options: ActorCacheOptions) {
    this.ttlMs = options.ttlMs;
    this.maxEntries = options.maxEntries ?? 50_000;
    this.now = options.now ?? Date.now;
    this.count = options.count ?? (() => undefined);
  }

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The session's actor from the cache, or from `load` (then kept). A refusal from `load` is never kept. */
  async get(memberId: string, sessionId: string, load: () => Promise<Actor>): Promise<Actor> {
    if (!this.enabled) return load();
    const key = keyOf(memberId, sessionId);
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > this.now()) {
      this.count('hit');
      return entry.actor;
    }
    if (entry) this.delete(key, entry);
    this.count('miss');
    const epoch = this.epoch;
    const actor = await load();
    if (epoch === this.epoch) this.store(key, memberId, actor);
    return actor;
  }

  /** The session ended (logout, refresh-token reuse). */
  forgetSession(memberId: string, sessionId: string): void {
    this.epoch++;
    const key = keyOf(memberId, sessionId);
    const entry = this.entries.get(key);
    if (entry) {
      this.delete(key, entry);
      this.count('invalidated');
    }
  }

  /** Something about the member changed: disabled, or a membership added, changed or removed. */
  forgetMember(memberId: string): void {
    this.epoch++;
    const keys = this.byMember.get(memberId);
    if (!keys) return;
    const n = keys.size;
    for (const key of [...keys]) {
      this.entries.delete(key);
      keys.delete(key);
    }
    this.byMember.delete(memberId);
    this.count('invalidated', n);
  }

  /** Everything (for example after the bus was away and may have lost messages). */
  clear(): void {
    this.epoch++;
    const n = this.entries.size;
    this.entries.clear();
    this.byMember.clear();
    if (n) this.count('invalidated', n);
  }

  private store(key: string, memberId: string, actor: Actor): void {
    // Replaced rather than deleted: `delete` turned every kept actor into a slow dictionary object.
    const kept = actorWith(actor, { ip: undefined, tokenExpiresAt: undefined });
    this.entries.delete(key); // re-inserted last: the map's order is the order of storing
    this.dropExpired();
    this.entries.set(key, { memberId, actor: kept, expiresAt: this.now() + this.ttlMs });
    let keys = this.byMember.get(memberId);
    if (!keys) this.byMember.set(memberId, (keys = new Set()));
    keys.add(key);
    if (this.entries.size > this.maxEntries) this.shrink();
  }

  /**
   * Entries expire in the order they were stored, so the expired ones are at the front of the map:
   * dropping them as new ones come costs nothing per entry and keeps no dead actor in memory
   * (one per session ever seen, otherwise: a connection's session is rarely read again).
   */
  private dropExpired(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      this.delete(key, entry);
    }
  }

  private shrink(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.delete(key, entry);
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries) break;
      this.delete(key, entry);
    }
  }

  private delete(key: string, entry: Entry): void {
    this.entries.delete(key);
    const keys = this.byMember.get(entry.memberId);
    keys?.delete(key);
    if (keys && !keys.size) this.byMember.delete(entry.memberId);
  }
}

// The token's member and session together: a session is only ever looked up for its own member.
const keyOf = (memberId: string, sessionId: string) => `${memberId}:${sessionId}`;
