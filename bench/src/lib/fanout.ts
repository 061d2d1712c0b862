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

/**
 * Per run, over the events of its latency phase (one event at a time). Three clocks per event:
 * - `last*`: the envelope's `at` → the last recipient (server clock at the start, client clock at the end);
 * - `first*`: `at` → the first recipient: what the server does between stamping the event and its first
 *   socket write (for the hub: the rest of the transaction, COMMIT, the relay's SELECT, the bus, the
 *   redaction), plus one loopback hop;
 * - `spread*`: the first → the last recipient, on the client's monotonic clock alone: the fan-out itself
 *   ("emit → last recipient"), free of any server clock and of what happened before the first emit.
 */
export interface FanoutFigures {
  lastP50: number;
  lastP90: number;
  lastP99: number;
  firstP50: number;
  firstP90: number;
  firstP99: number;
  spreadP50: number;
  spreadP90: number;
  spreadP99: number;
  /** ms from `at` to each delivery, over every delivery of every event. */
  deliveryP50: number;
  deliveryP99: number;
  /** Saturation (closed loop, `WINDOW` triggers in flight): deliveries received per second. */
  deliveriesPerSec: number;
  /** Saturation: triggers (for the hub and the Socket.IO baseline: committed transactions) per second. */
  eventsPerSec: number;
  events: number;
  failures: number;
}

export const FIGURE_KEYS = [
  'lastP50',
  'lastP90',
  'lastP99',
  'firstP50',
  'firstP90',
  'firstP99',
  'spreadP50',
  'spreadP90',
  'spreadP99',
  'deliveryP50',
  'deliveryP99',
  'deliveriesPerSec',
  'eventsPerSec',
] as const;
export type FigureKey = (typeof FIGURE_KEYS)[number];

let seqCounter = 0;
export const nextSeq = () => ++seqCounter;

/** Events per latency run: p99 over 300 is the 4th-slowest event, not the slowest of a handful. */
export const LATENCY_EVENTS = Number(process.env.BENCH_EVENTS ?? (QUICK ? 100 : 300));
const SATURATION_MS = Number(process.env.BENCH_SATURATION_MS ?? (QUICK ? 2_000 : 3_000));
export const WINDOW = 4;

async function one(target: FanoutTarget, room: number): Promise<number> {
  const seq = nextSeq();
  const done = target.collector.until(seq, target.recipients[room]);
  await target.trigger(room, seq);
  await done;
  return seq;
}

/**
 * Warm-up: events one at a time (30, and at least 3 per room), then a second of saturation, so JIT,
 * pools and lazily attached streams are ready before the first measured run: without it the first
 * layout measured on a fresh hub was several times slower than the next.
 */
export async function warmUp(target: FanoutTarget): Promise<void> {
  const rooms = target.recipients.length;
  for (let i = 0; i < Math.max(30, 3 * rooms); i++) target.collector.events.delete(await one(target, i % rooms));
  await saturationPhase(target, 1_000);
}

/** Events one at a time (the next one after the previous reached everyone): latency without queueing. */
async function latencyPhase(target: FanoutTarget): Promise<Omit<FanoutFigures, 'deliveriesPerSec' | 'eventsPerSec'>> {
  target.collector.keepLatencies = true;
  const last: number[] = [];
  const first: number[] = [];
  const spread: number[] = [];
  const all: number[] = [];
  let failures = 0;
  for (let i = 0; i < LATENCY_EVENTS; i++) {
    try {
      const seq = await one(target, i % target.recipients.length);
      const ev = target.collector.events.get(seq)!;
      last.push(ev.last - ev.at);
      first.push(ev.first - ev.at);
      spread.push(ev.lastMono - ev.firstMono);
      for (const l of ev.latencies) all.push(l);
      target.collector.events.delete(seq);
    } catch (error) {
      failures++;
      log(`${target.name}: ${(error as Error).message}`);
    }
    await sleep(5);
  }
  const p = (values: number[], q: number) => round(percentile(values, q), 2);
  return {
    lastP50: p(last, 50),
    lastP90: p(last, 90),
    lastP99: p(last, 99),
    firstP50: p(first, 50),
    firstP90: p(first, 90),
    firstP99: p(first, 99),
    spreadP50: p(spread, 50),
    spreadP90: p(spread, 90),
    spreadP99: p(spread, 99),
    deliveryP50: p(all, 50),
    deliveryP99: p(all, 99),
    failures,
    events: last.length,
  };
}

