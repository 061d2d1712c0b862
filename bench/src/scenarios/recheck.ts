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
/** Whole re-check periods per window: a window of k periods holds exactly k re-checks, whatever the phase. */
const INTERVALS = 2;
const WINDOW_MS = INTERVALS * RECHECK_MS;
const SAMPLE_MS = 100;
const CPU_GOAL = 10;
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

async function measure(sessions: number): Promise<Point> {
  const world = await getWorld();
  const tf = world.taskForces[2];
  const members = await distinctMembers(world, tf, sessions);
  const proxy = await startPgProxy();
  // The reminder sweep (every 60 s by default) would fire with every second re-check and its burst be
  // charged to it: off here (REMINDER_SWEEP_SECONDS=0), so what the window shows is the re-check's.
  const hub = await startHub('hub', world.env({ DATABASE_URL: proxy.url(world.dbName), REMINDER_SWEEP_SECONDS: '0' }));
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
    const before = await proxy.snapshot();
    const started = performance.now();
    while (performance.now() - started < WINDOW_MS) {
      samples.push({ t: performance.now(), ms: cpuMs(pid) });
      await sleep(SAMPLE_MS);
    }
    samples.push({ t: performance.now(), ms: cpuMs(pid) });
    const d = delta(before, await proxy.snapshot(), idle);
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
      `recheck: ${sessions} sessions: ${point.statementsPerMinute} statements/min (${point.recheckPerMinute} re-check), CPU mean ${point.cpuMeanPct} %, busiest 1 s ${point.cpuMax1sPct} % (at a re-check ${point.cpuMax1sAtRecheckPct} %, elsewhere ${point.cpuMax1sElsewherePct} %; per tick ${point.perTick.map((t) => `${t.pct} % at ${t.tickS} s`).join(', ')}; top 5 ${point.busiest.map((b) => `${b.pct} % at ${b.atS} s`).join(', ')})`,
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
      'server CPU mean % of a core',
      'busiest 1 s % of a core',
      'busiest 1 s at a re-check',
      'busiest 1 s elsewhere',
    ],
    rows: points.map((p) => [
      p.sessions,
      p.statementsPerMinute,
      p.foregroundPerMinute,
      p.recheckPerMinute,
      round(perSession(p) * 1000, 1),
      p.cpuMeanPct,
      p.cpuMax1sPct,
      p.cpuMax1sAtRecheckPct,
      p.cpuMax1sElsewherePct,
    ]),
  };
  const growth = perSession(small) > 0 ? perSession(large) / perSession(small) : perSession(large) > 0 ? Infinity : 1;
  const busiest = Math.max(...points.map((p) => p.cpuMax1sPct));
  return {
    id: 'recheck',
    title: '9. Session re-check',
    tables: [table],
    targets: [
      {
        target: `re-check statements per minute at most proportional to sessions (per session at ${large.sessions} ≤ ${PROPORTION_SLACK}× at ${small.sessions})`,
        measured:
          points.map((p) => `${p.recheckPerMinute}/min at ${p.sessions}`).join(', ') +
          ` (per session ${round(growth, 2)}×)`,
        met: points.length > 1 ? growth <= PROPORTION_SLACK : null,
      },
      {
        target: `no CPU burst over ${CPU_GOAL} % of a core (busiest 1-s window of the server process)`,
        measured: points
          .map(
            (p) =>
              `${p.cpuMax1sPct} % at ${p.sessions} (at a re-check ${p.cpuMax1sAtRecheckPct} %, elsewhere ${p.cpuMax1sElsewherePct} %)`,
          )
          .join(', '),
        met: busiest <= CPU_GOAL,
      },
    ],
    notes: [
      `One hub process per size, behind the counting proxy (bench/src/lib/pgproxy-main.ts), N distinct seeded members (lib/members.ts), each with its own session and socket, all joined to one task force's room. After the joins settle, a window of ${INTERVALS} re-check periods (RECHECK_MS = 30 s, no knob) holds exactly ${INTERVALS} re-checks; nothing else is asked of the hub, and its reminder sweep (every 60 s, with every second re-check) is off. "Idle timers taken off": each statement text's rate in a 10 s window before any socket connected (relay sweep, stream poll) is subtracted. "Re-check": the sessions read (with member and agency) and the memberships read of SessionLookup.liveActors; "all" also holds the other timers (relay sweep, webhook and API-key sweeps, reminders, and the joined room's stream poll, which the idle window had no room for).`,
      `CPU: utime + stime of the server process from /proc/<pid>/stat every ${SAMPLE_MS} ms (10 ms ticks, so a 1-s window reads in steps of 1 %); the busiest window is the largest CPU rise over ≥ 0.9 s of consecutive samples. "At a re-check": windows ending up to ${AROUND_TICK_MS / 1000} s after a tick (ticks estimated as every 30 s from the hub being ready); "elsewhere": the rest, Socket.IO's heartbeats (a ping every 25 s per socket) among them. Per tick: the busiest window after each tick, in raw.`,
      'The re-check is batched: two statements per 1,000 sessions per period, so statements grow in steps of 1,000 sessions, slower than proportionally below that.',
    ],
    raw: { sizes: SIZES, windowMs: WINDOW_MS, points },
  };
}
