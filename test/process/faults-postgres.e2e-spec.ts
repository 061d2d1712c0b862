import { postgresServer, type PostgresServer } from '../utils/postgres-server';
import { GraphQLClient } from '../utils/graphql-client';
import {
  Deployment,
  everyoneReaches,
  LEAK,
  type Outcome,
  range,
  SocketWatcher,
  stats,
  SubscriptionWatcher,
  summary,
  Writer,
} from './faults-support';
import { sleep, waitUntil } from '../utils/wait';

/**
 * PostgreSQL restarted under the hub: the built hub process (GraphQL, graphql-ws and Socket.IO in
 * one) runs on a PostgreSQL cluster of this suite's own, which is stopped for a few seconds and then
 * crashed and restarted while two writers keep scheduling meetings (each with an agenda: several
 * rows and an outbox event in one transaction). During the outage every mutation answers a clear,
 * retryable SERVICE_UNAVAILABLE; nothing is half-written; afterwards the same process serves again
 * and its live clients get every event once, in order.
 */

const OUTAGE_MS = 4_000;
const AGENDA = 2;

describe('faults: PostgreSQL restarted under a running hub', () => {
  let cluster: PostgresServer | undefined;
  let hub: Deployment | undefined;
  let taskForceId: string;
  let coordinator: string;
  let socket: SocketWatcher;
  let subscriber: SubscriptionWatcher;
  let base: number;
  const writers: Writer[] = [];

  const withLogs = (body: () => Promise<void>) => async () => {
    try {
      await body();
    } catch (error) {
      console.log(
        `faults-postgres failed; output follows\n${hub?.output()}\n----- postgres -----\n${cluster?.output().slice(-4000)}`,
      );
      throw error;
    }
  };

  beforeAll(async () => {
    const t0 = Date.now();
    cluster = await postgresServer();
    const url = await cluster.createDatabase('hub');
    hub = await Deployment.create({ apps: ['hub'], redis: false, databaseUrl: url });
    coordinator = await hub.signIn('anitp.buc@demo.local');
    taskForceId = await hub.taskForceId('BUC', coordinator);
    socket = new SocketWatcher('socket (police, hub)', await hub.signIn('police.buc@demo.local'), taskForceId);
    base = await socket.join(hub.url('hub1'));
    subscriber = new SubscriptionWatcher('graphql-ws (ngo, hub)', await hub.signIn('ngo.buc@demo.local'), taskForceId);
    subscriber.attach(hub.url('hub1'), base);
    console.log(
      `faults-postgres setup: private PostgreSQL on port ${cluster.port}, hub ${hub.url('hub1')}; ${Date.now() - t0} ms`,
    );
  });

  afterAll(async () => {
    socket?.close();
    await subscriber?.close().catch(() => undefined);
    await Promise.all(writers.map((w) => w.stop()));
    await hub?.dispose();
    await cluster?.dispose();
  });

  const watchers = () => [
    { name: socket.name, cursors: () => socket.cursors() },
    { name: subscriber.name, cursors: () => subscriber.cursors() },
  ];

  /** Failures during an outage that are not SERVICE_UNAVAILABLE, retryable, a sentence, with nothing internal. */
  function unclearFailures(failures: Outcome[]): unknown[] {
    return failures
      .filter(
        (o) =>
          o.transport !== undefined ||
          o.error?.extensions?.code !== 'SERVICE_UNAVAILABLE' ||
          o.error.extensions.retryable !== true ||
          !/\w+ \w+ \w+/.test(o.error.message) ||
          LEAK.test(JSON.stringify(o.error)) ||
          'stacktrace' in (o.error.extensions ?? {}),
      )
      .map((o) => ({
        title: o.title,
        status: o.status,
        transport: o.transport,
        code: o.error?.extensions?.code,
        message: o.error?.message,
      }));
  }

  /** Nothing half-written: each meeting exists whole (agenda and its one outbox event) or not at all. */
  async function halfWritten(outcomes: Outcome[]): Promise<{ problems: string[]; saved: number; absent: number }> {
    const titles = outcomes.map((o) => o.title);
    const { rows } = await hub!.pg.query(
      `select m.title, m.id,
              (select count(*)::int from agenda_item a where a.meeting_id = m.id) as agenda,
              (select count(*)::int from domain_event e where e.type = 'meeting.scheduled' and e.data->>'meetingId' = m.id::text) as events
         from meeting m where m.title = any($1)`,
      [titles],
    );
    const byTitle = new Map<string, { agenda: number; events: number }[]>();
    for (const row of rows) byTitle.set(row.title, [...(byTitle.get(row.title) ?? []), row]);
    const problems: string[] = [];
    for (const o of outcomes) {
      const found = byTitle.get(o.title) ?? [];
      if (found.length > 1) problems.push(`${o.title}: ${found.length} meetings`);
      if (found.length === 1 && (found[0].agenda !== AGENDA || found[0].events !== 1))
        problems.push(`${o.title}: half-written (${JSON.stringify(found[0])})`);
      if (o.ok && found.length !== 1) problems.push(`${o.title}: answered ok but not in the database`);
      if (!o.ok && o.error && found.length) problems.push(`${o.title}: answered "${o.error.message}" but was saved`);
    }
    return { problems, saved: rows.length, absent: outcomes.length - rows.length };
  }

  async function outage(
    label: string,
    fault: () => Promise<{ downMs: number }>,
    options: { mustFail: boolean } = { mustFail: true },
  ): Promise<void> {
    const process = hub!.get('hub1');
    const pid = process.child.pid;
    const logFrom = process.output().length;
    const ws = writers.length;
    writers.push(
      new Writer(
        `PG ${label} writer A`,
        () => [{ name: 'hub1', url: hub!.url('hub1') }],
        coordinator,
        taskForceId,
        60,
        AGENDA,
      ).start(),
      new Writer(
        `PG ${label} writer B`,
        () => [{ name: 'hub1', url: hub!.url('hub1') }],
        coordinator,
        taskForceId,
        60,
        AGENDA,
      ).start(),
    );
    const mine = () => writers.slice(ws).flatMap((w) => w.outcomes);
    await waitUntil(() => mine().filter((o) => o.ok).length >= 6, '6 successful mutations', {
      timeoutMs: 15_000,
      state: () => `writers: ${JSON.stringify(mine().slice(-3))}`,
    });

    const faultAt = Date.now();
    const { downMs } = await fault();
    const upAt = Date.now();
    // The same process serves again, without being restarted: the first mutation that succeeds after the restart.
    const recoveredIn = await waitUntil(
      () => mine().some((o) => o.ok && o.sentAt >= upAt),
      'a successful mutation since PostgreSQL came back',
      { timeoutMs: 30_000, state: () => `writers: ${JSON.stringify(mine().slice(-2))}` },
    );
    const readyIn = await waitUntil(async () => (await hub!.readyStatus('hub1')) === 200, 'readiness 200 again', {
      timeoutMs: 30_000,
    });
    await sleep(1_500); // a little steady traffic after the recovery
    await Promise.all(writers.slice(ws).map((w) => w.stop()));

    const outcomes = mine();
    const failures = outcomes.filter((o) => !o.ok);
    const duringFault = outcomes.filter((o) => o.doneAt >= faultAt && o.sentAt <= upAt);
    const unclear = unclearFailures(failures);
    const { problems, saved, absent } = await halfWritten(outcomes);
    const last = await hub!.lastCursor(taskForceId);
    const inOutbox = await hub!.eventCursors(taskForceId);
    const delivered = await everyoneReaches(last, 20_000, watchers()).catch((error: Error) => error.message);
    const backlog = await hub!.outboxBacklog();
    const codes = new Map<string, number>();
    for (const o of failures)
      codes.set(
        o.error?.extensions?.code ?? `no answer: ${o.transport}`,
        (codes.get(o.error?.extensions?.code ?? `no answer: ${o.transport}`) ?? 0) + 1,
      );

    console.log(
      `faults-postgres ${label}: PostgreSQL down ${downMs} ms; ${outcomes.length} mutations ` +
        `(${outcomes.length - failures.length} ok, failed: ${JSON.stringify(Object.fromEntries(codes))}; ${duringFault.length} overlapped the fault), ` +
        `failed calls answered in ${stats(failures.map((o) => o.doneAt - o.sentAt))}; ` +
        `first success ${recoveredIn} ms after PostgreSQL was back, /health/ready 200 after ${readyIn} ms; ` +
        `database: ${saved} meetings, ${absent} absent, ${problems.length} half-written or mis-answered; ` +
        `live clients: ${typeof delivered === 'number' ? `every event ${delivered} ms after the check` : delivered}; outbox backlog ${backlog}` +
        (unclear.length ? `\n  failures that were not a clean SERVICE_UNAVAILABLE: ${JSON.stringify(unclear)}` : ''),
    );
    if (unclear.length)
      console.log(
        `faults-postgres ${label}: what the hub logged for the masked errors: ${JSON.stringify(hub!.maskedErrors('hub1', logFrom))}`,
      );
    const clean = failures.find((o) => o.error?.extensions?.code === 'SERVICE_UNAVAILABLE');
    if (clean) console.log(`faults-postgres ${label}: the error a client gets: ${JSON.stringify(clean.error)}`);

    expect(process.child.pid).toBe(pid);
    expect(hub!.alive('hub1')).toBe(true);
    if (options.mustFail) expect(failures.length).toBeGreaterThan(0); // the fault was real: some mutations met it
    expect(problems).toEqual([]);
    expect(inOutbox).toEqual(range(0, last));
    expect(delivered).toEqual(expect.any(Number));
    expect(backlog).toBe(0);
    expect(socket.connected).toBe(true);
    expect(subscriber.closes).toEqual([]);
    expect(subscriber.endings).toEqual([]);
    expect(socket.cursors()).toEqual(range(base, last));
    expect(subscriber.cursors()).toEqual(range(base, last));
    expect(unclear).toEqual([]);
  }

  it(
    'PostgreSQL stopped for a few seconds: mutations answer SERVICE_UNAVAILABLE (retryable), readiness 503, nothing half-written; afterwards the same process serves and its clients get every event',
    withLogs(async () => {
      let readyDuring: unknown;
      let readBody: unknown;
      let joinAck: unknown;
      let minutesBody: unknown;
      await outage('stop/start', async () => {
        const { rows } = await hub!.pg.query<{ id: string }>('select id from meeting limit 1');
        const t = Date.now();
        await cluster!.stop('fast');
        const stoppedAt = Date.now();
        // While it is down: readiness says so; reads, socket acknowledgements and downloads fail as cleanly as writes.
        readyDuring = await hub!.readyStatus('hub1');
        const [read, ack, minutes] = await Promise.all([
          new GraphQLClient(`${hub!.url('hub1')}/graphql`).request(
            'query($tf: ID!) { meetings(taskForceId: $tf) { nodes { id } } }',
            { tf: taskForceId },
            { token: coordinator },
          ),
          // Another room than the watcher's, so its task-force room is not touched.
          socket.socket!.timeout(30_000).emitWithAck('room.join', { meetingId: rows[0].id }),
          fetch(`${hub!.url('hub1')}/meetings/${rows[0].id}/minutes.md`, {
            headers: { authorization: `Bearer ${coordinator}` },
            signal: AbortSignal.timeout(30_000),
          }),
        ]);
        readBody = { status: read.status, errors: read.errors };
        joinAck = ack;
        minutesBody = { status: minutes.status, body: await minutes.text() };
        await sleep(Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt)));
        await cluster!.start();
        return { downMs: Date.now() - t };
      });
      console.log(
        `faults-postgres stop/start: /health/ready during the outage ${readyDuring}; a read during the outage answered ${JSON.stringify(readBody)}`,
      );
      expect(readyDuring).toBe(503);
      expect((readBody as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code).toBe(
        'SERVICE_UNAVAILABLE',
      );
      expect(LEAK.test(JSON.stringify(readBody))).toBe(false);
      console.log(
        `faults-postgres stop/start: a room.join answered ${JSON.stringify(joinAck)}; the minutes download ${JSON.stringify(minutesBody)}`,
      );
      const unavailable = {
        code: 'SERVICE_UNAVAILABLE',
        message: expect.stringMatching(/\w+ \w+ \w+/),
        retryable: true,
      };
      expect(joinAck).toEqual({ ok: false, error: unavailable });
      const { status, body } = minutesBody as { status: number; body: string };
      expect({ status, body: JSON.parse(body) as unknown }).toEqual({ status: 503, body: unavailable });
      expect(LEAK.test(JSON.stringify([joinAck, minutesBody]))).toBe(false);
    }),
  );

  it(
    'PostgreSQL crashes (immediate stop: no goodbye to the pool) and restarts: the same guarantees',
    withLogs(async () => {
      await outage('crash/restart', async () => {
        const t = Date.now();
        await cluster!.stop('immediate');
        await sleep(1_500);
        await cluster!.start();
        return { downMs: Date.now() - t };
      });
    }),
  );

  it(
    'pg_ctl restart (fast) in the middle of traffic: the pool drops the dead connections and the hub goes on',
    withLogs(async () => {
      await outage(
        'pg_ctl restart',
        async () => {
          const t = Date.now();
          await cluster!.restart('fast');
          return { downMs: Date.now() - t };
        },
        { mustFail: false },
      );
      const last = await hub!.lastCursor(taskForceId);
      console.log(
        `faults-postgres: ${last - base} events in all; socket ${summary(socket.cursors())}; subscriber ${summary(subscriber.cursors())}`,
      );
    }),
  );
});
