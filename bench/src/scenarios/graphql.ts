import { gql } from '../lib/http';
import { startPgProxy, type SqlDelta, type SqlSnapshot, delta } from '../lib/pgproxy';
import { JWT_SECRET, type Proc } from '../lib/procs';
import { ratio, type ScenarioResult, type Table } from '../lib/report';
import { log, median, percentile, QUICK, REPEATS, round } from '../lib/util';
import { addNote, getWorld, startHub, type TaskForce, type World } from '../lib/world';
import { profiler, startBaseline } from './common';
import { PROFILE } from './fanout';
import { Inspector } from '../lib/procs';

export const MEETING_QUERY = `query($id: ID!) { meeting(id: $id) { id title status startsAt endsAt
  agenda { id position title }
  attendance { id mode arrivedAt leftAt member { id displayName } }
  decisions { id text createdAt }
  actionItems { id title status dueOn assigneeMember { id displayName } assigneeAgency { id name } } } }`;

const LEVELS = QUICK ? [2, 8] : [1, 2, 4, 8, 16];
const LEVEL_MS = Number(process.env.BENCH_GRAPHQL_MS ?? (QUICK ? 2_000 : 3_000));
/** One request in ten is a mutation. */
const WRITE_SHARE = 0.1;
const P99_BUDGET_MS = 50;

let seq = 1_000_000;

function read(url: string, tf: TaskForce, i: number) {
  return gql(url, MEETING_QUERY, { id: tf.heldMeetingId }, tf.seats[i % tf.seats.length].token);
}

interface Level {
  concurrency: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** `concurrency` closed-loop workers for LEVEL_MS: 90 % meeting reads, 10 % minute-note mutations, over the 4 task forces. */
async function level(url: string, world: World, concurrency: number, ms: number): Promise<Level> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  let n = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() - started < ms) {
        const i = n++;
        const tf = world.taskForces[i % world.taskForces.length];
        const t0 = performance.now();
        try {
          if ((i * 7919) % 10 < WRITE_SHARE * 10) await addNote(url, tf, ++seq);
          else await read(url, tf, i);
          latencies.push(performance.now() - t0);
        } catch (error) {
          if (errors++ === 0) log(`graphql error: ${(error as Error).message}`);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    concurrency,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
  };
}

async function sqlPerRequest(url: string, world: World, snapshot: () => Promise<SqlSnapshot>) {
  const N = 20;
  const tf = world.taskForces[0];
  await read(url, tf, 0); // warm
  let before = await snapshot();
  for (let i = 0; i < N; i++) await read(url, tf, i);
  const reads: SqlDelta = delta(before, await snapshot());
  before = await snapshot();
  for (let i = 0; i < N; i++) await addNote(url, tf, ++seq);
  const writes: SqlDelta = delta(before, await snapshot());
  return {
    read: round(reads.foreground / N, 2),
    write: round(writes.foreground / N, 2),
    readRoundTrips: round(reads.roundTrips / N, 2),
    writeRoundTrips: round(writes.roundTrips / N, 2),
    readStatements: reads.byText,
    writeStatements: writes.byText,
  };
}

