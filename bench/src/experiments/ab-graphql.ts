/**
 * Experiment (not a scenario): two builds of the hub side by side on one world, server CPU per request of
 * the read mix, addMinuteNote and the floor, in interleaved rounds (A then B, then B then A, ...), so that
 * the machine's drift falls on both alike. For a change too small to show in the scenario's hub ÷ baseline
 * ratio, which moves by ±20 % between runs on a shared 2-core machine. A is the last commit, built
 * privately (lib/head-build), or BENCH_A_ROOT; B is the checkout's own build (`npm run build` first).
 *   npm run build && npx tsc -p bench/tsconfig.json && node bench/dist/experiments/ab-graphql.js [rounds] [seconds]
 * Prints each round and, per workload, B ÷ A of the medians with the rounds' spread.
 */
import { CpuMeter } from '../lib/cpu';
import { ratioSpread } from '../lib/fanout';
import { buildHead } from '../lib/head-build';
import { POSTGRES_ADMIN_URL, type Proc, ROOT, setAppRoot } from '../lib/procs';
import { cleanupAll, log, median, round } from '../lib/util';
import { getWorld, startHub } from '../lib/world';
import { CPU_CONCURRENCY, level, type Workload } from '../scenarios/graphql';

const WORKLOADS: Workload[] = ['reads', 'mutations', 'floor'];
type Side = 'A' | 'B';

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 8);
  const ms = Number(process.argv[3] ?? 3) * 1000;
  const aRoot = process.env.BENCH_A_ROOT;
  const note = aRoot ? (setAppRoot(aRoot), `A: ${aRoot}`) : `A: ${buildHead()}`;
  log(`${note}; B: the checkout's dist/`);
  const world = await getWorld();
  const hubs = {} as Record<Side, Proc>;
  hubs.A = await startHub('api', world.env());
  setAppRoot(ROOT);
  hubs.B = await startHub('api', world.env());
  const meters: Record<Side, CpuMeter> = {
    A: await CpuMeter.open(hubs.A.child.pid!, POSTGRES_ADMIN_URL),
    B: await CpuMeter.open(hubs.B.child.pid!, POSTGRES_ADMIN_URL),
  };
  const cpu: Record<Workload, Record<Side, number[]>> = {} as never;
  for (const w of WORKLOADS) cpu[w] = { A: [], B: [] };
  try {
    // Warm-up, as the scenario does, so that the JIT has settled before the first round counts.
    for (const side of ['A', 'B'] as const)
      for (const w of [...WORKLOADS, 'mix'] as const) await level(hubs[side].url, meters[side], world, w, 4, ms);
    for (let r = 0; r < rounds; r++) {
      const order: Side[] = r % 2 ? ['B', 'A'] : ['A', 'B'];
      for (const w of WORKLOADS)
        for (const side of order)
          cpu[w][side].push((await level(hubs[side].url, meters[side], world, w, CPU_CONCURRENCY, ms)).serverCpu);
      log(
        `round ${r + 1}: ` +
          WORKLOADS.map((w) => `${w} A ${round(cpu[w].A.at(-1)!, 2)} B ${round(cpu[w].B.at(-1)!, 2)} ms`).join('; '),
      );
    }
  } finally {
    await Promise.all([meters.A.close(), meters.B.close()]);
    await Promise.all([hubs.A.stop(), hubs.B.stop()]);
  }
  for (const w of WORKLOADS) {
    const [a, b] = [median(cpu[w].A), median(cpu[w].B)];
    const r = ratioSpread(
      cpu[w].B.map((x, i) => [x, cpu[w].A[i]]),
      b / a,
    );
    log(
      `${w}: server CPU per request A ${round(a, 2)} ms, B ${round(b, 2)} ms, B ÷ A ${r.ratio} ` +
        `(rounds ${r.min}–${r.max}, ${rounds} rounds of ${ms / 1000} s at concurrency ${CPU_CONCURRENCY})`,
    );
  }
}

main()
  .then(() => cleanupAll())
  .then(() => process.exit(0))
  .catch(async (error) => {
    log(`failed: ${(error as Error).stack}`);
    await cleanupAll();
    process.exit(1);
  });
