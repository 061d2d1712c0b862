import { type Actor, AgencyKind, TaskForceRole } from '@hub/access';
import { Metrics } from '@hub/core';
import { type SystemEvent } from '../event-map';
import {
  type LiveConnectionHooks,
  type LiveSession,
  LiveSessions,
  RECHECK_BATCH,
  RECHECK_MS,
  RECHECK_PAUSE_MS,
  type SessionLookup,
} from './live-sessions';

const TF = 'tf-bucharest';
const OTHER_TF = 'tf-iasi';

function actorOf(memberId: string, sessionId: string, extra: Partial<Actor> = {}): Actor {
  return {
    memberId,
    sessionId,
    agencyId: `agency-of-${memberId}`,
    agencyKind: AgencyKind.POLICE,
    isPlatformAdmin: false,
    roles: new Map([
      [TF, TaskForceRole.MEMBER],
      [OTHER_TF, TaskForceRole.OBSERVER],
    ]),
    ip: '10.0.0.1',
    ...extra,
  };
}

/** The database as the watch sees it: live sessions and their actors; every batch read is counted. */
class FakeLookup implements SessionLookup {
  readonly live = new Map<string, Actor>();
  readonly batches: string[][] = [];

  actorFor(_memberId: string, sessionId: string): Promise<Actor> {
    const actor = this.live.get(sessionId);
    return actor ? Promise.resolve({ ...actor, ip: null }) : Promise.reject(new Error('session ended'));
  }

  liveActors(sessionIds: readonly string[]): Promise<Map<string, Actor>> {
    this.batches.push([...sessionIds]);
    const found = new Map<string, Actor>();
    for (const id of sessionIds) {
      const actor = this.live.get(id);
      if (actor) found.set(id, { ...actor, ip: null });
    }
    return Promise.resolve(found);
  }
}

/** Re-check batches the watch has timed (hub_live_recheck_duration_seconds' count). */
async function batchesTimed(metrics: Metrics): Promise<number> {
  return (await metrics.liveRecheckDuration.get()).values.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0;
}

function setup() {
  const lookup = new FakeLookup();
  const audit = { recordNow: jest.fn<Promise<void>, [unknown]>(() => Promise.resolve()) };
  let emit: (event: SystemEvent) => void = () => undefined;
  const metrics = new Metrics();
  const watch = new LiveSessions(lookup, audit, { onSystemEvent: (handler) => (emit = handler) }, metrics);
  const ends: { id: string; reason: string }[] = [];
  const changes: { id: string; actor: Actor }[] = [];
  /** A connection as a transport would register it, recording what the watch asks of it. */
  const connect = (id: string, actor: Actor, hooks: Partial<LiveConnectionHooks> = {}): LiveSession => {
    const session = watch.watch(actor, {
      end: (reason) => ends.push({ id, reason }),
      changed: (fresh) => changes.push({ id, actor: fresh }),
      ...hooks,
    });
    lookup.live.set(actor.sessionId, actorOf(actor.memberId, actor.sessionId));
    return session;
  };
  return { lookup, audit, watch, metrics, ends, changes, connect, emit: (event: SystemEvent) => emit(event) };
}

