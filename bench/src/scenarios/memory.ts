import type { Socket } from 'socket.io-client';
import { socketIoClients } from '../lib/clients';
import { distinctMembers } from '../lib/members';
import { Inspector, type Proc } from '../lib/procs';
import { ratio, type ScenarioResult, type Table } from '../lib/report';
import { log, median, REPEATS, round, sleep } from '../lib/util';
import { getWorld, startHub } from '../lib/world';
import { startBaseline } from './common';
import { PROFILE } from './fanout';
import { ratioSpread, showRatio, verdict } from '../lib/fanout';

/** Socket counts at which memory is read, ascending; the slope is taken from the first to the last. */
const SIZES = (process.env.BENCH_MEMORY_SIZES ?? '1000,10000')
  .split(',')
  .map(Number)
  .sort((a, b) => a - b);
/** Sockets connected and closed before the first reading, so JIT code and pools are not charged to the sockets. */
const WARMUP = Number(process.env.BENCH_MEMORY_WARMUP ?? 500);
const MEMORY_REPEATS = Number(process.env.BENCH_MEMORY_REPEATS ?? Math.min(REPEATS, 2));
const GOAL = 1.3;

interface Point {
  sockets: number;
  /** heap used + external, and RSS, in bytes, after forced GCs. */
  total: number;
  rss: number;
}

interface Series {
  /** Reading after the warm-up, with no socket connected. */
  empty: Point;
  points: Point[];
  /** Bytes per socket from the first size to the last: Δ(heap + external) ÷ Δsockets. */
  slope: number;
  rssSlope: number;
}

export const heapProfiles: { label: string; top: { fn: string; bytes: number }[] }[] = [];

/**
 * One process: warm up (connect and close WARMUP sockets), read memory with none connected, then
 * connect sockets up to each size in turn and read memory at each (after two forced full GCs).
 */
async function series(
  proc: Proc,
  spec: (i: number) => { auth?: Record<string, string>; query?: Record<string, string> },
  heapLabel?: string,
): Promise<Series> {
  const inspector = await Inspector.connect(proc.inspectorUrl!);
  const open: (Socket[] & { close(): Promise<void> })[] = [];
  try {
    if (WARMUP > 0) {
      const warm = await socketIoClients(
        proc.url,
        Array.from({ length: WARMUP }, (_, i) => spec(SIZES.at(-1)! + i)),
        null,
      );
      await sleep(500);
      await warm.close();
      await sleep(1_500);
    }
    const read = async (sockets: number): Promise<Point> => {
      const m = await inspector.memory();
      return { sockets, total: m.heapUsed + m.external, rss: m.rss };
    };
    const empty = await read(0);
    const points: Point[] = [];
    let connected = 0;
    for (const [k, n] of SIZES.entries()) {
      if (heapLabel && k === 1) await inspector.startHeapSampling();
      const t0 = Date.now();
      const more = await socketIoClients(
        proc.url,
        Array.from({ length: n - connected }, (_, i) => spec(connected + i)),
        null,
      );
      open.push(more);
      log(`memory ${proc.name}: ${n} sockets connected (${n - connected} more in ${Date.now() - t0} ms)`);
      connected = n;
      await sleep(1_000);
      points.push(await read(n));
      // A socket the server dropped (a ping timeout on a loaded machine) would flatter the slope.
      const dropped = open.reduce((sum, sockets) => sum + sockets.filter((socket) => !socket.connected).length, 0);
      if (dropped) throw new Error(`memory ${proc.name}: ${dropped} of ${n} sockets were disconnected`);
      if (heapLabel && k === 1) heapProfiles.push({ label: heapLabel, top: await inspector.stopHeapSampling() });
    }
    const [first, last] = [points[0], points.at(-1)!];
    const span = Math.max(1, last.sockets - first.sockets);
    return {
      empty,
      points,
      slope: (last.total - first.total) / span,
      rssSlope: (last.rss - first.rss) / span,
    };
  } finally {
    for (const s of open) await s.close();
    inspector.close();
  }
}

