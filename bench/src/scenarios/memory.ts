import { socketIoClients } from '../lib/clients';
import { Inspector, type Proc } from '../lib/procs';
import { ratio, type ScenarioResult, type Table } from '../lib/report';
import { log, median, QUICK, REPEATS, round, sleep } from '../lib/util';
import { getWorld, startHub } from '../lib/world';
import { startBaseline } from './common';
import { PROFILE } from './fanout';

const SIZES = QUICK ? [1000] : [1000, 5000];

interface Sample {
  sockets: number;
  heapPerSocket: number;
  externalPerSocket: number;
  totalPerSocket: number;
  rssPerSocket: number;
}

/** Memory of `proc` (after forced GC) before and after `n` sockets connect; bytes per socket. */
export const heapProfiles: { label: string; top: { fn: string; bytes: number }[] }[] = [];

async function measure(
  proc: Proc,
  n: number,
  specs: (i: number) => { auth?: Record<string, string>; query?: Record<string, string> },
  heapLabel?: string,
): Promise<Sample> {
  const inspector = await Inspector.connect(proc.inspectorUrl!);
  try {
    await sleep(500);
    const before = await inspector.memory();
    if (heapLabel) await inspector.startHeapSampling();
    const sockets = await socketIoClients(
      proc.url,
      Array.from({ length: n }, (_, i) => specs(i)),
      null,
    );
    await sleep(1_000);
    const after = await inspector.memory();
    if (heapLabel) heapProfiles.push({ label: heapLabel, top: await inspector.stopHeapSampling() });
    await sockets.close();
    const per = (key: keyof NodeJS.MemoryUsage) => (after[key] - before[key]) / n;
    return {
      sockets: n,
      heapPerSocket: per('heapUsed'),
      externalPerSocket: per('external'),
      totalPerSocket: per('heapUsed') + per('external'),
      rssPerSocket: per('rss'),
    };
  } finally {
    inspector.close();
  }
}

export async function memory(): Promise<Omit<ScenarioResult, 'seconds'>> {
  const world = await getWorld();
  const tokens = world.taskForces.flatMap((tf) => tf.seats.map((s) => s.token));
  const runs: Record<string, Sample[]> = {};
  for (const n of SIZES) {
    for (let rep = 0; rep < Math.min(REPEATS, n > 1000 ? 1 : 2); rep++) {
      // A fresh process each time, so nothing of the previous size is left on the heap.
      const gateway = await startHub('gateway', world.env(), true);
      try {
        (runs[`gateway ${n}`] ??= []).push(
          await measure(
            gateway,
            n,
            (i) => ({ auth: { token: tokens[i % tokens.length] } }),
            PROFILE && rep === 0 && n === SIZES[0] ? `gateway ${n} sockets` : undefined,
          ),
        );
      } finally {
        await gateway.stop();
      }
      const bare = await startBaseline('socketio', {}, true);
      try {
        (runs[`bare ${n}`] ??= []).push(
          await measure(
            bare,
            n,
            (i) => ({ query: { room: `r${i % 4}` } }),
            PROFILE && rep === 0 && n === SIZES[0] ? `bare Socket.IO ${n} sockets` : undefined,
          ),
        );
      } finally {
        await bare.stop();
      }
      const g = runs[`gateway ${n}`].at(-1)!;
      const b = runs[`bare ${n}`].at(-1)!;
      log(
        `memory ${n} run ${rep + 1}: gateway ${Math.round(g.totalPerSocket)} B/socket (rss ${Math.round(g.rssPerSocket)}), bare ${Math.round(b.totalPerSocket)} B/socket (rss ${Math.round(b.rssPerSocket)})`,
      );
    }
  }
  const m = (key: string, field: keyof Sample) => round(median(runs[key].map((s) => s[field] as number)), 0);
  const table: Table = {
    title: 'Idle authenticated sockets: bytes per connection (heap + external, after forced GC)',
    columns: [
      'sockets',
      'gateway B/socket',
      'bare Socket.IO B/socket',
      'gateway ÷ bare',
      'gateway RSS B/socket',
      'bare RSS B/socket',
      'gateway heap / external',
      'bare heap / external',
    ],
    rows: SIZES.map((n) => [
      n,
      m(`gateway ${n}`, 'totalPerSocket'),
      m(`bare ${n}`, 'totalPerSocket'),
      ratio(m(`gateway ${n}`, 'totalPerSocket'), m(`bare ${n}`, 'totalPerSocket')),
      m(`gateway ${n}`, 'rssPerSocket'),
      m(`bare ${n}`, 'rssPerSocket'),
      `${m(`gateway ${n}`, 'heapPerSocket')} / ${m(`gateway ${n}`, 'externalPerSocket')}`,
      `${m(`bare ${n}`, 'heapPerSocket')} / ${m(`bare ${n}`, 'externalPerSocket')}`,
    ]),
  };
  return {
    id: 'memory',
    title: '5. Memory per connection',
    tables: [table],
    targets: SIZES.map((n) => {
      const r = ratio(m(`gateway ${n}`, 'totalPerSocket'), m(`bare ${n}`, 'totalPerSocket'));
      return {
        target: `${n} sockets: gateway within 1.3× of bare Socket.IO`,
        measured: `${m(`gateway ${n}`, 'totalPerSocket')} vs ${m(`bare ${n}`, 'totalPerSocket')} B = ${r}×`,
        met: r <= 1.3,
      };
    }),
    notes: [
      'Each figure is (memory with N sockets − memory before they connected) ÷ N, in a freshly started process, where memory is `process.memoryUsage()` read through the V8 inspector right after two forced full GCs (HeapProfiler.collectGarbage). heap + external is the primary figure; RSS is shown too but includes allocator slack and is noisier.',
      "Gateway: the `gateway` deployable on PostgreSQL, sockets authenticated with an access token in the handshake (each of the 44 demo members' tokens shared round-robin), joined to nothing but their member room (the handshake does that). Bare Socket.IO: same client options (websocket transport only), each socket joined to one of 4 rooms.",
      'Sockets are not joined to a task-force room here: joining costs O(N) presence messages per join (see scenario 1 notes), which makes mass joins of thousands very slow; it would not change the idle footprint much.',
    ],
    raw: { runs, heapProfiles },
  };
}
