import { joinRooms, socketIoClients } from '../lib/clients';
import { cpuMs } from '../lib/cpu';
import { distinctMembers } from '../lib/members';
import { delta, idleWindow, startPgProxy } from '../lib/pgproxy';
import { type ScenarioResult, type Table } from '../lib/report';
import { log, round, sleep } from '../lib/util';
import { getWorld, startHub } from '../lib/world';

/** Sockets held, one distinct member (and session) each; ascending (BENCH_RECHECK_SIZES, default 250,1000). */
const SIZES = (process.env.BENCH_RECHECK_SIZES ?? '250,1000')
  .split(',')
  .map(Number)
  .sort((a, b) => a - b);
/** The hub's re-check period (RECHECK_MS in libs/events/src/live-sessions/live-sessions.ts); it has no knob. */
const RECHECK_MS = 30_000;
/** Sessions per batch of the hub's re-check (RECHECK_BATCH in libs/events/src/live-sessions/live-sessions.ts). */
const RECHECK_BATCH = 1_000;
/** Whole re-check periods per window: a window of k periods holds exactly k re-checks, whatever the phase. */
const INTERVALS = 2;
const WINDOW_MS = INTERVALS * RECHECK_MS;
const SAMPLE_MS = 100;
const CPU_GOAL = 10;
/** 10 % of a core over 1 s is 100 ms: a batch that costs less cannot by itself make such a burst. */
const BATCH_GOAL_MS = CPU_GOAL * 10;
/** Statements per session per minute at the largest size, at most this × the smallest size's: no faster than proportional. */
const PROPORTION_SLACK = 1.25;
/**
 * The re-check's statements (SessionLookup.liveActors, libs/identity/src/live-sessions.repository.ts):
 * the sessions with member and agency, then the memberships, as plain rows. The proxy keys statements by
 * their first 160 characters: each is known by its select list.
 */
const RECHECK_SQL = [
  /^select s\."id" as "sessionId", m\."id" as "memberId"/,
  /^select "member_id" as "memberId", "task_force_id"/,
];
/** A 1-s window ending this long after a re-check tick is charged to the re-check (the tick is estimated from the hub's start). */
const AROUND_TICK_MS = 2_500;

interface Point {
  sessions: number;
  windowMs: number;
  /** Every statement in the window, and those left after the idle hub's timers (no socket) are taken off. */
  statementsPerMinute: number;
  foregroundPerMinute: number;
  /** Of the window's statements, the re-check's (auth_session and membership reads). */
  recheckPerMinute: number;
  cpuMeanPct: number;
  cpuMax1sPct: number;
  /** Re-check batches (of up to 1,000 sessions, a second apart) in the window by the hub's own metrics, and per batch: wall time and the process CPU while it ran. */
  batches: number;
  recheckWallMs: number;
  recheckCpuMs: number;
  /** Batches whose process CPU passed 100 ms (hub_live_recheck_cpu_seconds' bucket le="0.1"). */
  batchesOverGoal: number;
  /** V8's garbage-collection pauses in the window (main thread), by kind, ms. */
  gcMs: Record<string, number>;
  /** The busiest 1-s window ending within AROUND_TICK_MS after a re-check tick, and the busiest elsewhere. */
  cpuMax1sAtRecheckPct: number;
  cpuMax1sElsewherePct: number;
  /** The 5 busiest 1-s windows: % of a core, and when they ended, seconds after the hub was ready. */
  busiest: { pct: number; atS: number }[];
  /** The busiest 1-s window after each re-check tick in the window, by the tick's time (s after ready). */
  perTick: { tickS: number; pct: number }[];
  byText: Record<string, number>;
}

/**
 * Server CPU as % of one core: the mean over the samples, and every 1-s window (the CPU risen over
 * ≥ 0.9 s of consecutive samples), each with when it ended.
 */
function cpuFigures(samples: { t: number; ms: number }[]): { mean: number; windows: { pct: number; end: number }[] } {
  const first = samples[0];
  const last = samples.at(-1)!;
  const windows: { pct: number; end: number }[] = [];
  let j = 0;
  for (let i = 0; i < samples.length; i++) {
    while (samples[i].t - samples[j].t > 1000) j++;
    const span = samples[i].t - samples[j].t;
    if (span >= 900) windows.push({ pct: ((samples[i].ms - samples[j].ms) / span) * 100, end: samples[i].t });
  }
  return { mean: ((last.ms - first.ms) / (last.t - first.t)) * 100, windows };
}

