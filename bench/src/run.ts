/**
 * npm run bench [-- scenario ...]: builds the hub if its build is missing or older than the sources,
 * runs the scenarios (all by default), prints their tables, and writes bench/results/latest.{json,md}
 * (scenarios not run this time keep their last figures) plus a timestamped copy of this run.
 */
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { buildHead } from './lib/head-build';
import { builtEntry, ROOT } from './lib/procs';
import { markdownScenario, type ScenarioResult, textTable } from './lib/report';
import { cleanupAll, log, QUICK, REPEATS } from './lib/util';
import { catchup } from './scenarios/catchup';
import { profiles } from './scenarios/common';
import { cross } from './scenarios/cross';
import { fanout, growth } from './scenarios/fanout';
import { graphql } from './scenarios/graphql';
import { heapProfiles, memory } from './scenarios/memory';
import { subscriptions } from './scenarios/subscriptions';
import { recheck } from './scenarios/recheck';
import { reports } from './scenarios/reports';
import { writes } from './scenarios/writes';

/** Every scenario, in the order a full run takes them: one line each. */
const SCENARIOS: Record<string, () => Promise<Omit<ScenarioResult, 'seconds'>>> = {
  fanout,
  cross,
  graphql,
  subscriptions,
  memory,
  catchup,
  growth,
  writes,
  reports,
  recheck,
};
const ORDER = Object.keys(SCENARIOS);
const RESULTS = join(ROOT, 'bench', 'results');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

let buildNote = '';

function buildIfNeeded(): void {
  if (process.env.BENCH_TREE === 'head') {
    buildNote = buildHead();
    return;
  }
  const entries = (['hub', 'api', 'gateway', 'cli'] as const).map(builtEntry);
  const force = process.env.BENCH_BUILD === '1';
  if (process.env.BENCH_BUILD === '0' && entries.every(existsSync)) return;
  const built = entries.every(existsSync) ? Math.min(...entries.map((e) => statSync(e).mtimeMs)) : 0;
  // Only what the deployables are built from (apps/web is a separate client).
  const sources = Math.max(
    ...['apps/hub', 'apps/api', 'apps/gateway', 'apps/cli', 'libs'].map((d) => newestSource(join(ROOT, d))),
  );
  if (!force && built > sources) return log('build is up to date');
  log(built ? 'sources changed since the last build: npm run build' : 'no build yet: npm run build');
  const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    if (!built) throw new Error('npm run build failed and there is no earlier build');
    buildNote = 'npm run build failed (see above); the benchmark ran on the previous build in dist/';
    log(`WARNING: ${buildNote}`);
  }
}

