import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client as WsClient } from 'graphql-ws';
import { Client as PgClient } from 'pg';
import type { Socket } from 'socket.io-client';
import { scratchDatabase, type ScratchDatabase } from '../utils/database';
import { GraphQLClient } from '../utils/graphql-client';
import { run, type Running, start } from '../utils/process';
import { redisServer, type RedisServer } from '../utils/redis-server';
import { connectSocket } from '../utils/socket-client';
import { subscribe, type Subscribed, subscriptionClient } from '../utils/subscription-client';
import { sleep, waitUntil } from '../utils/wait';

/**
 * Scale-out as the design describes it: two api and two gateway processes sharing one PostgreSQL
 * database and one Redis (this suite's own redis-server, never the machine's). Events written on
 * api 1 reach sockets on either gateway and graphql-ws subscribers on api 2 exactly once and in
 * cursor order, through a gateway crash and a Redis restart.
 */

const SECRET = 'scale-out-test-secret-scale-out-test-secret-42';
const PASSWORD = 'demo-password-1234';
const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }';
const SCHEDULE = 'mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }';
const EVENTS =
  'subscription($tf: ID!, $after: Int) { taskForceEvents(taskForceId: $tf, after: $after) { type cursor taskForceId } }';
/** Longer than the streams' 2 s database poll: a duplicate or late event would show up within it. */
const SETTLE_MS = 2_500;

interface Seen {
  cursor: number;
  type: string;
  /** Date.now() when the client got it. */
  at: number;
}
interface LiveEvent {
  type: string;
  cursor: number;
  taskForceId: string;
}

/** How many PUBLISH commands this Redis has run since it started (its stats reset on restart). */
async function publishCalls(redis: RedisServer): Promise<number> {
  const stats = await redis.info('commandstats');
  return Number(/calls=(\d+)/.exec(stats.cmdstat_publish ?? '')?.[1] ?? 0);
}

/** from+1 … to */
const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + 1 + i);

function summary(cursors: number[]): string {
  const counts = new Map<number, number>();
  for (const cursor of cursors) counts.set(cursor, (counts.get(cursor) ?? 0) + 1);
  const duplicates = [...counts].filter(([, n]) => n > 1).map(([c]) => c);
  const sorted = [...counts.keys()].sort((a, b) => a - b);
  const gaps = sorted.length ? range(sorted[0] - 1, sorted.at(-1)!).filter((c) => !counts.has(c)) : [];
  return `${cursors.length} events, last ${cursors.at(-1)}, duplicates [${duplicates}], gaps [${gaps}]`;
}

