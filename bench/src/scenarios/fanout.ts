import { compareFanout, type FanoutResult } from '../lib/fanout';
import { Inspector, type Proc } from '../lib/procs';
import { ratio, type ScenarioResult } from '../lib/report';
import { log, QUICK } from '../lib/util';
import { getWorld, startHub } from '../lib/world';
import {
  type Connected,
  fanoutRows,
  fanoutTable,
  hubTarget,
  type Layout,
  layoutName,
  socketIoTarget,
  startBaseline,
  wsTarget,
} from './common';

export const PROFILE = ['1', 'true'].includes(process.env.BENCH_PROFILE ?? '');

/** Fan-out results by layout name, so "growth" can reuse what "fanout" measured in the same run. */
export const measured = new Map<string, FanoutResult[]>();

export async function fanoutLayouts(layouts: Layout[], label: string): Promise<Map<string, FanoutResult[]>> {
  const world = await getWorld();
  const out = new Map<string, FanoutResult[]>();
  const hub: Proc = await startHub('hub', world.env(), PROFILE);
  const inspector = hub.inspectorUrl ? await Inspector.connect(hub.inspectorUrl) : undefined;
  const sio = await startBaseline('socketio');
  const ws = await startBaseline('ws');
  try {
    for (const layout of layouts) {
      const cached = measured.get(layoutName(layout));
      if (cached) {
        log(`${label}: ${layoutName(layout)} already measured in this run; reusing it`);
        out.set(layoutName(layout), cached);
        continue;
      }
      const connected: Connected[] = [];
      try {
        connected.push(await hubTarget('hub', hub.url, [hub.url], world, layout, inspector));
        connected.push(await socketIoTarget(sio.url, layout));
        connected.push(await wsTarget(ws.url, layout));
        const results = await compareFanout(
          connected.map((c) => c.target),
          `${label}-${layout.rooms}x${layout.perRoom}`,
          PROFILE,
        );
        out.set(layoutName(layout), results);
        measured.set(layoutName(layout), results);
      } finally {
        for (const c of connected) await c.close();
      }
    }
  } finally {
    inspector?.close();
    await Promise.all([hub.stop(), sio.stop(), ws.stop()]);
  }
  return out;
}

const BOUND =
  'The client side (socket.io-client parsing, one process) and the servers share the same 2 cores; every target is driven by the same client code, ' +
  'so the client cost is in every figure alike and the ratios are fair, while the absolute figures are lower than on a dedicated client machine.';

export async function fanout(): Promise<Omit<ScenarioResult, 'seconds'>> {
  const layouts: Layout[] = [
    { rooms: 4, perRoom: 250 },
    { rooms: 1, perRoom: 1000 },
  ];
  const results = await fanoutLayouts(layouts, 'fanout');
  const table = fanoutTable('Room fan-out: one mutation to every socket of the room', ['bare Socket.IO', 'raw ws']);
  const targets: ScenarioResult['targets'] = [];
  for (const layout of layouts) {
    const rs = results.get(layoutName(layout))!;
    table.rows.push(...fanoutRows(layoutName(layout), rs, 'hub', ['bare Socket.IO', 'raw ws']));
    const hub = rs.find((r) => r.target === 'hub')!.median;
    const sio = rs.find((r) => r.target === 'bare Socket.IO')!.median;
    const ws = rs.find((r) => r.target === 'raw ws')!.median;
    const r = ratio(hub.lastP99, sio.lastP99);
    targets.push({
      target: `${layoutName(layout)}: p99 within 1.5× of bare Socket.IO`,
      measured: `${hub.lastP99} ms vs ${sio.lastP99} ms = ${r}×`,
      met: r <= 1.5,
    });
    targets.push({
      target: `${layoutName(layout)}: ratio to raw ws (report only)`,
      measured: `${hub.lastP99} ms vs ${ws.lastP99} ms = ${ratio(hub.lastP99, ws.lastP99)}×`,
      met: null,
    });
  }
  return {
    id: 'fanout',
    title: '1. Room fan-out',
    tables: [table],
    targets,
    notes: [
      "Timer: starts at the envelope's `at` (the hub stamps it when the event row is created inside the mutation's transaction, just before the INSERT and COMMIT; the baselines stamp it just before `emit`/write), stops when the client process receives the message (Date.now(), ms resolution, same machine clock). \"Last recipient\" = the last of the room's sockets to receive that event; p50/p99 over " +
        `${QUICK ? 10 : 20} events per run, one at a time. "Delivery" percentiles are over every single delivery.`,
      "Saturation: 4 events in flight (each slot sends its next event when its previous one has reached every recipient) for a few seconds; deliveries/s = messages received by all clients / elapsed time. For the hub an event is an `addMinuteNote` mutation over HTTP (the coordinator of the task force), so it includes the GraphQL request, the transaction and its commit; with 1 room all 4 in-flight mutations queue on the task force's cursor row lock (by design: gap-free cursors).",
      "Hub sockets: each task force's 11 demo members (one per agency kind) sign in once and their tokens are shared round-robin by the sockets, so every event is redacted and emitted for 11 audience rooms, as in production. Baselines: one room per task force, no auth.",
      BOUND,
    ],
    raw: Object.fromEntries(results),
  };
}

export async function growth(): Promise<Omit<ScenarioResult, 'seconds'>> {
  // 5,000 is what the issue asks for; joining thousands of sockets to one task force is quadratic today
  // (presence, see the notes), so the default stops at 1,000. BENCH_GROWTH_SIZES=100,1000,5000 runs it.
  const sizes = (process.env.BENCH_GROWTH_SIZES ?? (QUICK ? '100,1000' : '100,500,1000')).split(',').map(Number);
  const layouts = sizes.map((n) => ({ rooms: 1, perRoom: n }));
  const results = await fanoutLayouts(layouts, 'growth');
  const table = fanoutTable(`Growth: one room of ${sizes.join(', ')} sockets`, ['bare Socket.IO', 'raw ws']);
  const perSocket = {
    title: 'Cost per recipient (last-recipient p50 ÷ sockets, µs)',
    columns: ['sockets', 'hub', 'bare Socket.IO', 'raw ws'],
    rows: [] as (string | number)[][],
  };
  for (const layout of layouts) {
    const rs = results.get(layoutName(layout))!;
    table.rows.push(...fanoutRows(layoutName(layout), rs, 'hub', ['bare Socket.IO', 'raw ws']));
    perSocket.rows.push([
      layout.perRoom,
      ...['hub', 'bare Socket.IO', 'raw ws'].map((t) =>
        Math.round((rs.find((r) => r.target === t)!.median.lastP50 * 1000) / layout.perRoom),
      ),
    ]);
  }
  return {
    id: 'growth',
    title: '7. Growth with the room',
    tables: [table, perSocket],
    targets: [],
    notes: ['Same definitions as scenario 1, one room (one task force, 11 audience rooms in the hub).', BOUND],
    raw: Object.fromEntries(results),
  };
}
