/**
 * Experiment (not a scenario): how often does one event wait for the outbox relay's 1 s sweep?
 * One hub, one socket in the room, N minute-note mutations one after another; for each, the time from
 * the envelope's `at` to receipt. Run against the build in BENCH_APP_ROOT (default: the private HEAD
 * build), e.g. once as built and once with the relay patched, and compare the slow tail.
 *   node bench/dist/experiments/relay-wakeup.js [events]
 */
import { join } from 'node:path';
import { Collector, joinRooms, socketIoClients } from '../lib/clients';
import { nextSeq } from '../lib/fanout';
import { setAppRoot, TMP } from '../lib/procs';
import { cleanupAll, percentile } from '../lib/util';
import { addNote, getWorld, startHub } from '../lib/world';

async function main(): Promise<void> {
  setAppRoot(process.env.BENCH_APP_ROOT ?? join(TMP, 'head'));
  const n = Number(process.argv[2] ?? 1000);
  const world = await getWorld();
  const tf = world.taskForces[0];
  const hub = await startHub('hub', world.env());
  const collector = new Collector();
  const sockets = await socketIoClients(hub.url, [{ auth: { token: tf.seats[2].token } }], collector);
  await joinRooms(sockets, () => ({ taskForceId: tf.id }));
  const latencies: number[] = [];
  const started = Date.now();
  for (let i = 0; i < n; i++) {
    const seq = nextSeq();
    const done = collector.until(seq, 1, 5_000);
    await addNote(hub.url, tf, seq);
    await done;
    const ev = collector.events.get(seq)!;
    latencies.push(ev.last - ev.at);
  }
  const slow = latencies.filter((l) => l > 250);
  console.log(
    JSON.stringify({
      appRoot: process.env.BENCH_APP_ROOT ?? 'head',
      events: n,
      seconds: (Date.now() - started) / 1000,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: Math.max(...latencies),
      over250ms: slow.length,
      slow,
    }),
  );
  await sockets.close();
  await hub.stop();
}

main()
  .catch((error) => console.error(error))
  .finally(() => cleanupAll().then(() => process.exit(0)));
