import { type Collector } from './clients';
import { log, median, percentile, REPEATS, QUICK, round, sleep } from './util';

/** One server under test, with its receivers already connected and in their rooms. */
export interface FanoutTarget {
  name: string;
  collector: Collector;
  /** Recipients per room (index = room). */
  recipients: number[];
  /** Makes the server push one event, identified by `seq`, to every socket of room `room`. */
  trigger(room: number, seq: number): Promise<unknown>;
  /** Optional CPU profile around the saturation phase of the first repeat. */
  profile?: { start(): Promise<void>; stop(label: string): Promise<unknown> };
}

export interface FanoutFigures {
  /** ms from the event's `at` to the LAST recipient, per event: p50 and p99 over the events. */
  lastP50: number;
  lastP99: number;
  /** ms from `at` to each delivery, over every delivery of every event. */
  deliveryP50: number;
  deliveryP99: number;
  /** Deliveries received per second with `window` events in flight (closed loop). */
  deliveriesPerSec: number;
  eventsPerSec: number;
  events: number;
  failures: number;
}

let seqCounter = 0;
export const nextSeq = () => ++seqCounter;

const LATENCY_EVENTS = Number(process.env.BENCH_EVENTS ?? (QUICK ? 10 : 20));
const SATURATION_MS = Number(process.env.BENCH_SATURATION_MS ?? (QUICK ? 2_000 : 3_000));
const WINDOW = 4;

async function one(target: FanoutTarget, room: number): Promise<number> {
  const seq = nextSeq();
  const done = target.collector.until(seq, target.recipients[room]);
  await target.trigger(room, seq);
  await done;
  return seq;
}

/** Warm-up: a few events each room, so JIT, pools and lazily attached streams are ready. */
export async function warmUp(target: FanoutTarget, events = 3): Promise<void> {
  for (let i = 0; i < events; i++) for (let room = 0; room < target.recipients.length; room++) await one(target, room);
}

/** Events one at a time (the next one after the previous reached everyone): latency without queueing. */
async function latencyPhase(
  target: FanoutTarget,
): Promise<Pick<FanoutFigures, 'lastP50' | 'lastP99' | 'deliveryP50' | 'deliveryP99' | 'failures' | 'events'>> {
  target.collector.keepLatencies = true;
  const last: number[] = [];
  const all: number[] = [];
  let failures = 0;
  for (let i = 0; i < LATENCY_EVENTS; i++) {
    try {
      const seq = await one(target, i % target.recipients.length);
      const ev = target.collector.events.get(seq)!;
      last.push(ev.last - ev.at);
      for (const l of ev.latencies) all.push(l);
      target.collector.events.delete(seq);
    } catch (error) {
      failures++;
      log(`${target.name}: ${(error as Error).message}`);
    }
    await sleep(5);
  }
  return {
    lastP50: percentile(last, 50),
    lastP99: percentile(last, 99),
    deliveryP50: percentile(all, 50),
    deliveryP99: percentile(all, 99),
    failures,
    events: last.length,
  };
}

/** `WINDOW` events in flight (each slot triggers its next event when its previous one reached everyone). */
async function saturationPhase(
  target: FanoutTarget,
): Promise<Pick<FanoutFigures, 'deliveriesPerSec' | 'eventsPerSec'>> {
  target.collector.keepLatencies = false;
  const before = target.collector.total;
  const started = Date.now();
  let events = 0;
  let slot = 0;
  await Promise.all(
    Array.from({ length: WINDOW }, async () => {
      const mySlot = slot++;
      let k = 0;
      while (Date.now() - started < SATURATION_MS) {
        const seq = await one(target, (mySlot + k++ * WINDOW) % target.recipients.length);
        target.collector.events.delete(seq);
        events++;
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  target.collector.keepLatencies = true;
  return { deliveriesPerSec: (target.collector.total - before) / seconds, eventsPerSec: events / seconds };
}

export async function measureOnce(target: FanoutTarget, profileLabel?: string): Promise<FanoutFigures> {
  const latency = await latencyPhase(target);
  if (profileLabel && target.profile) await target.profile.start();
  const saturation = await saturationPhase(target);
  if (profileLabel && target.profile) await target.profile.stop(profileLabel);
  return { ...latency, ...saturation };
}

export interface FanoutResult {
  target: string;
  runs: FanoutFigures[];
  median: FanoutFigures;
}

/** Interleaves the targets (A B C, A B C, …) so drift on a noisy machine hits them alike; medians per target. */
export async function compareFanout(targets: FanoutTarget[], label: string, profile = false): Promise<FanoutResult[]> {
  for (const target of targets) await warmUp(target);
  const runs = new Map<string, FanoutFigures[]>(targets.map((t) => [t.name, []]));
  for (let rep = 0; rep < REPEATS; rep++) {
    for (const target of targets) {
      const figures = await measureOnce(target, profile && rep === 0 ? `${label}-${target.name}` : undefined);
      runs.get(target.name)!.push(figures);
      log(
        `${label} ${target.name} run ${rep + 1}: last recipient p50 ${figures.lastP50} ms p99 ${figures.lastP99} ms; ${Math.round(figures.deliveriesPerSec)} deliveries/s`,
      );
    }
  }
  return targets.map((t) => ({ target: t.name, runs: runs.get(t.name)!, median: medianFigures(runs.get(t.name)!) }));
}

export function medianFigures(runs: FanoutFigures[]): FanoutFigures {
  const m = (key: keyof FanoutFigures) => round(median(runs.map((r) => r[key])), 1);
  return {
    lastP50: m('lastP50'),
    lastP99: m('lastP99'),
    deliveryP50: m('deliveryP50'),
    deliveryP99: m('deliveryP99'),
    deliveriesPerSec: Math.round(median(runs.map((r) => r.deliveriesPerSec))),
    eventsPerSec: m('eventsPerSec'),
    events: runs.reduce((a, r) => a + r.events, 0),
    failures: runs.reduce((a, r) => a + r.failures, 0),
  };
}
