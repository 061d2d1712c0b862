import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gql } from '../lib/http';
import { delta, idleWindow, isRelay, startPgProxy } from '../lib/pgproxy';
import { builtEntry, DEMO_PASSWORD, runToEnd, scratchDatabase } from '../lib/procs';
import { type Cell, type ScenarioResult } from '../lib/report';
import { log, median, now, QUICK, round, sleep } from '../lib/util';
import { benchEnv, startHub } from '../lib/world';

/**
 * Issue 17: the reports aggregate in the database. The same report is asked of a database holding
 * one year of history and of one holding five (four task forces; at five years about 600 meetings,
 * 20,000 action items and 2,000 case summaries, plus the demo's own year): the number of SQL
 * statements per report must not change, and the time is reported.
 */

const YEARS = (process.env.BENCH_REPORT_YEARS ?? '1,5').split(',').map(Number);
const RUNS = Number(process.env.BENCH_REPORT_RUNS ?? (QUICK ? 3 : 7));

const TF_REPORT = `query($tf: ID!, $p: String!) { taskForceReport(taskForceId: $tf, period: $p) {
  periods { key } tables { indicator rows { key values } } } }`;
const NATIONAL = `query($p: String!) { nationalReport(period: $p) { tables { indicator rows { label values } } } }`;

interface Figures {
  years: number;
  meetings: number;
  items: number;
  cases: number;
  statements: Record<string, number>;
  ms: Record<string, number>;
}

const REQUESTS: [name: string, period: string, national: boolean][] = [
  ['task force, month', '2026-06', false],
  ['task force, quarter', '2026-Q3', false],
  ['task force, year', '2026', false],
  ['national, quarter', '2026-Q3', true],
];

async function measure(years: number): Promise<Figures> {
  const db = await scratchDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-bench-reports-'));
  try {
    const env = (url = db.url) => benchEnv(url, dataDir);
    await runToEnd(builtEntry('cli'), ['migrate'], env());
    await runToEnd(builtEntry('cli'), ['seed'], env());
    const started = now();
    log(`reports: writing ${years} year(s) of history`);
    const out = await runToEnd(builtEntry('cli'), ['demo-history', String(years)], env(), 30 * 60_000);
    log(`reports: ${out.trim()} (${round((now() - started) / 1000, 1)} s)`);
    const [, meetings, items] = /(\d+) meetings, (\d+) action items/.exec(out)!.map(Number);
    const proxy = await startPgProxy();
    const hub = await startHub('api', env(proxy.url(db.name)));
    try {
      const login = (email: string) =>
        gql<{ login: { accessToken: string } }>(
          hub.url,
          'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }',
          { e: email, p: DEMO_PASSWORD },
        ).then((d) => d.login.accessToken);
      const member = await login('anitp.buc@demo.local');
      const national = await login('national@demo.local');
      const { taskForces } = await gql<{ taskForces: { id: string; code: string }[] }>(
        hub.url,
        '{ taskForces { id code } }',
        {},
        member,
      );
      const tf = taskForces.find((t) => t.code === 'BUC')!.id;
      // The close job snapshots the last four quarters at start; wait until the last one is there.
      for (let i = 0; ; i++) {
        try {
          await gql(hub.url, NATIONAL, { p: '2026-Q3' }, national);
          break;
        } catch (error) {
          if (i > 600) throw error;
          await sleep(1000);
        }
      }
      const idle = await idleWindow(proxy, 3_000);
      const statements: Record<string, number> = {};
      const ms: Record<string, number> = {};
      let cases = 0;
      for (const [name, period, isNational] of REQUESTS) {
        const ask = () =>
          isNational
            ? gql(hub.url, NATIONAL, { p: period }, national)
            : gql<{ taskForceReport: { tables: { indicator: string; rows: { values: number[] }[] }[] } }>(
                hub.url,
                TF_REPORT,
                { tf, p: period },
                member,
              );
        await ask(); // warm
        // The fewest of three: what else runs meanwhile (the relay's poll, the session check's timers) only adds.
        let answer: unknown;
        const counts: number[] = [];
        for (let i = 0; i < 3; i++) {
          const before = await proxy.snapshot();
          answer = await ask();
          const d = delta(before, await proxy.snapshot(), idle);
          // Exact, not scaled: every statement in the window except the outbox relay's poll (a timer of its own).
          counts.push(Object.entries(d.byText).reduce((sum, [text, n]) => sum + (isRelay(text) ? 0 : n), 0));
          if (i === 0) log(`reports ${years}y ${name}: statements ${JSON.stringify(d.byText).slice(0, 600)}`);
        }
        statements[name] = Math.min(...counts);
        if (!isNational && period === '2026') {
          const byStage = (
            answer as { taskForceReport: { tables: { indicator: string; rows: { values: number[] }[] }[] } }
          ).taskForceReport.tables.find((t) => t.indicator === 'cases.byStage')!;
          cases = byStage.rows.reduce((s, r) => s + (r.values[r.values.length - 1] ?? 0), 0);
        }
        const times: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          const t0 = now();
          await ask();
          times.push(now() - t0);
        }
        ms[name] = round(median(times), 1);
        log(`reports ${years}y ${name}: ${statements[name]} statements, ${ms[name]} ms`);
      }
      return { years, meetings, items, cases, statements, ms };
    } finally {
      await hub.stop();
      proxy.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function reports(): Promise<Omit<ScenarioResult, 'seconds'>> {
  const figures: Figures[] = [];
  for (const years of YEARS) figures.push(await measure(years));
  const names = REQUESTS.map(([name]) => name);
  const rows: Cell[][] = figures.map((f) => [
    f.years,
    f.meetings,
    f.items,
    f.cases,
    ...names.map((n) => f.statements[n]),
    ...names.map((n) => f.ms[n]),
  ]);
  const constant = names.every((n) => new Set(figures.map((f) => f.statements[n])).size === 1);
  return {
    id: 'reports',
    title: '9. Reports: SQL statements per report and time, one year of history against five (PostgreSQL)',
    tables: [
      {
        title: `Per report (statements: one request through the counting proxy; time: median of ${RUNS} sequential requests, ms)`,
        columns: [
          'years of history (+ the demo year)',
          'meetings (4 task forces)',
          'action items (4 task forces)',
          'BUC case summaries at end of 2026',
          ...names.map((n) => `statements: ${n}`),
          ...names.map((n) => `ms: ${n}`),
        ],
        rows,
      },
    ],
    targets: [
      {
        target: 'SQL statements per report constant from one year of data to five',
        measured: names.map((n) => `${n}: ${figures.map((f) => f.statements[n]).join(' → ')}`).join('; '),
        met: figures.length > 1 ? constant : null,
      },
      {
        target: 'time for five years of four task forces (reported only)',
        measured: figures
          .filter((f) => f.years === Math.max(...YEARS))
          .map((f) => names.map((n) => `${n} ${f.ms[n]} ms`).join(', '))
          .join(''),
        met: null,
      },
    ],
    notes: [
      "The task-force report runs a fixed set of aggregate statements (libs/reports/src/reports.queries.ts), one per indicator group for all four periods of the trend at once, plus the request's own (session, task force); the national roll-up reads the closed quarters' snapshots in one statement.",
      "Statements counted by the bench's PostgreSQL wire-protocol proxy: every statement in the request's window except the outbox relay's poll, the fewest of three requests. The machine is shared and busy (2 cores, other work running): the times are indicative only.",
      "History: `cli demo-history <years>` writes 2.5 meetings, 83 action items and 8.3 case summaries per task force and month, on top of the demo's own year.",
    ],
    raw: figures,
  };
}