export async function memory(): Promise<Omit<ScenarioResult, 'seconds'>> {
  const world = await getWorld();
  const tf = world.taskForces[2]; // CRA: the fan-out scenarios seed the others
  const members = await distinctMembers(world, tf, SIZES.at(-1)! + WARMUP);
  const runs: Record<'gateway' | 'bare', Series[]> = { gateway: [], bare: [] };
  for (let rep = 0; rep < MEMORY_REPEATS; rep++) {
    // A fresh process each time, so nothing of the previous series is left on the heap.
    const heap = PROFILE && rep === 0 && SIZES.length > 1;
    const gateway = await startHub('gateway', world.env(), true);
    try {
      runs.gateway.push(
        await series(
          gateway,
          (i) => ({ auth: { token: members[i].token } }),
          heap ? `gateway ${SIZES[0]} → ${SIZES[1]} sockets` : undefined,
        ),
      );
    } finally {
      await gateway.stop();
    }
    const bare = await startBaseline('socketio', {}, true);
    try {
      runs.bare.push(
        await series(
          bare,
          (i) => ({ query: { room: `r${i % 4}` } }),
          heap ? `bare Socket.IO ${SIZES[0]} → ${SIZES[1]} sockets` : undefined,
        ),
      );
    } finally {
      await bare.stop();
    }
    const [g, b] = [runs.gateway.at(-1)!, runs.bare.at(-1)!];
    log(
      `memory run ${rep + 1}: slope ${SIZES[0]} → ${SIZES.at(-1)} sockets: gateway ${Math.round(g.slope)} B/socket (rss ${Math.round(g.rssSlope)}), bare ${Math.round(b.slope)} B/socket (rss ${Math.round(b.rssSlope)})`,
    );
  }
  const med = (kind: 'gateway' | 'bare', f: (s: Series) => number) => round(median(runs[kind].map(f)), 0);
  const perSocketAt = (s: Series, k: number) => (s.points[k].total - s.empty.total) / s.points[k].sockets;
  const slope = ratioSpread(
    runs.gateway.map((g, i) => [g.slope, runs.bare[i].slope]),
    median(runs.gateway.map((g) => g.slope)) / median(runs.bare.map((b) => b.slope)),
  );
  const slopeTable: Table = {
    title: `Memory slope per idle socket, ${SIZES[0].toLocaleString('en')} → ${SIZES.at(-1)!.toLocaleString('en')} sockets (heap + external, after forced GC; medians of ${MEMORY_REPEATS})`,
    columns: ['server', 'B/socket (slope)', 'over repeats', 'RSS B/socket (slope)', 'hub ÷ bare (repeat by repeat)'],
    rows: (['gateway', 'bare'] as const).map((kind) => [
      kind === 'gateway' ? 'gateway (hub)' : 'bare Socket.IO',
      med(kind, (s) => s.slope),
      `${Math.round(Math.min(...runs[kind].map((s) => s.slope)))}–${Math.round(Math.max(...runs[kind].map((s) => s.slope)))}`,
      med(kind, (s) => s.rssSlope),
      kind === 'gateway' ? showRatio(slope) : '',
    ]),
  };
  const pointsTable: Table = {
    title:
      'Bytes per socket at each size, from the reading with no socket after the warm-up (fixed costs of the first sockets included)',
    columns: ['sockets', 'gateway B/socket', 'bare Socket.IO B/socket', 'gateway ÷ bare'],
    rows: SIZES.map((n, k) => [
      n,
      med('gateway', (s) => perSocketAt(s, k)),
      med('bare', (s) => perSocketAt(s, k)),
      ratio(
        med('gateway', (s) => perSocketAt(s, k)),
        med('bare', (s) => perSocketAt(s, k)),
      ),
    ]),
  };
  const met = verdict(slope, GOAL);
  return {
    id: 'memory',
    title: '5. Memory per connection',
    tables: [slopeTable, pointsTable],
    targets: [
      {
        target: `memory slope per idle socket, ${SIZES[0]} → ${SIZES.at(-1)}: gateway within ${GOAL}× of bare Socket.IO`,
        measured: `${med('gateway', (s) => s.slope)} vs ${med('bare', (s) => s.slope)} B = ${showRatio(slope)}`,
        met,
        unsettled: met === null,
      },
    ],
    notes: [
      `Each series runs in a freshly started process: first ${WARMUP} sockets connect and close (warm-up: JIT code, pools and lazily built state are made before any reading), then memory is read with no socket connected and again after the sockets connected reach each of ${SIZES.join(', ')} (cumulative, same process). Memory is \`process.memoryUsage()\` read through the V8 inspector right after two forced full GCs (HeapProfiler.collectGarbage); heap used + external is the primary figure, RSS is shown too but includes allocator slack.`,
      `The verdict figure is the slope: (memory at ${SIZES.at(-1)} − memory at ${SIZES[0]}) ÷ ${SIZES.at(-1)! - SIZES[0]} sockets, which leaves out every fixed cost; sizes are BENCH_MEMORY_SIZES (comma-separated), repeats BENCH_MEMORY_REPEATS (default ${Math.min(REPEATS, 2)}).`,
      'Gateway: the `gateway` deployable on PostgreSQL, each socket authenticated as a distinct member (seeded, as in scenario 1) with an access token in the handshake, joined to no room (its notices find it through the live-session watch). Bare Socket.IO: same client options (websocket transport only), each socket joined to one of 4 rooms.',
      'Sockets are not joined to a task-force room here: this is the idle footprint of a connection; joining adds room and listener entries, not much.',
    ],
    raw: { sizes: SIZES, warmup: WARMUP, runs, heapProfiles },
  };
}
