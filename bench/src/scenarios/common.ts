import { Collector, joinRooms, socketIoClients, wsClients } from '../lib/clients';
import { type FanoutResult, type FanoutTarget } from '../lib/fanout';
import { post } from '../lib/http';
import { BASELINE_READY, baselineEntry, type Inspector, type Proc, startProcess, TMP } from '../lib/procs';
import { type Cell, ratio, type Table } from '../lib/report';
import { log } from '../lib/util';
import { addNote, type TaskForce, type World } from '../lib/world';
import { join } from 'node:path';

export interface Layout {
  rooms: number;
  perRoom: number;
}

export const layoutName = (l: Layout) => `${l.rooms} × ${l.perRoom}`;

export function startBaseline(
  kind: 'socketio' | 'ws' | 'apollo',
  env: Record<string, string> = {},
  inspect = false,
): Promise<Proc> {
  return startProcess({ name: `baseline-${kind}`, script: baselineEntry(kind), env, inspect, ready: BASELINE_READY });
}

export interface Connected {
  target: FanoutTarget;
  close(): Promise<void>;
}

/**
 * The hub: sockets on `gateways` (round robin), each room a task force, each socket signed in as one of
 * the task force's 11 demo members in turn (so all 11 audience rooms are used); the event comes from a
 * minute-note mutation sent to `apiUrl`.
 */
export async function hubTarget(
  name: string,
  apiUrl: string,
  gateways: string[],
  world: World,
  layout: Layout,
  inspector?: Inspector,
): Promise<Connected> {
  const collector = new Collector();
  const started = Date.now();
  const tfs: TaskForce[] = world.taskForces.slice(0, layout.rooms);
  if (tfs.length < layout.rooms) throw new Error(`only ${world.taskForces.length} task forces`);
  const all: { close(): Promise<void> }[] = [];
  for (const [room, tf] of tfs.entries()) {
    for (const [g, gateway] of gateways.entries()) {
      const count = Math.floor(layout.perRoom / gateways.length) + (g < layout.perRoom % gateways.length ? 1 : 0);
      const specs = Array.from({ length: count }, (_, i) => ({
        auth: { token: tf.seats[(i * gateways.length + g) % tf.seats.length].token },
      }));
      const sockets = await socketIoClients(gateway, specs, collector);
      await joinRooms(sockets, () => ({ taskForceId: tf.id }));
      all.push(sockets);
    }
    void room;
  }
  log(`${name}: ${layoutName(layout)} sockets connected and joined in ${Date.now() - started} ms`);
  return {
    target: {
      name,
      collector,
      recipients: tfs.map(() => layout.perRoom),
      trigger: (room, seq) => addNote(apiUrl, tfs[room], seq),
      profile: inspector && profiler(inspector),
    },
    close: async () => {
      for (const s of all) await s.close();
    },
  };
}

export function profiler(inspector: Inspector) {
  return {
    start: () => inspector.startProfile(),
    stop: async (label: string) => {
      const result = await inspector.stopProfile(join(TMP, 'profiles', `${label}.cpuprofile`));
      profiles.push({ label, ...result });
      return result;
    },
  };
}

/** CPU profiles taken in this run (BENCH_PROFILE=1): file and top self-time functions. */
export const profiles: { label: string; file: string; top: { fn: string; selfMs: number; share: number }[] }[] = [];

export async function socketIoTarget(url: string, layout: Layout, name = 'bare Socket.IO'): Promise<Connected> {
  const collector = new Collector();
  const specs = Array.from({ length: layout.rooms * layout.perRoom }, (_, i) => ({
    query: { room: `r${i % layout.rooms}` },
  }));
  const sockets = await socketIoClients(url, specs, collector);
  return {
    target: {
      name,
      collector,
      recipients: Array(layout.rooms).fill(layout.perRoom),
      trigger: (room, seq) => post(`${url}/broadcast?room=r${room}&seq=${seq}`, ''),
    },
    close: () => sockets.close(),
  };
}

export async function wsTarget(url: string, layout: Layout): Promise<Connected> {
  const collector = new Collector();
  const rooms = Array.from({ length: layout.rooms * layout.perRoom }, (_, i) => `r${i % layout.rooms}`);
  const sockets = await wsClients(url, rooms, collector);
  return {
    target: {
      name: 'raw ws',
      collector,
      recipients: Array(layout.rooms).fill(layout.perRoom),
      trigger: (room, seq) => post(`${url}/broadcast?room=r${room}&seq=${seq}`, ''),
    },
    close: () => sockets.close(),
  };
}

/** One table row per target, with ratios to the first baseline (and the second, if any). */
export function fanoutRows(layout: string, results: FanoutResult[], hubName: string, baselines: string[]): Cell[][] {
  const hub = results.find((r) => r.target === hubName)!.median;
  return results.map((r) => {
    const m = r.median;
    const row: Cell[] = [layout, r.target, m.lastP50, m.lastP99, m.deliveryP50, m.deliveryP99, m.deliveriesPerSec];
    for (const b of baselines) {
      const base = results.find((x) => x.target === b)!.median;
      row.push(
        r.target === hubName
          ? `${ratio(hub.lastP99, base.lastP99)}× / ${ratio(hub.deliveriesPerSec, base.deliveriesPerSec)}×`
          : '',
      );
    }
    return row;
  });
}

export function fanoutTable(title: string, baselines: string[]): Table {
  return {
    title,
    columns: [
      'sockets (rooms × per room)',
      'server',
      'last-recipient p50 ms',
      'last-recipient p99 ms',
      'delivery p50 ms',
      'delivery p99 ms',
      'deliveries/s (4 in flight)',
      ...baselines.map((b) => `hub ÷ ${b} (p99 / deliveries/s)`),
    ],
    rows: [],
  };
}
