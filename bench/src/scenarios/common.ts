import { Collector, joinRooms, socketIoClients, wsClients } from '../lib/clients';
import {
  type FanoutFigures,
  type FanoutResult,
  type FanoutTarget,
  pairedRatio,
  showRatio,
  WINDOW,
} from '../lib/fanout';
import { post } from '../lib/http';
import { BASELINE_READY, baselineEntry, type Inspector, type Proc, startProcess, TMP } from '../lib/procs';
import { type Cell, fmt, type Table } from '../lib/report';
import { log, sleep } from '../lib/util';
import { distinctMembers } from '../lib/members';
import { addNote, type TaskForce, type World } from '../lib/world';
import { join } from 'node:path';

export interface Layout {
  rooms: number;
  perRoom: number;
}

export const layoutName = (l: Layout) => `${l.rooms} × ${l.perRoom}`;

/**
 * A baseline server, in production mode as the hub runs (benchEnv): without it graphql-js checks every
 * type with its development-mode instanceOf, which cost the Apollo baseline about 2.5 % of its CPU.
 */
export function startBaseline(
  kind: 'socketio' | 'ws' | 'apollo',
  env: Record<string, string> = {},
  inspect = false,
): Promise<Proc> {
  return startProcess({
    name: `baseline-${kind}`,
    script: baselineEntry(kind),
    env: { NODE_ENV: 'production', ...env },
    inspect,
    ready: BASELINE_READY,
  });
}

export interface Connected {
  target: FanoutTarget;
  close(): Promise<void>;
}

/** What joining the hub's rooms cost, per layout: time to join every socket, and the presence it caused. */
export interface JoinFigures {
  sockets: number;
  joinMs: number;
  /** `presence.changed` messages received by all the sockets, until the room has been quiet for a batch interval. */
  presenceMessages: number;
  /** Entries in those messages (one per connection that joined). */
  presenceChanges: number;
}
export const joinFigures = new Map<string, JoinFigures>();

/**
 * The hub: sockets on `gateways` (round robin), each room a task force, every socket signed in as a
 * member of its own (seeded, see lib/members.ts: the 11 agency kinds in turn, so all 11 audience rooms
 * are used); the event comes from a minute-note mutation sent to `apiUrl`.
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
  const tfs: TaskForce[] = world.taskForces.slice(0, layout.rooms);
  if (tfs.length < layout.rooms) throw new Error(`only ${world.taskForces.length} task forces`);
  const members = await Promise.all(tfs.map((tf) => distinctMembers(world, tf, layout.perRoom)));
  const started = Date.now();
  const all: { close(): Promise<void> }[] = [];
  const presence = { messages: 0, changes: 0, lastAt: Date.now() };
  let joinMs = 0;
  for (const [room, tf] of tfs.entries()) {
    for (const [g, gateway] of gateways.entries()) {
      const mine = members[room].filter((_, i) => i % gateways.length === g);
      const sockets = await socketIoClients(
        gateway,
        mine.map((m) => ({ auth: { token: m.token } })),
        collector,
      );
      for (const socket of sockets)
        socket.on('presence.changed', (batch) => {
          presence.messages++;
          presence.changes += batch.changes.length;
          presence.lastAt = Date.now();
        });
      const joinStarted = Date.now();
      await joinRooms(sockets, () => ({ taskForceId: tf.id }));
      joinMs += Date.now() - joinStarted;
      all.push(sockets);
    }
  }
  // The last batch has gone out once the room has been quiet for longer than its presence interval
  // (apps/gateway/src/presence-batches.ts: 10 ms per socket, 250 ms to 30 s).
  const interval = Math.min(30_000, Math.max(250, 10 * layout.perRoom));
  while (Date.now() - presence.lastAt < interval + 500) await sleep(100);
  joinFigures.set(layoutName(layout), {
    sockets: layout.rooms * layout.perRoom,
    joinMs,
    presenceMessages: presence.messages,
    presenceChanges: presence.changes,
  });
  log(
    `${name}: ${layoutName(layout)} sockets (distinct members) connected and joined in ${Date.now() - started} ms ` +
      `(joins ${joinMs} ms; ${presence.messages} presence messages with ${presence.changes} changes)`,
  );
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

export async function socketIoTarget(url: string, layout: Layout, name = SOCKET_IO): Promise<Connected> {
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

export const SOCKET_IO = 'Socket.IO + outbox';
export const RAW_WS = 'raw ws';

const trio = (m: FanoutFigures, key: 'last' | 'first' | 'spread') =>
  `${fmt(m[`${key}P50`])} / ${fmt(m[`${key}P90`])} / ${fmt(m[`${key}P99`])}`;
const span = ([lo, hi]: [number, number]) => `${fmt(lo)}–${fmt(hi)}`;

/** Latency rows: one per target; every cell a median over the repeats, with the p99's spread over them. */
export function latencyRows(layout: string, results: FanoutResult[]): Cell[][] {
  return results.map((r) => [
    layout,
    r.target,
    r.median.events,
    trio(r.median, 'last'),
    span(r.range.lastP99),
    trio(r.median, 'first'),
    trio(r.median, 'spread'),
    span(r.range.spreadP99),
  ]);
}