export async function graphql(): Promise<Omit<ScenarioResult, 'seconds'>> {
  const world = await getWorld();
  const env = world.env();
  const baselineEnv = { DATABASE_URL: world.dbUrl, JWT_SECRET };

  // Throughput: both servers straight on PostgreSQL.
  const runs: Record<string, Level[][]> = { hub: [], baseline: [] };
  let hub: Proc | undefined = await startHub('api', env, PROFILE);
  const inspector = hub.inspectorUrl ? await Inspector.connect(hub.inspectorUrl) : undefined;
  let base: Proc | undefined = await startBaseline('apollo', baselineEnv);
  try {
    // The answers must be the same shape (and the same data) before we compare speeds.
    const a = await read(hub.url, world.taskForces[0], 2);
    const b = await read(base.url, world.taskForces[0], 2);
    const counts = (m: any) =>
      [
        m.meeting.agenda.length,
        m.meeting.attendance.length,
        m.meeting.decisions.length,
        m.meeting.actionItems.length,
      ].join('/');
    if (counts(a) !== counts(b)) throw new Error(`hub and baseline disagree: ${counts(a)} vs ${counts(b)}`);
    log(`graphql: meeting has agenda/attendance/decisions/action items ${counts(a)}`);
    for (const p of [hub, base]) await level(p.url, world, 4, 1_000); // warm-up
    for (let rep = 0; rep < REPEATS; rep++) {
      const hubLevels: Level[] = [];
      const baseLevels: Level[] = [];
      for (const c of LEVELS) {
        const profile = inspector && rep === 0 && c === 8 ? profiler(inspector) : undefined;
        await profile?.start();
        hubLevels.push(await level(hub.url, world, c, LEVEL_MS));
        await profile?.stop('graphql-hub-c8');
        baseLevels.push(await level(base.url, world, c, LEVEL_MS));
        log(
          `graphql run ${rep + 1} concurrency ${c}: hub ${Math.round(hubLevels.at(-1)!.rps)} req/s p99 ${round(hubLevels.at(-1)!.p99, 1)} ms; baseline ${Math.round(baseLevels.at(-1)!.rps)} req/s p99 ${round(baseLevels.at(-1)!.p99, 1)} ms`,
        );
      }
      runs.hub.push(hubLevels);
      runs.baseline.push(baseLevels);
    }
  } finally {
    inspector?.close();
    await Promise.all([hub.stop(), base.stop()]);
  }

  // SQL statements: both servers again, through the counting proxy.
  const proxy = await startPgProxy();
  hub = await startHub('api', { ...env, DATABASE_URL: proxy.url(world.dbName) });
  base = await startBaseline('apollo', { ...baselineEnv, DATABASE_URL: proxy.url(world.dbName) });
  let sql;
  try {
    sql = {
      hub: await sqlPerRequest(hub.url, world, proxy.snapshot),
      baseline: await sqlPerRequest(base.url, world, proxy.snapshot),
    };
  } finally {
    await Promise.all([hub.stop(), base.stop()]);
    proxy.stop();
  }

  const med = (server: 'hub' | 'baseline', i: number, key: keyof Level) =>
    round(median(runs[server].map((levels) => levels[i][key])), 1);
  const table: Table = {
    title: `GraphQL mix (90 % meeting reads, 10 % minute-note mutations), closed loop, ${LEVEL_MS / 1000} s per level`,
    columns: [
      'concurrency',
      'hub req/s',
      'hub p50 ms',
      'hub p99 ms',
      'baseline req/s',
      'baseline p50 ms',
      'baseline p99 ms',
      'hub ÷ baseline req/s',
    ],
    rows: LEVELS.map((c, i) => [
      c,
      med('hub', i, 'rps'),
      med('hub', i, 'p50'),
      med('hub', i, 'p99'),
      med('baseline', i, 'rps'),
      med('baseline', i, 'p50'),
      med('baseline', i, 'p99'),
      ratio(med('hub', i, 'rps'), med('baseline', i, 'rps')),
    ]),
  };
  const best = (server: 'hub' | 'baseline') => {
    const ok = LEVELS.map((c, i) => ({ c, rps: med(server, i, 'rps'), p99: med(server, i, 'p99') })).filter(
      (l) => l.p99 <= P99_BUDGET_MS,
    );
    return ok.sort((x, y) => y.rps - x.rps)[0] ?? { c: NaN, rps: 0, p99: NaN };
  };
  const hb = best('hub');
  const bb = best('baseline');
  const summary: Table = {
    title: 'Requests per second at p99 ≤ 50 ms (best level), and SQL statements per request',
    columns: [
      'server',
      'req/s at p99 ≤ 50 ms',
      'at concurrency',
      'SQL per read',
      'SQL per mutation',
      'round trips per read',
      'round trips per mutation',
    ],
    rows: [
      ['hub (api)', hb.rps, hb.c, sql.hub.read, sql.hub.write, sql.hub.readRoundTrips, sql.hub.writeRoundTrips],
      [
        'bare Apollo + hand-written SQL',
        bb.rps,
        bb.c,
        sql.baseline.read,
        sql.baseline.write,
        sql.baseline.readRoundTrips,
        sql.baseline.writeRoundTrips,
      ],
    ],
  };
  const r = ratio(hb.rps, bb.rps);
  return {
    id: 'graphql',
    title: '3. GraphQL throughput',
    tables: [summary, table],
    targets: [
      {
        target: 'hub ≥ 0.8 × baseline req/s at p99 ≤ 50 ms',
        measured: `${hb.rps} vs ${bb.rps} req/s = ${r}×`,
        met: r >= 0.8,
      },
    ],
    notes: [
      'Read: `meeting(id)` with agenda, attendance (with member), decisions and action items (with assignee member and agency) — the demo meeting held last week, read by a member of each of the 4 task forces in turn. Mutation: `addMinuteNote` by the coordinator (one event in the outbox). Latency: from sending the HTTP request to having parsed the JSON answer, in the client process.',
      'Each level runs `concurrency` closed-loop workers (a worker sends its next request when its answer came back); figures are medians over the repeats. "req/s at p99 ≤ 50 ms" is the highest level whose median p99 stays within 50 ms.',
      "Baseline: Apollo Server 5 on express 5 with node-postgres (pool of 10, as MikroORM's default), JWT checked with one session query, the meeting as one json_agg statement, the mutation as one transaction writing the note, the cursor and the outbox row. It does not screen text, audit, validate inputs, or run the per-request DataLoaders; those are the hub's features, and part of what the ratio measures.",
      "SQL statements: counted by a PostgreSQL wire-protocol proxy (bench/src/lib/pgproxy-main.ts) in front of the same database, in a second pass of 20 sequential reads and 20 sequential mutations per server: every simple Query and every extended-protocol Execute is a statement (BEGIN and COMMIT included); round trips = Query + Sync messages. The hub's timers (outbox sweep every second, stream poll) are recognised by their SQL text and left out.",
      "Bound by: CPU. Server, PostgreSQL and the load generator share 2 cores; at the higher levels all three are busy, so the ceiling is the machine's, and applies to both servers alike.",
    ],
    raw: { levels: LEVELS, runs, sql },
  };
}
