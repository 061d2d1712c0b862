import { type Actor, AgencyKind, TaskForceRole } from '@hub/access';
import { type BusMessage, type EventBus } from '@hub/events';
import { ActorCache, type ActorCacheOutcome } from './actor-cache';
import { ActorCacheListener } from './actor-cache.listener';

const actorOf = (memberId: string, sessionId: string, role = TaskForceRole.MEMBER): Actor => ({
  memberId,
  sessionId,
  agencyId: 'agency-1',
  agencyKind: AgencyKind.POLICE,
  isPlatformAdmin: false,
  roles: new Map([['tf-1', role]]),
  ip: '10.0.0.1',
  tokenExpiresAt: 1_000,
});

/** A cache on a hand-driven clock, with a database that counts its reads and answers what `rows` says now. */
function setUp(ttlMs = 5_000) {
  let now = 0;
  const counts: Record<ActorCacheOutcome, number> = { hit: 0, miss: 0, invalidated: 0 };
  const cache = new ActorCache({ ttlMs, now: () => now, count: (outcome, n = 1) => (counts[outcome] += n) });
  const rows = new Map<string, TaskForceRole>();
  let reads = 0;
  const load = (memberId: string, sessionId: string) => () => {
    reads++;
    return Promise.resolve(actorOf(memberId, sessionId, rows.get(memberId) ?? TaskForceRole.MEMBER));
  };
  const lookup = (memberId: string, sessionId: string) => cache.get(memberId, sessionId, load(memberId, sessionId));
  return {
    cache,
    counts,
    rows,
    lookup,
    reads: () => reads,
    advance: (ms: number) => (now += ms),
  };
}

const bus = (): EventBus & { send(message: BusMessage): void } => {
  const handlers: ((message: BusMessage) => void)[] = [];
  return {
    publish: () => Promise.resolve(),
    subscribe: (handler) => void handlers.push(handler),
    close: () => Promise.resolve(),
    send: (message) => handlers.forEach((handler) => handler(message)),
  };
};

const membershipEvent = (
  type: 'membership.added' | 'membership.roleChanged' | 'membership.removed',
  memberId: string,
): BusMessage =>
  ({
    kind: 'event',
    meetingId: null,
    envelope: {
      type,
      taskForceId: 'tf-1',
      cursor: 7,
      at: new Date(0).toISOString(),
      actorId: 'coordinator',
      data: { membershipId: 'ms-1', memberId, role: 'OBSERVER' },
    },
  }) as BusMessage;

