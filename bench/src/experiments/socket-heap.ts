/**
 * Experiment (not a scenario): what does the gateway keep per idle socket? One gateway (or, with
 * `bare`, the bare Socket.IO baseline), a warm-up, then a heap snapshot at A and at B idle sockets
 * (each a distinct member, as in scenario 5); the diff per retained constructor / closure, divided
 * by B − A: objects and self bytes per additional socket, largest first.
 *   node bench/dist/experiments/socket-heap.js [A] [B] [gateway|bare]
 * Runs against this tree's build (dist/), like the bench.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { socketIoClients } from '../lib/clients';
import { distinctMembers } from '../lib/members';
import { Inspector, TMP, type Proc } from '../lib/procs';
import { cleanupAll, sleep } from '../lib/util';
import { getWorld, startHub } from '../lib/world';
import { startBaseline } from '../scenarios/common';

interface Snapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/**
 * Count and self size per (type, name) of every node in a .heapsnapshot, and per
 * "child ← parent.edge" link (who holds each kind of node), the links counted like nodes.
 */
function census(file: string): Map<string, { count: number; bytes: number }> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const edgeFields = snap.snapshot.meta.edge_fields;
  const edgeTypes = snap.snapshot.meta.edge_types[0];
  const [iType, iName, iSize, iEdges] = ['type', 'name', 'self_size', 'edge_count'].map((f) => fields.indexOf(f));
  const [eType, eName, eTo] = ['type', 'name_or_index', 'to_node'].map((f) => edgeFields.indexOf(f));
  const keys: string[] = [];
  const out = new Map<string, { count: number; bytes: number }>();
  const add = (key: string, bytes: number) => {
    const entry = out.get(key) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += bytes;
    out.set(key, entry);
  };
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + iType]];
    let name = snap.strings[snap.nodes[i + iName]];
    // Strings by length bucket only: their text is each socket's own (ids, tokens).
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string')
      name = `len ${Math.min(snap.nodes[i + iSize], 1024)}`;
    else if (name.length > 60) name = name.slice(0, 60) + '…';
    const key = `${type} ${name}`;
    keys.push(key);
    add(key, snap.nodes[i + iSize]);
  }
  let edge = 0;
  for (let n = 0, i = 0; i < snap.nodes.length; n++, i += fields.length) {
    for (let k = 0; k < snap.nodes[i + iEdges]; k++, edge += edgeFields.length) {
      const kind = edgeTypes[snap.edges[edge + eType]];
      if (kind === 'weak' || kind === 'shortcut') continue;
      const label = kind === 'element' || kind === 'hidden' ? `[${kind}]` : snap.strings[snap.edges[edge + eName]];
      const child = snap.edges[edge + eTo] / fields.length;
      add(`  ${keys[child]} ← ${keys[n]} .${String(label).slice(0, 40)}`, snap.nodes[snap.edges[edge + eTo] + iSize]);
    }
  }
  return out;
}

async function snapshot(inspector: Inspector, file: string): Promise<void> {
  await inspector.call('HeapProfiler.enable');
  await inspector.call('HeapProfiler.collectGarbage');
  await sleep(100);
  await inspector.call('HeapProfiler.collectGarbage');
  const answer = await inspector.call<{ exceptionDetails?: unknown }>('Runtime.evaluate', {
    expression: `process.mainModule.require('v8').writeHeapSnapshot(${JSON.stringify(file)})`,
    returnByValue: true,
  });
  if (answer.exceptionDetails) throw new Error(`heap snapshot failed: ${JSON.stringify(answer.exceptionDetails)}`);
}

async function main(): Promise<void> {
  const [a, b] = [Number(process.argv[2] ?? 500), Number(process.argv[3] ?? 1500)];
  const kind = process.argv[4] === 'bare' ? 'bare' : 'gateway';
  const world = await getWorld();
  const tf = world.taskForces[2];
  const members = await distinctMembers(world, tf, b + 200);
  const spec = (i: number) =>
    kind === 'bare' ? { query: { room: `r${i % 4}` } } : { auth: { token: members[i].token } };
  const proc: Proc =
    kind === 'bare' ? await startBaseline('socketio', {}, true) : await startHub('gateway', world.env(), true);
  const inspector = await Inspector.connect(proc.inspectorUrl!);
  mkdirSync(TMP, { recursive: true });
  const files = [join(TMP, `heap-${kind}-${a}.heapsnapshot`), join(TMP, `heap-${kind}-${b}.heapsnapshot`)];
  try {
    const warm = await socketIoClients(
      proc.url,
      Array.from({ length: 200 }, (_, i) => spec(b + i)),
      null,
    );
    await sleep(500);
    await warm.close();
    await sleep(1_500);
    const first = await socketIoClients(
      proc.url,
      Array.from({ length: a }, (_, i) => spec(i)),
      null,
    );
    await sleep(1_000);
    await snapshot(inspector, files[0]);
    const more = await socketIoClients(
      proc.url,
      Array.from({ length: b - a }, (_, i) => spec(a + i)),
      null,
    );
    await sleep(1_000);
    await snapshot(inspector, files[1]);
    // Writing a snapshot stops the server for seconds: on a loaded machine pings can time out.
    const dropped = [...first, ...more].filter((socket) => !socket.connected).length;
    if (dropped)
      console.log(`${dropped} sockets were disconnected by the end: the figures are per ${b - a} sockets all the same`);
    await more.close();
    await first.close();
  } finally {
    inspector.close();
    await proc.stop();
  }
  const [before, after] = files.map(census);
  const rows = [...after]
    .map(([key, v]) => {
      const w = before.get(key) ?? { count: 0, bytes: 0 };
      return { key, perSocket: (v.count - w.count) / (b - a), bytes: (v.bytes - w.bytes) / (b - a) };
    })
    .filter((r) => Math.abs(r.bytes) >= 8)
    .sort((x, y) => y.bytes - x.bytes);
  const nodes = rows.filter((r) => !r.key.startsWith('  '));
  const links = rows.filter((r) => r.key.startsWith('  ') && r.perSocket >= 0.5);
  const total = nodes.reduce((sum, r) => sum + r.bytes, 0);
  console.log(`${kind}: ${a} → ${b} sockets: ${Math.round(total)} self bytes per socket in the heap snapshot`);
  const show = (r: (typeof rows)[number]) =>
    console.log(`${r.bytes.toFixed(0).padStart(7)} B ${r.perSocket.toFixed(2).padStart(6)}/socket  ${r.key}`);
  nodes.slice(0, 60).forEach(show);
  console.log('who holds them (child ← parent .edge), per socket:');
  links.slice(0, Number(process.env.LINKS ?? 150)).forEach(show);
  if (!process.env.KEEP_SNAPSHOTS) for (const f of files) rmSync(f, { force: true });
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => cleanupAll());