describe('scale-out: two api and two gateway processes sharing PostgreSQL and Redis', () => {
  let redis: RedisServer | undefined;
  let db: ScratchDatabase | undefined;
  let pg: PgClient | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-scale-'));
  const processes: Record<'api1' | 'api2' | 'gateway1' | 'gateway2', Running | undefined> = {
    api1: undefined,
    api2: undefined,
    gateway1: undefined,
    gateway2: undefined,
  };
  const sockets: Socket[] = [];
  let ws: WsClient | undefined;

  let api1: GraphQLClient;
  let coordinator: string;
  let police: string;
  let ngo: string;
  let court: string;
  let taskForceId: string;
  /** The task force's cursor before this suite's first mutation. */
  let base: number;
  let mutations = 0;

  /** Socket A: police.buc, first on gateway 2, then (after gateway 2 dies) on gateway 1. */
  const seenByA: Seen[] = [];
  const aDisconnects: string[] = [];
  let socketA: Socket;
  /** Socket B: court.buc on gateway 1 for the whole suite, a witness that never moves. */
  const seenByB: Seen[] = [];
  const bDisconnects: string[] = [];
  /** Subscriber S: ngo.buc, graphql-ws on api 2. */
  let subscriberS: Subscribed<LiveEvent>;
  let sClosed: string | undefined;

  const cursors = (seen: { cursor: number }[]) => seen.map((e) => e.cursor);
  const everyOutput = () =>
    Object.entries(processes)
      .map(([name, p]) => `----- ${name} -----\n${p?.output() ?? '(not started)'}`)
      .join('\n') + `\n----- redis -----\n${redis?.output() ?? ''}`;
  /** On failure, the processes' own account is the first thing to read. */
  const withLogs = (body: () => Promise<void>) => async () => {
    try {
      await body();
    } catch (error) {
      console.log(`scale-out failed; process output follows\n${everyOutput()}`);
      throw error;
    }
  };

  async function signIn(url: string, email: string): Promise<string> {
    const { login } = await new GraphQLClient(`${url}/graphql`).data(LOGIN, { e: email, p: PASSWORD });
    return login.accessToken;
  }

  /** One mutation on api 1: one meeting.scheduled event. Returns when the HTTP call returned. */
  async function mutate(label: string): Promise<{ sentAt: number; doneAt: number }> {
    const n = ++mutations;
    const startsAt = new Date(Date.now() + 86_400_000 + n * 60_000);
    const sentAt = Date.now();
    await api1.data(
      SCHEDULE,
      {
        input: {
          taskForceId,
          title: `Scale-out check ${n} (${label})`,
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
        },
      },
      { token: coordinator },
    );
    return { sentAt, doneAt: Date.now() };
  }

  async function lastCursorInDatabase(): Promise<number> {
    const { rows } = await pg!.query('select last_cursor from event_cursor where task_force_id = $1', [taskForceId]);
    return rows.length ? Number(rows[0].last_cursor) : 0;
  }

  async function outboxBacklog(): Promise<number> {
    const { rows } = await pg!.query('select count(*)::int as n from domain_event where published_at is null');
    return rows[0].n;
  }

  function track(socket: Socket, into: Seen[]): void {
    socket.onAny((type: string, envelope: { taskForceId?: string; cursor?: unknown }) => {
      // The member's inbox notices come on the same socket, numbered by inbox position: another stream.
      if (type === 'notification.created') return;
      if (envelope && envelope.taskForceId === taskForceId && typeof envelope.cursor === 'number')
        into.push({ cursor: envelope.cursor, type, at: Date.now() });
    });
  }

  async function joinedSocket(
    url: string,
    token: string,
    into: Seen[],
    disconnects: string[],
    after?: number,
  ): Promise<{ socket: Socket; cursor: number }> {
    const socket = await connectSocket(url, token);
    sockets.push(socket);
    track(socket, into);
    socket.on('disconnect', (reason) => disconnects.push(reason));
    const ack = await socket
      .timeout(10_000)
      .emitWithAck('room.join', after === undefined ? { taskForceId } : { taskForceId, after });
    if (!ack?.ok) throw new Error(`room.join refused: ${JSON.stringify(ack)}`);
    return { socket, cursor: ack.cursor };
  }

  /** Waits until everyone listening has seen cursor `upTo`, then a little longer so any duplicate shows. */
  async function everyoneReaches(
    upTo: number,
    timeoutMs: number,
    who: { name: string; seen: () => number[] }[],
  ): Promise<void> {
    await waitUntil(
      () => who.every((w) => w.seen().includes(upTo)) || sClosed !== undefined,
      `everyone to see ${upTo}`,
      { timeoutMs, everyMs: 20, state: () => who.map((w) => `${w.name}: ${summary(w.seen())}`).join('; ') },
    );
    await sleep(SETTLE_MS);
  }

  const witnesses = () => [
    { name: 'socket A', seen: () => cursors(seenByA) },
    { name: 'socket B (gateway 1)', seen: () => cursors(seenByB) },
    { name: 'subscriber S (api 2)', seen: () => cursors(subscriberS.received) },
  ];

  beforeAll(async () => {
    const setupStarted = Date.now();
    redis = await redisServer();
    db = await scratchDatabase('postgres');
    pg = new PgClient({ connectionString: db.url });
    await pg.connect();
    const env = {
      NODE_ENV: 'production',
      JWT_SECRET: SECRET,
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      DATA_DIR: dataDir,
      DEMO_PASSWORD: PASSWORD,
    };
    const migrated = await run('cli', ['migrate'], env);
    if (migrated.code !== 0) throw new Error(`cli migrate failed:\n${migrated.stdout}\n${migrated.stderr}`);
    const seeded = await run('cli', ['seed'], env);
    if (seeded.code !== 0) throw new Error(`cli seed failed:\n${seeded.stdout}\n${seeded.stderr}`);

    const started = await Promise.allSettled([
      start('api', env),
      start('api', env),
      start('gateway', env),
      start('gateway', env),
    ]);
    [processes.api1, processes.api2, processes.gateway1, processes.gateway2] = started.map((s) =>
      s.status === 'fulfilled' ? s.value : undefined,
    );
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    for (const p of Object.values(processes)) expect(p!.output()).toContain('events: Redis');

    api1 = new GraphQLClient(`${processes.api1!.url}/graphql`);
    [coordinator, police, ngo, court] = await Promise.all(
      ['anitp.buc@demo.local', 'police.buc@demo.local', 'ngo.buc@demo.local', 'court.buc@demo.local'].map((email) =>
        signIn(processes.api1!.url, email),
      ),
    );
    const { taskForces } = await api1.data('{ taskForces { id code } }', {}, { token: coordinator });
    taskForceId = taskForces.find((t: { code: string }) => t.code === 'BUC').id;
    console.log(
      `scale-out setup: redis on ${redis.url}; api1 ${processes.api1!.url}, api2 ${processes.api2!.url}, gateway1 ${processes.gateway1!.url}, gateway2 ${processes.gateway2!.url}; ${Date.now() - setupStarted} ms`,
    );
  });

  afterAll(async () => {
    if (process.env.SCALE_OUT_LOGS) console.log(everyOutput());
    for (const socket of sockets) socket.close();
    await ws?.dispose();
    const stopOne = async (p: Running | undefined) => {
      if (!p) return;
      const kill = setTimeout(() => p.child.kill('SIGKILL'), 10_000);
      await p.stop().catch(() => undefined);
      clearTimeout(kill);
    };
    await Promise.all(Object.values(processes).map(stopOne));
    await redis?.dispose().catch(() => undefined);
    await pg?.end().catch(() => undefined);
    await db?.drop().catch((error) => console.warn(`could not drop the scratch database: ${error.message}`));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'a mutation on api 1 reaches a socket on gateway 2 and a graphql-ws subscriber on api 2, exactly once and in order',
    withLogs(async () => {
      const a = await joinedSocket(processes.gateway2!.url, police, seenByA, aDisconnects);
      socketA = a.socket;
      base = a.cursor;
      expect(base).toBe(await lastCursorInDatabase());
      const b = await joinedSocket(processes.gateway1!.url, court, seenByB, bDisconnects);
      expect(b.cursor).toBe(base);
      ws = subscriptionClient(processes.api2!.url, ngo, (code, reason) => (sClosed = `${code} ${reason}`));
      // `after: base` makes the subscription exact whenever the server attaches it: anything it would
      // miss before attaching is caught up from the database first.
      subscriberS = subscribe<LiveEvent>(ws, EVENTS, { tf: taskForceId, after: base }, 'taskForceEvents');
      void subscriberS.ended.then((end) => (sClosed ??= `ended ${JSON.stringify(end)}`));
      await sleep(300); // let the subscription attach, so the latency below is the live path

      // One event, timed: api 1 → Redis → gateway 2 / api 2.
      const single = await mutate('single');
      const first = base + 1;
      const latency = await Promise.all(
        [() => cursors(seenByA), () => cursors(subscriberS.received), () => cursors(seenByB)].map((seen) =>
          waitUntil(() => seen().includes(first), `cursor ${first}`, {
            timeoutMs: 10_000,
            everyMs: 5,
            state: () => summary(seen()),
          }).then(() => Date.now()),
        ),
      );
      console.log(
        `scale-out latency, one event (ms from sending the mutation; HTTP call took ${single.doneAt - single.sentAt} ms): ` +
          `socket on gateway 2 ${seenByA[0].at - single.sentAt}, graphql-ws on api 2 ~${latency[1] - single.sentAt}, socket on gateway 1 ${seenByB[0].at - single.sentAt}`,
      );

      // A burst of concurrent mutations: cursors are handed out in commit order and delivered in that order.
      const N = 20;
      const publishedBefore = await publishCalls(redis!);
      const burstStarted = Date.now();
      await Promise.all(Array.from({ length: N - 1 }, (_, i) => mutate(`burst ${i}`)));
      const end = base + N;
      expect(await lastCursorInDatabase()).toBe(end);
      await everyoneReaches(end, 15_000, witnesses());
      console.log(
        `scale-out burst: ${N - 1} concurrent mutations delivered everywhere within ${Date.now() - burstStarted - SETTLE_MS} ms`,
      );

      // The events really went through this Redis (not only the streams' database poll).
      expect((await publishCalls(redis!)) - publishedBefore).toBeGreaterThanOrEqual(N - 1);
      expect(sClosed).toBeUndefined();
      expect(cursors(seenByA)).toEqual(range(base, end));
      expect(cursors(subscriberS.received)).toEqual(range(base, end));
      expect(cursors(seenByB)).toEqual(range(base, end));
      expect(subscriberS.received.every((e) => e.type === 'meeting.scheduled' && e.taskForceId === taskForceId)).toBe(
        true,
      );
    }),
  );

  it(
    'gateway 2 is killed while mutations continue; its socket reconnects to gateway 1 and catches up with no gap and no duplicate',
    withLogs(async () => {
      expect(socketA?.connected).toBe(true);
      const before = base + mutations;
      const M = 40;
      const loopResults: { sentAt: number; doneAt: number }[] = [];
      let loopError: unknown;
      const loop = (async () => {
        for (let i = 0; i < M; i++) {
          loopResults.push(await mutate(`during gateway crash ${i}`));
          await sleep(40);
        }
      })().catch((error) => (loopError = error));

      // Let a few of the loop's events reach socket A on gateway 2, then crash gateway 2.
      await waitUntil(() => seenByA.length >= before - base + 5, 'socket A to see 5 events more', {
        timeoutMs: 10_000,
        everyMs: 5,
        state: () => `socket A: ${summary(cursors(seenByA))}`,
      });
      const gone = new Promise<void>((resolve) => socketA.once('disconnect', () => resolve()));
      const gateway2 = processes.gateway2!;
      const exited = new Promise((resolve) => gateway2.child.once('exit', (code, signal) => resolve(signal ?? code)));
      const killedAt = Date.now();
      gateway2.child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      await gone;
      const lastSeen = seenByA.at(-1)!.cursor;
      const seenBeforeCrash = seenByA.length;
      console.log(
        `scale-out gateway crash: socket A noticed in ${Date.now() - killedAt} ms (reason ${aDisconnects.at(-1)}), last cursor it saw ${lastSeen}`,
      );

      // Mutations go on while socket A is away.
      await sleep(500);
      const reconnectedAt = Date.now();
      const again = await joinedSocket(processes.gateway1!.url, police, seenByA, aDisconnects, lastSeen);
      const replayed = seenByA.length - seenBeforeCrash;
      console.log(
        `scale-out reconnect to gateway 1: joined in ${Date.now() - reconnectedAt} ms, at cursor ${again.cursor}; ${replayed} missed event(s) replayed before the acknowledgement`,
      );
      expect(again.cursor).toBeGreaterThan(lastSeen); // the crash really did make it miss events
      expect(loopResults.length).toBeLessThan(M); // and mutations were still running when it came back

      await loop;
      expect(loopError).toBeUndefined();
      const end = base + mutations;
      expect(await lastCursorInDatabase()).toBe(end);
      expect(end).toBe(before + M);
      await everyoneReaches(end, 15_000, witnesses());

      expect(sClosed).toBeUndefined();
      expect(bDisconnects).toEqual([]);
      // What socket A saw on gateway 2, then on gateway 1: every cursor exactly once, in order.
      expect(cursors(seenByA)).toEqual(range(base, end));
      expect(cursors(subscriberS.received)).toEqual(range(base, end));
      expect(cursors(seenByB)).toEqual(range(base, end));
    }),
  );

  it(
    'Redis is restarted while mutations go on: the outbox keeps the events and every listener ends up with each one exactly once',
    withLogs(async () => {
      socketA = sockets.at(-1)!;
      expect(socketA.connected).toBe(true);
      const before = base + mutations;

      const downAt = Date.now();
      await redis!.stop();
      console.log(`scale-out: redis stopped in ${Date.now() - downAt} ms`);

      // During the outage, mutations on api 1 still succeed: the events wait in the outbox.
      const K = 10;
      const during: number[] = [];
      for (let i = 0; i < K; i++) {
        const { sentAt, doneAt } = await mutate(`redis down ${i}`);
        during.push(doneAt - sentAt);
        await sleep(100);
      }
      const outageEnd = base + mutations;
      expect(await lastCursorInDatabase()).toBe(outageEnd);
      const backlogDuringOutage = await outboxBacklog();
      const ready = await Promise.all(
        (['api1', 'api2', 'gateway1'] as const).map(
          async (name) => `${name} ${(await fetch(`${processes[name]!.url}/health/ready`)).status}`,
        ),
      );
      const deliveredDuringOutage = {
        A: cursors(seenByA).filter((c) => c > before).length,
        B: cursors(seenByB).filter((c) => c > before).length,
        S: cursors(subscriberS.received).filter((c) => c > before).length,
      };
      console.log(
        `scale-out redis outage: ${K} mutations took ${Math.min(...during)}–${Math.max(...during)} ms each; outbox backlog ${backlogDuringOutage}; ` +
          `delivered during the outage (database poll): ${JSON.stringify(deliveredDuringOutage)}; /health/ready ${ready.join(', ')}`,
      );

      // Redis comes back on the same port, and mutations continue.
      const upAt = Date.now();
      await redis!.start();
      const afterRestart: { sentAt: number; doneAt: number }[] = [];
      for (let i = 0; i < 5; i++) {
        afterRestart.push(await mutate(`redis back ${i}`));
        await sleep(200);
      }
      const end = base + mutations;
      expect(await lastCursorInDatabase()).toBe(end);
      await everyoneReaches(end, 15_000, witnesses());
      const recovered = Date.now() - upAt - SETTLE_MS;

      // The relay drained the outbox once Redis was back.
      let backlog = await outboxBacklog();
      const drainDeadline = Date.now() + 15_000;
      while (backlog > 0 && Date.now() < drainDeadline) {
        await sleep(200);
        backlog = await outboxBacklog();
      }
      // The restarted Redis starts with fresh stats: whatever it published came after the restart,
      // so the outbox relay did send the events it had kept during the outage.
      const publishedAfterRestart = await publishCalls(redis!);
      console.log(
        `scale-out redis restart: everyone had all ${end - before} events ${recovered} ms after redis was back; outbox backlog now ${backlog}; ` +
          `${publishedAfterRestart} PUBLISH calls on the restarted redis`,
      );
      expect(publishedAfterRestart).toBeGreaterThanOrEqual(end - before);

      // The live path works again: one more event, timed.
      const probe = await mutate('probe after redis restart');
      const probeCursor = base + mutations;
      await waitUntil(
        () => cursors(seenByA).includes(probeCursor) && cursors(subscriberS.received).includes(probeCursor),
        `probe ${probeCursor} on socket A and subscriber S`,
        {
          timeoutMs: 10_000,
          everyMs: 5,
          state: () => `A: ${summary(cursors(seenByA))}; S: ${summary(cursors(subscriberS.received))}`,
        },
      );
      const aLatency = seenByA.at(-1)!.at - probe.sentAt;
      console.log(
        `scale-out after redis restart: one event reached socket A (gateway 1) in ${aLatency} ms; after-restart mutations delivered to A in ${afterRestart
          .map((m, i) => (seenByA.find((e) => e.cursor === outageEnd + 1 + i)?.at ?? NaN) - m.sentAt)
          .join(', ')} ms`,
      );
      await sleep(SETTLE_MS);

      expect(backlog).toBe(0);
      expect(sClosed).toBeUndefined();
      expect(aDisconnects.slice(1)).toEqual([]); // only the gateway 2 crash
      expect(bDisconnects).toEqual([]);
      const final = base + mutations;
      expect(await lastCursorInDatabase()).toBe(final);
      expect(cursors(seenByA)).toEqual(range(base, final));
      expect(cursors(subscriberS.received)).toEqual(range(base, final));
      expect(cursors(seenByB)).toEqual(range(base, final));
    }),
  );
});