const maxPct = (ws: { pct: number }[]) => ws.reduce((m, w) => Math.max(m, w.pct), 0);

const METRICS_TOKEN = 'bench-metrics-token-recheck';

/**
 * The hub's own account of its re-check batches (hub_live_recheck_*: batches, their time, the process CPU
 * while they ran) and V8's garbage-collection pauses (prom-client's default, by kind), from GET /metrics.
 */
async function hubFigures(url: string): Promise<{
  batches: number;
  seconds: number;
  cpuSeconds: number;
  cpuWithinGoal: number;
  gc: Record<string, number>;
}> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  if (!res.ok) throw new Error(`GET /metrics answered ${res.status}`);
  const text = await res.text();
  const value = (name: string) => {
    const match = new RegExp(`^${name.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text);
    if (!match) throw new Error(`GET /metrics has no ${name}`);
    return Number(match[1]);
  };
  const gc: Record<string, number> = {};
  for (const [, kind, seconds] of text.matchAll(/^hub_nodejs_gc_duration_seconds_sum\{kind="(\w+)"\} (\S+)$/gm))
    gc[kind] = Number(seconds);
  return {
    batches: value('hub_live_recheck_duration_seconds_count'),
    seconds: value('hub_live_recheck_duration_seconds_sum'),
    cpuSeconds: value('hub_live_recheck_cpu_seconds_sum'),
    cpuWithinGoal: value(`hub_live_recheck_cpu_seconds_bucket{le="${BATCH_GOAL_MS / 1000}"}`),
    gc,
  };
}

async function measure(sessions: number): Promise<Point> {
  const world = await getWorld();
  const tf = world.taskForces[2];
  const members = await distinctMembers(world, tf, sessions);
  const proxy = await startPgProxy();
  // The reminder sweep (every 60 s by default) would fire with every second re-check and its burst be
  // charged to it: off here (REMINDER_SWEEP_SECONDS=0), so what the window shows is the re-check's.
  const hub = await startHub(
    'hub',
    world.env({ DATABASE_URL: proxy.url(world.dbName), REMINDER_SWEEP_SECONDS: '0', METRICS_TOKEN }),
  );
  // The re-check timer starts at bootstrap, just before the hub listens and says it is ready.
  const ready = performance.now();
  try {
    // No socket yet, so nothing to re-check: what the hub's other timers run anyway.
    const idle = await idleWindow(proxy, 10_000);
    const t0 = Date.now();
    const sockets = await socketIoClients(
      hub.url,
      members.map((m) => ({ auth: { token: m.token } })),
      null,
    );
    await joinRooms(sockets, () => ({ taskForceId: tf.id }));
    log(`recheck: ${sessions} sockets of distinct members joined in ${Date.now() - t0} ms`);
    // The joins' audit records and presence messages settle before the window opens.
    await sleep(3_000);
    const pid = hub.child.pid!;
    const samples: { t: number; ms: number }[] = [];
    const hubBefore = await hubFigures(hub.url);
    const before = await proxy.snapshot();
    const started = performance.now();
    while (performance.now() - started < WINDOW_MS) {
      samples.push({ t: performance.now(), ms: cpuMs(pid) });
      await sleep(SAMPLE_MS);
    }
    samples.push({ t: performance.now(), ms: cpuMs(pid) });
    const d = delta(before, await proxy.snapshot(), idle);
    const hubAfter = await hubFigures(hub.url);
    const batches = hubAfter.batches - hubBefore.batches;
    const perBatch = (seconds: number) => (batches ? round((seconds * 1000) / batches, 2) : 0);
    await sockets.close();
    const perMinute = (n: number) => round((n * 60_000) / d.ms, 1);
    const recheck = Object.entries(d.byText)
      .filter(([text]) => RECHECK_SQL.some((re) => re.test(text)))
      .reduce((sum, [, n]) => sum + n, 0);
    const cpu = cpuFigures(samples);
    const tickOf = (w: { end: number }) => Math.floor((w.end - ready) / RECHECK_MS) * (RECHECK_MS / 1000);
    const atTick = (w: { end: number }) => (w.end - ready) % RECHECK_MS <= AROUND_TICK_MS;
    const point: Point = {
      sessions,
      windowMs: d.ms,
      statementsPerMinute: perMinute(d.statements),
      foregroundPerMinute: perMinute(d.foreground),
      recheckPerMinute: perMinute(recheck),
      batches,
      recheckWallMs: perBatch(hubAfter.seconds - hubBefore.seconds),
      recheckCpuMs: perBatch(hubAfter.cpuSeconds - hubBefore.cpuSeconds),
      batchesOverGoal: batches - (hubAfter.cpuWithinGoal - hubBefore.cpuWithinGoal),
      gcMs: Object.fromEntries(
        Object.entries(hubAfter.gc).map(([kind, sec]) => [kind, round((sec - (hubBefore.gc[kind] ?? 0)) * 1000, 1)]),
      ),
      cpuMeanPct: round(cpu.mean, 2),
      cpuMax1sPct: round(maxPct(cpu.windows), 1),
      cpuMax1sAtRecheckPct: round(maxPct(cpu.windows.filter(atTick)), 1),
      cpuMax1sElsewherePct: round(maxPct(cpu.windows.filter((w) => !atTick(w))), 1),
      busiest: [...cpu.windows]
        .sort((a, b) => b.pct - a.pct)
        .slice(0, 5)
        .map((w) => ({ pct: round(w.pct, 1), atS: round((w.end - ready) / 1000, 1) })),
      perTick: [...new Set(cpu.windows.filter(atTick).map(tickOf))].map((tickS) => ({
        tickS,
        pct: round(maxPct(cpu.windows.filter((w) => atTick(w) && tickOf(w) === tickS)), 1),
      })),
      byText: d.byText,
    };
    log(
      `recheck: ${sessions} sessions: ${point.statementsPerMinute} statements/min (${point.recheckPerMinute} re-check), ${point.batches} re-check batches of ${point.recheckWallMs} ms and ${point.recheckCpuMs} ms CPU each, GC pauses ${JSON.stringify(point.gcMs)} ms, CPU mean ${point.cpuMeanPct} %, busiest 1 s ${point.cpuMax1sPct} % (at a re-check ${point.cpuMax1sAtRecheckPct} %, elsewhere ${point.cpuMax1sElsewherePct} %; per tick ${point.perTick.map((t) => `${t.pct} % at ${t.tickS} s`).join(', ')}; top 5 ${point.busiest.map((b) => `${b.pct} % at ${b.atS} s`).join(', ')})`,
    );
    return point;
  } finally {
    await hub.stop();
    proxy.stop();
  }
}

export async function recheck(): Promise<Omit<ScenarioResult, 'seconds'>> {
  const points: Point[] = [];
  for (const n of SIZES) points.push(await measure(n));
  const perSession = (p: Point) => p.recheckPerMinute / p.sessions;
  const [small, large] = [points[0], points.at(-1)!];
  const table: Table = {
    title: `Idle hub with N joined sockets of distinct members, ${INTERVALS} re-check periods (${WINDOW_MS / 1000} s) through the counting proxy; server CPU sampled every ${SAMPLE_MS} ms`,
    columns: [
      'sessions',
      'statements/min (all)',
      'statements/min (idle timers taken off)',
      're-check statements/min',
      're-check per 1,000 sessions',
    ],
    rows: points.map((p) => [
      p.sessions,
      p.statementsPerMinute,
      p.foregroundPerMinute,
      p.recheckPerMinute,
      round(perSession(p) * 1000, 1),
    ]),
  };
  const gcTotal = (p: Point) =>
    round(
      Object.values(p.gcMs).reduce((a, b) => a + b, 0),
      1,
    );
  const cpuTable: Table = {
    title: `The same window: the re-check's batches by the hub's own metrics, and the server process's CPU`,
    columns: [
      'sessions',
      're-check batches',
      'batch ms (wall)',
      'process CPU ms while a batch ran',
      'server CPU mean % of a core',
      'busiest 1 s % of a core',
      'busiest 1 s at a re-check',
      'busiest 1 s elsewhere',
      'V8 GC pauses in the window ms (major / all)',
    ],
    rows: points.map((p) => [
      p.sessions,
      p.batches,
      p.recheckWallMs,
      p.recheckCpuMs,
      p.cpuMeanPct,
      p.cpuMax1sPct,
      p.cpuMax1sAtRecheckPct,
      p.cpuMax1sElsewherePct,
      `${p.gcMs.major ?? 0} / ${gcTotal(p)}`,
    ]),
  };
  const growth = perSession(small) > 0 ? perSession(large) / perSession(small) : perSession(large) > 0 ? Infinity : 1;
  // Batches come a second apart (RECHECK_PAUSE_MS in libs/events/src/live-sessions/live-sessions.ts).
  const batchesOf = (sessions: number) => INTERVALS * Math.ceil(sessions / RECHECK_BATCH);
  const everyBatch = points.every((p) => p.batches === batchesOf(p.sessions));
  return {
    id: 'recheck',
    title: '10. Session re-check',
    tables: [table, cpuTable],
    targets: [
      {
        target: `re-check statements per minute at most proportional to sessions (per session at ${large.sessions} ≤ ${PROPORTION_SLACK}× at ${small.sessions})`,
        measured:
          points.map((p) => `${p.recheckPerMinute}/min at ${p.sessions}`).join(', ') +
          ` (per session ${round(growth, 2)}×)`,
        met: points.length > 1 ? growth <= PROPORTION_SLACK : null,
      },
      {
        target: `the re-check makes no CPU burst over ${CPU_GOAL} % of a core: process CPU while a batch of up to ${RECHECK_BATCH} sessions runs ≤ ${BATCH_GOAL_MS} ms (${CPU_GOAL} % of a 1-s window; batches a second apart), every batch of ${INTERVALS} rounds counted and none over`,
        measured: points
          .map(
            (p) =>
              `${p.recheckCpuMs} ms per batch at ${p.sessions} (${p.batches} batches of ${p.recheckWallMs} ms, ${p.batchesOverGoal} over ${BATCH_GOAL_MS} ms)`,
          )
          .join(', '),
        met: everyBatch && points.every((p) => p.batchesOverGoal === 0),
      },
      {
        target: 'reported: the busiest 1-s window of the server process, whatever ran in it',
        measured: points
          .map(
            (p) =>
              `${p.cpuMax1sPct} % at ${p.sessions} (at a re-check ${p.cpuMax1sAtRecheckPct} %, elsewhere ${p.cpuMax1sElsewherePct} %; V8 GC pauses ${gcTotal(p)} ms in the window)`,
          )
          .join(', '),
        met: null,
      },
    ],
    notes: [
      `One hub process per size, behind the counting proxy (bench/src/lib/pgproxy-main.ts), N distinct seeded members (lib/members.ts), each with its own session and socket, all joined to one task force's room. After the joins settle, a window of ${INTERVALS} re-check periods (RECHECK_MS = 30 s, no knob) holds exactly ${INTERVALS} re-checks; nothing else is asked of the hub, and its reminder sweep (every 60 s, with every second re-check) is off. "Idle timers taken off": each statement text's rate in a 10 s window before any socket connected (relay sweep, stream poll) is subtracted. "Re-check": the sessions read (with member and agency) and the memberships read of SessionLookup.liveActors; "all" also holds the other timers (relay sweep, webhook and API-key sweeps, reminders, and the joined room's stream poll, which the idle window had no room for).`,
      `CPU: utime + stime of the server process from /proc/<pid>/stat every ${SAMPLE_MS} ms (10 ms ticks, so a 1-s window reads in steps of 1 %); the busiest window is the largest CPU rise over ≥ 0.9 s of consecutive samples. "At a re-check": windows ending up to ${AROUND_TICK_MS / 1000} s after a tick (ticks estimated as every 30 s from the hub being ready); "elsewhere": the rest, Socket.IO's heartbeats (a ping every 25 s per socket) among them. Per tick: the busiest window after each tick, in raw.`,
      'The re-check is batched: two statements per 1,000 sessions per period, so statements grow in steps of 1,000 sessions, slower than proportionally below that.',
      `The re-check's own cost is the hub's account of it (GET /metrics): hub_live_recheck_duration_seconds (one observation per batch of up to 1,000 sessions, its wall time; a round of more sessions is several batches a second apart) and hub_live_recheck_cpu_seconds (a histogram of the process CPU, every thread, from each batch's start to its end; whatever else ran in between is in it too, so it is an upper bound), read before and after the window. The goal is checked per batch, on the histogram's 0.1 s bucket, so one costly batch fails it even when the mean passes. The 1-s windows around a tick are reported beside it but are not its measure: a tick can fall next to Socket.IO's heartbeats (25 s after each socket connected, so the joins' pings come as a wave) or V8's memory reducer, which some 40 s after the joins runs up to three compacting GCs of the whole heap to give back what the joins grew it by (seen with --trace-gc as "Mark-Compact (reduce)", about 0.5 s of CPU over its threads at 1,000 sockets); its main-thread part is in the GC pauses column (prom-client's hub_nodejs_gc_duration_seconds).`,
    ],
    raw: { sizes: SIZES, windowMs: WINDOW_MS, points },
  };
}