export function latencyTable(title: string): Table {
  return {
    title,
    columns: [
      'sockets (rooms × per room)',
      'server',
      'events (all runs)',
      'at → last recipient p50 / p90 / p99 ms',
      'its p99 over repeats',
      'at → first recipient (commit → first emit) p50 / p90 / p99 ms',
      'first → last recipient (emit → last) p50 / p90 / p99 ms',
      'its p99 over repeats',
    ],
    rows: [],
  };
}

/** hub ÷ each baseline, per figure: ratio of the medians, and the range of the repeat-by-repeat ratios. */
export function ratioRows(layout: string, results: FanoutResult[], hubName: string, baselines: string[]): Cell[][] {
  const hub = results.find((r) => r.target === hubName)!;
  return baselines.map((b) => {
    const base = results.find((r) => r.target === b)!;
    return [
      layout,
      `${hubName} ÷ ${b}`,
      showRatio(pairedRatio(hub, base, 'spreadP99')),
      showRatio(pairedRatio(hub, base, 'lastP99')),
      showRatio(pairedRatio(hub, base, 'firstP50')),
      showRatio(pairedRatio(hub, base, 'eventsPerSec')),
    ];
  });
}

export function ratioTable(title: string): Table {
  return {
    title,
    columns: [
      'sockets (rooms × per room)',
      'ratio',
      'first → last p99',
      'at → last p99',
      'at → first p50',
      'saturation triggers/s',
    ],
    rows: [],
  };
}

/** Saturation rows: what one room's (or each room's) trigger path sustains with 4 in flight. */
export function saturationRows(layout: string, results: FanoutResult[]): Cell[][] {
  return results.map((r) => [
    layout,
    r.target,
    r.median.eventsPerSec,
    `${fmt(r.range.eventsPerSec[0])}–${fmt(r.range.eventsPerSec[1])}`,
    r.median.deliveriesPerSec,
  ]);
}

export function saturationTable(title: string): Table {
  return {
    title,
    columns: [
      'sockets (rooms × per room)',
      'server',
      'triggers/s (4 in flight)',
      'over repeats',
      'deliveries/s received',
    ],
    rows: [],
  };
}

export const SATURATION_NOTE =
  `Saturation is trigger throughput, not fan-out capacity: ${WINDOW} triggers in flight, closed loop (a slot sends its next one when its previous event has reached every recipient). ` +
  "For the hub a trigger is an `addMinuteNote` mutation over HTTP: GraphQL, authentication, a transaction that takes the task force's cursor row lock, then the relay and the fan-out; " +
  "for Socket.IO + outbox it is one transaction on its room's cursor row, then its relay and the emit; so with one room both are mutation throughput on one cursor row (the lock serialises them, by design: gap-free cursors), with 4 rooms on 4 rows. " +
  "Raw ws has no database: its figure is the machine's fan-out limit.";