describe('ActorCache', () => {
  it('reads the database once, then answers from memory until the TTL runs out', async () => {
    const { lookup, reads, counts, advance } = setUp(5_000);
    const first = await lookup('m1', 's1');
    advance(4_999);
    const second = await lookup('m1', 's1');
    expect(reads()).toBe(1);
    expect(second.roles).toEqual(first.roles);
    expect(counts).toEqual({ hit: 1, miss: 1, invalidated: 0 });
    advance(1);
    await lookup('m1', 's1');
    expect(reads()).toBe(2);
    expect(counts).toMatchObject({ hit: 1, miss: 2 });
  });

  it('keeps neither the address nor the token expiry of the request that filled it', async () => {
    const { lookup } = setUp();
    await lookup('m1', 's1');
    const cached = await lookup('m1', 's1');
    expect(cached.ip).toBeUndefined();
    expect(cached.tokenExpiresAt).toBeUndefined();
  });

  it('does not hold expired actors: each new entry drops the ones whose TTL has run out', async () => {
    const { cache, lookup, advance } = setUp(1_000);
    await lookup('m1', 's1');
    await lookup('m2', 's2');
    advance(600);
    await lookup('m3', 's3');
    expect(cache.size).toBe(3);
    advance(500); // m1 and m2 expired, m3 not yet
    await lookup('m4', 's4');
    expect(cache.size).toBe(2);
  });

  it('keys by member and session: another session of the same member, or another member, reads the database', async () => {
    const { lookup, reads } = setUp();
    await lookup('m1', 's1');
    await lookup('m1', 's2');
    await lookup('m2', 's1');
    expect(reads()).toBe(3);
    expect((await lookup('m1', 's2')).sessionId).toBe('s2');
    expect(reads()).toBe(3);
  });

  it('forgets one session on session.revoked, and keeps the member’s other sessions', async () => {
    const { cache, lookup, reads, counts } = setUp();
    const events = bus();
    new ActorCacheListener(cache, events).onApplicationBootstrap();
    await lookup('m1', 's1');
    await lookup('m1', 's2');
    events.send({ kind: 'system', type: 'session.revoked', data: { memberId: 'm1', sessionId: 's1' } });
    expect(counts.invalidated).toBe(1);
    await lookup('m1', 's1');
    await lookup('m1', 's2');
    expect(reads()).toBe(3);
  });

  it('forgets every session of a member on member.disabled', async () => {
    const { cache, lookup, reads, counts } = setUp();
    const events = bus();
    new ActorCacheListener(cache, events).onApplicationBootstrap();
    await lookup('m1', 's1');
    await lookup('m1', 's2');
    await lookup('m2', 's3');
    events.send({ kind: 'system', type: 'member.disabled', data: { memberId: 'm1' } });
    expect(counts.invalidated).toBe(2);
    expect(cache.size).toBe(1);
    await lookup('m2', 's3');
    expect(reads()).toBe(3);
  });

  it.each(['membership.added', 'membership.roleChanged', 'membership.removed'] as const)(
    'forgets the member on %s, so the next lookup sees the new role',
    async (type) => {
      const { cache, lookup, rows, counts } = setUp();
      const events = bus();
      new ActorCacheListener(cache, events).onApplicationBootstrap();
      await lookup('m1', 's1');
      await lookup('m2', 's2');
      rows.set('m1', TaskForceRole.OBSERVER);
      expect((await lookup('m1', 's1')).roles.get('tf-1')).toBe(TaskForceRole.MEMBER); // not told yet
      events.send(membershipEvent(type, 'm1'));
      expect(counts.invalidated).toBe(1);
      expect((await lookup('m1', 's1')).roles.get('tf-1')).toBe(TaskForceRole.OBSERVER);
      expect(cache.size).toBe(2);
    },
  );

  it('ignores other events, and a membership event whose data was withheld', async () => {
    const { cache, lookup, reads } = setUp();
    const events = bus();
    new ActorCacheListener(cache, events).onApplicationBootstrap();
    await lookup('m1', 's1');
    const withheld = membershipEvent('membership.removed', 'm1') as Extract<BusMessage, { kind: 'event' }>;
    events.send({ ...withheld, envelope: { ...withheld.envelope, data: null } } as BusMessage);
    events.send({ ...withheld, envelope: { ...withheld.envelope, type: 'meeting.scheduled' } } as BusMessage);
    await lookup('m1', 's1');
    expect(reads()).toBe(1);
  });

  it('does not keep what a lookup read before an invalidation that arrived while it was reading', async () => {
    const { cache, counts } = setUp();
    let finish!: (actor: Actor) => void;
    const slow = cache.get('m1', 's1', () => new Promise<Actor>((resolve) => (finish = resolve)));
    cache.forgetMember('m1'); // the change committed while the read was in flight
    finish(actorOf('m1', 's1', TaskForceRole.COORDINATOR));
    expect((await slow).roles.get('tf-1')).toBe(TaskForceRole.COORDINATOR);
    expect(cache.size).toBe(0);
    expect(counts.invalidated).toBe(0); // nothing was cached to drop
  });

  it('never keeps a refusal: an ended session is read again next time', async () => {
    const { cache } = setUp();
    let reads = 0;
    const refuse = () => {
      reads++;
      return Promise.reject(new Error('session ended'));
    };
    await expect(cache.get('m1', 's1', refuse)).rejects.toThrow('session ended');
    await expect(cache.get('m1', 's1', refuse)).rejects.toThrow('session ended');
    expect(reads).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('with a TTL of 0 reads the database every time and keeps nothing', async () => {
    const { cache, lookup, reads, counts } = setUp(0);
    expect(cache.enabled).toBe(false);
    await lookup('m1', 's1');
    await lookup('m1', 's1');
    expect(reads()).toBe(2);
    expect(cache.size).toBe(0);
    expect(counts).toEqual({ hit: 0, miss: 0, invalidated: 0 });
  });

  it('stays within its size: expired entries go first, then the oldest', async () => {
    let now = 0;
    const cache = new ActorCache({ ttlMs: 1_000, maxEntries: 2, now: () => now });
    const load = (m: string, s: string) => () => Promise.resolve(actorOf(m, s));
    await cache.get('m1', 's1', load('m1', 's1'));
    now = 600;
    await cache.get('m2', 's2', load('m2', 's2'));
    await cache.get('m3', 's3', load('m3', 's3'));
    expect(cache.size).toBe(2);
    let reads = 0;
    const counted = (m: string, s: string) => () => (reads++, load(m, s)());
    await cache.get('m1', 's1', counted('m1', 's1')); // the oldest (m1) was dropped; now m2 goes
    expect(reads).toBe(1);
    await cache.get('m3', 's3', counted('m3', 's3'));
    expect(reads).toBe(1);
    now = 1_700; // m3 and m1 (stored at 600) have expired: both swept when m4 arrives
    await cache.get('m4', 's4', counted('m4', 's4'));
    expect(cache.size).toBe(1);
  });
});