/** `WINDOW` events in flight (each slot triggers its next event when its previous one reached everyone). */
async function saturationPhase(
  target: FanoutTarget,
  ms = SATURATION_MS,
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
      while (Date.now() - started < ms) {
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
  /** Lowest and highest value of each figure over the repeats: its spread. */
  range: Record<FigureKey, [number, number]>;
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
        `${label} ${target.name} run ${rep + 1}: ${figures.events} events; at → last p50/p90/p99 ${figures.lastP50}/${figures.lastP90}/${figures.lastP99} ms, ` +
          `at → first p99 ${figures.firstP99} ms, first → last p99 ${figures.spreadP99} ms; ${Math.round(figures.deliveriesPerSec)} deliveries/s`,
      );
    }
  }
  return targets.map((t) => {
    const r = runs.get(t.name)!;
    return { target: t.name, runs: r, median: medianFigures(r), range: rangeOf(r) };
  });
}

export function medianFigures(runs: FanoutFigures[]): FanoutFigures {
  const m = (key: keyof FanoutFigures) => round(median(runs.map((r) => r[key])), 1);
  return {
    ...(Object.fromEntries(FIGURE_KEYS.map((k) => [k, m(k)])) as Record<FigureKey, number>),
    deliveriesPerSec: Math.round(median(runs.map((r) => r.deliveriesPerSec))),
    events: runs.reduce((a, r) => a + r.events, 0),
    failures: runs.reduce((a, r) => a + r.failures, 0),
  };
}

function rangeOf(runs: FanoutFigures[]): Record<FigureKey, [number, number]> {
  return Object.fromEntries(
    FIGURE_KEYS.map((k) => {
      const values = runs.map((r) => r[k]).filter(Number.isFinite);
      return [k, [round(Math.min(...values), 1), round(Math.max(...values), 1)]];
    }),
  ) as Record<FigureKey, [number, number]>;
}

/**
 * hub ÷ baseline of one figure, repeat by repeat (run k of one against run k of the other: they ran
 * next to each other), as the median and the range of those ratios. A verdict stands only when the whole
 * range is on one side of the goal.
 */
export function pairedRatio(hub: FanoutResult, base: FanoutResult, key: FigureKey): RatioSpread {
  return ratioSpread(
    hub.runs.map((r, i) => [r[key], base.runs[i]?.[key] ?? NaN]),
    median(hub.runs.map((r) => r[key])) / median(base.runs.map((r) => r[key])),
  );
}

export interface RatioSpread {
  /** Ratio of the medians (what the tables show). */
  ratio: number;
  min: number;
  max: number;
}

export function ratioSpread(pairs: [number, number][], ofMedians: number): RatioSpread {
  // A baseline figure of 0 (a clock at ms resolution) has no meaningful ratio: shown as "–".
  const ratios = pairs.map(([a, b]) => a / b).filter(Number.isFinite);
  if (!ratios.length || !Number.isFinite(ofMedians)) return { ratio: NaN, min: NaN, max: NaN };
  return { ratio: round(ofMedians, 2), min: round(Math.min(...ratios), 2), max: round(Math.max(...ratios), 2) };
}

/** "met" / "MISSED" when every repeat agrees, null ("not settled") when the repeats straddle the goal. */
export function verdict(r: RatioSpread, goal: number, lowerIsBetter = true): boolean | null {
  const ok = (x: number) => (lowerIsBetter ? x <= goal : x >= goal);
  if (ok(r.min) && ok(r.max)) return true;
  if (!ok(r.min) && !ok(r.max)) return false;
  return null;
}

export const showRatio = (r: RatioSpread) =>
  Number.isFinite(r.ratio) ? `${r.ratio}× (repeats ${r.min}–${r.max}×)` : '–';