describe('LiveSessions: the one watch over live connections', () => {
  afterEach(() => jest.useRealTimers());

  it('ends every connection of a revoked session, on any transport, and no other', () => {
    const { connect, emit, ends, watch } = setup();
    connect('socket', actorOf('ana', 's1'));
    connect('graphql-ws', actorOf('ana', 's1'));
    connect('other session', actorOf('ana', 's2'));
    connect('other member', actorOf('ion', 's3'));
    emit({ type: 'session.revoked', data: { memberId: 'ana', sessionId: 's1' } });
    expect(ends).toEqual([
      { id: 'socket', reason: 'revoked' },
      { id: 'graphql-ws', reason: 'revoked' },
    ]);
    expect(watch.size).toEqual({ sessions: 2, connections: 2 });
  });

  it('ends every session of a disabled member', () => {
    const { connect, emit, ends } = setup();
    connect('a1', actorOf('ana', 's1'));
    connect('a2', actorOf('ana', 's2'));
    connect('ion', actorOf('ion', 's3'));
    emit({ type: 'member.disabled', data: { memberId: 'ana' } });
    expect(ends).toEqual([
      { id: 'a1', reason: 'disabled' },
      { id: 'a2', reason: 'disabled' },
    ]);
  });

  it('ends a connection once, however many reasons arrive', () => {
    const { connect, emit, ends } = setup();
    connect('socket', actorOf('ana', 's1'));
    emit({ type: 'member.disabled', data: { memberId: 'ana' } });
    emit({ type: 'session.revoked', data: { memberId: 'ana', sessionId: 's1' } });
    expect(ends).toEqual([{ id: 'socket', reason: 'disabled' }]);
  });

  it('ends a connection when its own access token expires, not before', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const { connect, ends } = setup();
    const session = connect('short', actorOf('ana', 's1', { tokenExpiresAt: 1_000_000 + 60_000 }));
    connect('long', actorOf('ana', 's1', { tokenExpiresAt: 1_000_000 + 120_000 }));
    connect('no expiry', actorOf('ion', 's2'));
    jest.advanceTimersByTime(59_999);
    expect(ends).toEqual([]);
    expect(session.expired).toBe(false);
    jest.advanceTimersByTime(1);
    expect(ends).toEqual([{ id: 'short', reason: 'expired' }]);
    expect(session.ended).toBe(true);
    jest.advanceTimersByTime(60_000);
    expect(ends).toEqual([
      { id: 'short', reason: 'expired' },
      { id: 'long', reason: 'expired' },
    ]);
  });

  it('stops watching a released connection: no later end, no timer left', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const { connect, emit, ends, watch } = setup();
    const session = connect('gone', actorOf('ana', 's1', { tokenExpiresAt: 1_000_000 + 1_000 }));
    session.release();
    emit({ type: 'session.revoked', data: { memberId: 'ana', sessionId: 's1' } });
    jest.advanceTimersByTime(5_000);
    expect(ends).toEqual([]);
    expect(watch.size).toEqual({ sessions: 0, connections: 0 });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('re-checks every session it holds in one batch read, each session once, whatever the connections', async () => {
    const { connect, lookup, watch } = setup();
    for (let member = 0; member < 50; member++)
      for (let socket = 0; socket < 4; socket++) connect(`m${member}-${socket}`, actorOf(`m${member}`, `s${member}`));
    await watch.recheck();
    expect(lookup.batches).toHaveLength(1);
    expect([...lookup.batches[0]].sort()).toEqual(Array.from({ length: 50 }, (_, i) => `s${i}`).sort());
  });

  it('closes the connections of sessions that ended without a bus message, with the session ended', async () => {
    const { connect, lookup, watch, ends } = setup();
    connect('a1', actorOf('ana', 's1'));
    connect('a2', actorOf('ana', 's1'));
    connect('ion', actorOf('ion', 's2'));
    lookup.live.delete('s1');
    await watch.recheck();
    expect(ends).toEqual([
      { id: 'a1', reason: 'revoked' },
      { id: 'a2', reason: 'revoked' },
    ]);
    expect(watch.size).toEqual({ sessions: 1, connections: 1 });
  });

  it('gives live sessions their memberships as they are now, keeping each connection address and token expiry', async () => {
    const { connect, lookup, watch, changes } = setup();
    const session = connect('socket', actorOf('ana', 's1', { ip: '192.0.2.7', tokenExpiresAt: Date.now() + 60_000 }));
    const before = session.actor;
    lookup.live.set('s1', actorOf('ana', 's1', { roles: new Map([[TF, TaskForceRole.COORDINATOR]]) }));
    await watch.recheck();
    expect(session.actor.roles).toEqual(new Map([[TF, TaskForceRole.COORDINATOR]]));
    expect(session.actor.ip).toBe('192.0.2.7');
    expect(session.actor.tokenExpiresAt).toBe(before.tokenExpiresAt);
    expect(changes.map((c) => c.id)).toEqual(['socket']);
    expect(session.lost(new Map([['room', { taskForceId: OTHER_TF }]]))).toEqual([['room', { taskForceId: OTHER_TF }]]);
  });

  it('leaves a session whose rights did not change as it is: the same actor, and no transport told', async () => {
    const { connect, lookup, watch, changes } = setup();
    const same = connect('same', actorOf('ana', 's1'));
    const agency = connect('agency', actorOf('ion', 's2'));
    const admin = connect('admin', actorOf('eva', 's3'));
    const held = same.actor;
    // The read gives new objects (and a new roles map) with the same rights for s1.
    lookup.live.set('s2', actorOf('ion', 's2', { agencyKind: AgencyKind.PROSECUTION }));
    lookup.live.set('s3', actorOf('eva', 's3', { isPlatformAdmin: true }));
    await watch.recheck();
    expect(same.actor).toBe(held);
    expect(changes.map((c) => c.id).sort()).toEqual(['admin', 'agency']);
    expect(agency.actor.agencyKind).toBe(AgencyKind.PROSECUTION);
    expect(admin.actor.isPlatformAdmin).toBe(true);
  });

  it('tells the transport of rights a refresh found changed, so a lost room is left even when the re-check then sees nothing new', async () => {
    const { connect, lookup, watch, changes } = setup();
    const session = connect('socket', actorOf('ana', 's1'));
    // Removed from OTHER_TF, and the bus message lost: the next join refreshes the session first.
    lookup.live.set('s1', actorOf('ana', 's1', { roles: new Map([[TF, TaskForceRole.MEMBER]]) }));
    await session.refresh();
    expect(changes.map((c) => c.id)).toEqual(['socket']);
    expect(session.lost(new Map([['room', { taskForceId: OTHER_TF }]]))).toEqual([['room', { taskForceId: OTHER_TF }]]);
    await watch.recheck();
    expect(changes).toHaveLength(1);
    // A refresh that finds the same rights tells nobody.
    await session.refresh();
    expect(changes).toHaveLength(1);
  });

  it('shares one read between overlapping re-checks, and reads nothing when it holds no session', async () => {
    const { connect, lookup, watch } = setup();
    await watch.recheck();
    expect(lookup.batches).toHaveLength(0);
    connect('socket', actorOf('ana', 's1'));
    await Promise.all([watch.recheck(), watch.recheck()]);
    expect(lookup.batches).toHaveLength(1);
    await watch.recheck();
    expect(lookup.batches).toHaveLength(2);
  });

  it('re-checks many sessions in batches a pause apart, each batch timed on its own, ending what ended', async () => {
    jest.useFakeTimers();
    const { connect, lookup, metrics, watch, ends } = setup();
    const sessions = 2 * RECHECK_BATCH + 1;
    for (let i = 0; i < sessions; i++) connect(`socket ${i}`, actorOf(`m${i}`, `s${i}`));
    lookup.live.delete(`s${sessions - 1}`);
    const round = watch.recheck();
    await jest.advanceTimersByTimeAsync(0);
    expect(lookup.batches.map((b) => b.length)).toEqual([RECHECK_BATCH]);
    await jest.advanceTimersByTimeAsync(RECHECK_PAUSE_MS - 1);
    expect(lookup.batches).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(lookup.batches).toHaveLength(2);
    // A re-check asked for meanwhile is the same round; a session that joins meanwhile waits for the next.
    const again = watch.recheck();
    connect('late', actorOf('late', 's-late'));
    expect(ends).toEqual([]);
    await jest.advanceTimersByTimeAsync(RECHECK_PAUSE_MS);
    await Promise.all([round, again]);
    expect(lookup.batches.map((b) => b.length)).toEqual([RECHECK_BATCH, RECHECK_BATCH, 1]);
    expect(new Set(lookup.batches.flat()).size).toBe(sessions);
    expect(lookup.batches.flat()).not.toContain('s-late');
    expect(ends).toEqual([{ id: `socket ${sessions - 1}`, reason: 'revoked' }]);
    expect(await batchesTimed(metrics)).toBe(3);
    const next = watch.recheck();
    await jest.advanceTimersByTimeAsync(3 * RECHECK_PAUSE_MS);
    await next;
    expect(lookup.batches.slice(3).flat()).toContain('s-late');
  });

  it('brings the batches closer when a round of a second each would outlast half a period', async () => {
    jest.useFakeTimers();
    const { connect, lookup, watch } = setup();
    const batches = Math.floor(RECHECK_MS / 2 / RECHECK_PAUSE_MS) + 1;
    for (let i = 0; i < batches * RECHECK_BATCH; i++) connect(`socket ${i}`, actorOf(`m${i}`, `s${i}`));
    const pause = RECHECK_MS / 2 / batches;
    expect(pause).toBeLessThan(RECHECK_PAUSE_MS);
    const round = watch.recheck();
    await jest.advanceTimersByTimeAsync(0);
    await jest.advanceTimersByTimeAsync(Math.floor(pause) - 1);
    expect(lookup.batches).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(2);
    expect(lookup.batches).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(RECHECK_MS / 2);
    await round;
    expect(lookup.batches).toHaveLength(batches);
  });

  it('goes on with the next batch when one fails, so its sessions are not left for the next round', async () => {
    jest.useFakeTimers();
    const { connect, lookup, watch, ends } = setup();
    for (let i = 0; i <= RECHECK_BATCH; i++) connect(`socket ${i}`, actorOf(`m${i}`, `s${i}`));
    lookup.live.delete(`s${RECHECK_BATCH}`);
    const read = lookup.liveActors.bind(lookup);
    let calls = 0;
    lookup.liveActors = (ids) => (++calls === 1 ? Promise.reject(new Error('connection reset')) : read(ids));
    const round = watch.recheck();
    await jest.advanceTimersByTimeAsync(RECHECK_PAUSE_MS);
    await round;
    expect(calls).toBe(2);
    expect(ends).toEqual([{ id: `socket ${RECHECK_BATCH}`, reason: 'revoked' }]);
  });

  it('cuts a paused round short when the module is destroyed, and waits for the batch in flight', async () => {
    jest.useFakeTimers();
    const { connect, lookup, watch } = setup();
    for (let i = 0; i <= RECHECK_BATCH; i++) connect(`socket ${i}`, actorOf(`m${i}`, `s${i}`));
    const round = watch.recheck();
    await jest.advanceTimersByTimeAsync(0);
    // Destroyed during the pause: it resolves without the timer advancing, and the second batch never runs.
    await watch.onModuleDestroy();
    await round;
    expect(lookup.batches).toHaveLength(1);

    const busy = setup();
    busy.connect('socket', actorOf('ana', 's1'));
    let answer: (found: Map<string, Actor>) => void = () => undefined;
    busy.lookup.liveActors = () => new Promise((resolve) => (answer = resolve));
    void busy.watch.recheck();
    let destroyed = false;
    const destroying = busy.watch.onModuleDestroy().then(() => (destroyed = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(destroyed).toBe(false);
    answer(new Map());
    await destroying;
    expect(busy.ends).toEqual([{ id: 'socket', reason: 'revoked' }]);
  });

  it('counts each batch that re-checked sessions, with its time and the CPU while it ran, also when it failed', async () => {
    const { connect, lookup, metrics, watch } = setup();
    // 3 ms of user and 1 ms of system CPU per batch, as process.cpuUsage(previous) reports a difference.
    const usage = jest
      .spyOn(process, 'cpuUsage')
      .mockImplementation((previous) => (previous ? { user: 3_000, system: 1_000 } : { user: 0, system: 0 }));
    try {
      await watch.recheck();
      expect(await batchesTimed(metrics)).toBe(0);
      connect('socket', actorOf('ana', 's1'));
      await watch.recheck();
      lookup.liveActors = () => Promise.reject(new Error('connection refused'));
      await watch.recheck();
    } finally {
      usage.mockRestore();
    }
    expect(await batchesTimed(metrics)).toBe(2);
    const cpu = (await metrics.liveRecheckCpu.get()).values;
    expect(cpu.find((v) => v.metricName?.endsWith('_sum'))?.value).toBeCloseTo(0.008, 9);
    expect(cpu.find((v) => v.metricName?.endsWith('_bucket') && v.labels.le === 0.005)?.value).toBe(2);
  });

  it('keeps serving when a re-check cannot reach the database', async () => {
    const { connect, lookup, watch, ends } = setup();
    connect('socket', actorOf('ana', 's1'));
    lookup.liveActors = () => Promise.reject(new Error('connection refused'));
    await expect(watch.recheck()).resolves.toBeUndefined();
    expect(ends).toEqual([]);
  });

  it("takes a removed member's task force away at once, from each of their connections, and tells the transports", () => {
    const { connect, watch, changes } = setup();
    const socket = connect('socket', actorOf('ana', 's1'));
    const subscription = connect('subscription', actorOf('ana', 's2'));
    const other = connect('ion', actorOf('ion', 's3'));
    watch.memberLeft(TF, 'ana');
    expect(socket.actor.roles.has(TF)).toBe(false);
    expect(subscription.actor.roles.has(TF)).toBe(false);
    expect(socket.actor.roles.has(OTHER_TF)).toBe(true);
    expect(other.actor.roles.has(TF)).toBe(true);
    expect(changes.map((c) => c.id)).toEqual(['socket', 'subscription']);
    const joined = new Map([
      ['task-force room', { taskForceId: TF }],
      ['meeting room', { taskForceId: TF, meetingId: 'm1' }],
      ['other room', { taskForceId: OTHER_TF }],
    ]);
    expect(socket.lost(joined).map(([room]) => room)).toEqual(['task-force room', 'meeting room']);
  });

  it('refreshes one connection on demand, and lets the caller answer when the session has ended', async () => {
    const { connect, lookup, ends } = setup();
    const session = connect('socket', actorOf('ana', 's1', { ip: '192.0.2.7' }));
    lookup.live.set('s1', actorOf('ana', 's1', { roles: new Map() }));
    await expect(session.refresh()).resolves.toMatchObject({ roles: new Map(), ip: '192.0.2.7' });
    lookup.live.delete('s1');
    await expect(session.refresh()).rejects.toThrow('session ended');
    expect(ends).toEqual([]);
  });

  it('audits a join with who, where, from which address and from which cursor', async () => {
    const { connect, audit } = setup();
    const session = connect('socket', actorOf('ana', 's1', { ip: '192.0.2.7' }));
    session.recordJoin('live.roomJoined', { taskForceId: TF, meetingId: 'm1', after: 12 });
    session.recordJoin('live.subscribed', { taskForceId: TF });
    audit.recordNow.mockRejectedValueOnce(new Error('database down'));
    session.recordJoin('live.subscribed', { taskForceId: OTHER_TF });
    await Promise.resolve();
    expect(audit.recordNow.mock.calls.map(([entry]) => entry)).toEqual([
      {
        action: 'live.roomJoined',
        actorId: 'ana',
        taskForceId: TF,
        subjectType: 'Meeting',
        subjectId: 'm1',
        ip: '192.0.2.7',
        details: { after: 12 },
      },
      {
        action: 'live.subscribed',
        actorId: 'ana',
        taskForceId: TF,
        subjectType: 'TaskForce',
        subjectId: TF,
        ip: '192.0.2.7',
        details: { after: null },
      },
      expect.objectContaining({ action: 'live.subscribed', taskForceId: OTHER_TF }),
    ]);
  });
});