function machine() {
  const git = (cmd: string) => {
    try {
      return execSync(cmd, { cwd: ROOT, encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  return {
    node: process.version,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    commit: git('git rev-parse --short HEAD'),
    dirty: process.env.BENCH_TREE === 'head' ? false : git('git status --porcelain -- apps libs bench/src') !== '',
    quick: QUICK,
    build: buildNote || 'fresh',
    repeats: REPEATS,
  };
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = asked.filter((a) => !SCENARIOS[a]);
  if (unknown.length) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; choose from ${ORDER.join(', ')}`);
  const chosen = asked.length ? ORDER.filter((s) => asked.includes(s)) : ORDER;
  buildIfNeeded();
  const runStarted = Date.now();
  const done: ScenarioResult[] = [];
  for (const id of chosen) {
    log(`scenario ${id}: start`);
    const started = Date.now();
    const loadAtStart = loadavg()[0];
    let result: ScenarioResult;
    try {
      result = { ...(await SCENARIOS[id]()), seconds: (Date.now() - started) / 1000 };
    } catch (error) {
      log(`scenario ${id} failed: ${(error as Error).stack}`);
      result = {
        id,
        title: id,
        tables: [],
        targets: [],
        notes: [],
        raw: null,
        seconds: (Date.now() - started) / 1000,
        error: (error as Error).message.slice(0, 2000),
      };
    }
    result.load = [loadAtStart, loadavg()[0]];
    done.push(result);
    for (const table of result.tables) process.stdout.write(`\n${textTable(table)}\n`);
    for (const t of result.targets)
      process.stdout.write(
        `  target: ${t.target}: ${t.measured} → ${t.unsettled ? 'NOT SETTLED' : t.met === null ? 'reported' : t.met ? 'met' : 'MISSED'}\n`,
      );
    log(`scenario ${id}: ${Math.round(result.seconds)} s`);
  }
  await cleanupAll();
  const totalSeconds = (Date.now() - runStarted) / 1000;

  mkdirSync(RESULTS, { recursive: true });
  const latestFile = join(RESULTS, 'latest.json');
  const previous: { scenarios?: Record<string, ScenarioResult & { ranAt?: string; machine?: unknown }> } = existsSync(
    latestFile,
  )
    ? JSON.parse(readFileSync(latestFile, 'utf8'))
    : {};
  const ranAt = new Date().toISOString();
  const info = machine();
  const scenarios = { ...(previous.scenarios ?? {}) };
  for (const r of done) scenarios[r.id] = { ...r, ranAt, machine: info };
  const run = { ranAt, scenariosRun: chosen, totalSeconds, machine: info, profiles, heapProfiles };
  const latest = { lastRun: run, scenarios };
  writeFileSync(latestFile, JSON.stringify(latest, null, 2));
  const stamp = ranAt.replace(/[:.]/g, '-');
  mkdirSync(join(RESULTS, 'runs'), { recursive: true });
  writeFileSync(
    join(RESULTS, 'runs', `${stamp}.json`),
    JSON.stringify({ run, scenarios: Object.fromEntries(done.map((r) => [r.id, r])) }, null, 2),
  );

  const md: string[] = [
    '# Benchmark results',
    '',
    `Last run: ${ranAt} (${chosen.join(', ')}; ${Math.round(totalSeconds)} s), commit ${info.commit}${info.dirty ? ' + uncommitted changes' : ''}, Node ${info.node}, ${info.cpus}, ${info.memoryGb} GB; ` +
      `${info.repeats} run(s) per figure, medians shown${info.quick ? ' (QUICK mode)' : ''}. Reproduce: \`npm run bench\` (see bench/README.md).`,
    '',
  ];
  for (const id of ORDER) {
    const r = scenarios[id];
    if (!r) continue;
    md.push(markdownScenario(r));
    if (r.ranAt !== ranAt) md.push(`_(from an earlier run: ${r.ranAt})_`, '');
  }
  if (profiles.length) {
    md.push('### CPU profiles (BENCH_PROFILE=1)', '');
    for (const p of profiles) {
      md.push(
        `**${p.label}** (${p.file.replace(ROOT + '/', '')}): top self time`,
        '',
        '| function | ms | % |',
        '| --- | ---: | ---: |',
      );
      for (const t of p.top.slice(0, 12)) md.push(`| \`${t.fn}\` | ${t.selfMs} | ${t.share} |`);
      md.push('');
    }
  }
  for (const h of heapProfiles) {
    md.push(
      `**Live allocations while ${h.label} connected** (sampling heap profile)`,
      '',
      '| allocated in | bytes |',
      '| --- | ---: |',
    );
    for (const t of h.top.slice(0, 12)) md.push(`| \`${t.fn}\` | ${t.bytes} |`);
    md.push('');
  }
  writeFileSync(join(RESULTS, 'latest.md'), md.join('\n'));
  log(`wrote bench/results/latest.json and latest.md; whole run ${Math.round(totalSeconds)} s`);
}

const shutdown = () => {
  void cleanupAll().finally(() => process.exit(130));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

main()
  .then(() => process.exit(0))
  .catch(async (error) => {
    log(`failed: ${(error as Error).stack}`);
    await cleanupAll();
    process.exit(1);
  });
