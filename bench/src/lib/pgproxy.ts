import { fork } from 'node:child_process';
import { join } from 'node:path';
import { onCleanup, sleep } from './util';

export interface SqlSnapshot {
  statements: number;
  roundTrips: number;
  byText: Record<string, number>;
  /** When the parent received it (Date.now()). */
  at: number;
}

/** The outbox relay's statements (the hub's and the baselines'): the SELECT of unpublished rows, the UPDATE marking them. */
const RELAY = [/from "?domain_event"? .*"?published_at"? is null/i, /update "?domain_event"? set "?published_at"?/i];

export const isRelay = (text: string) => RELAY.some((re) => re.test(text));

export interface SqlDelta {
  statements: number;
  roundTrips: number;
  /** Length of the window, ms. */
  ms: number;
  byText: Record<string, number>;
  /**
   * Statements minus what the server runs anyway when idle: for each statement text, its count in an
   * idle window (`idle`) scaled to this window's length is taken off (never below zero). Everything
   * else counts, the relay's per-commit SELECT and UPDATE included.
   */
  foreground: number;
  /** Of `foreground`, the outbox relay's statements. */
  relay: number;
}

export function delta(before: SqlSnapshot, after: SqlSnapshot, idle?: SqlDelta): SqlDelta {
  const ms = after.at - before.at;
  const byText: Record<string, number> = {};
  let foreground = 0;
  let relay = 0;
  for (const [text, n] of Object.entries(after.byText)) {
    const d = n - (before.byText[text] ?? 0);
    if (d <= 0) continue;
    byText[text] = d;
    const expected = idle && idle.ms > 0 ? ((idle.byText[text] ?? 0) * ms) / idle.ms : 0;
    const counted = Math.max(0, d - expected);
    foreground += counted;
    if (isRelay(text)) relay += counted;
  }
  return {
    statements: after.statements - before.statements,
    roundTrips: after.roundTrips - before.roundTrips,
    ms,
    byText,
    foreground,
    relay,
  };
}

/** What the servers behind the proxy run with no client at all, over `ms` (their timers: relay sweep, stream poll). */
export async function idleWindow(proxy: PgProxy, ms: number): Promise<SqlDelta> {
  const before = await proxy.snapshot();
  await sleep(ms);
  return delta(before, await proxy.snapshot());
}

export interface PgProxy {
  port: number;
  /** DATABASE_URL through the proxy for a database name. */
  url(database: string): string;
  snapshot(): Promise<SqlSnapshot>;
  stop(): void;
}

/** Starts the counting proxy (its own process) in front of 127.0.0.1:5432. */
export function startPgProxy(): Promise<PgProxy> {
  const child = fork(join(__dirname, 'pgproxy-main.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const stop = () => {
    if (child.connected) child.disconnect();
    if (child.exitCode === null) child.kill();
  };
  onCleanup(stop);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (message: { ready: number }) => {
      const port = message.ready;
      resolve({
        port,
        url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
        snapshot: () =>
          new Promise((done) => {
            const listener = (m: Omit<SqlSnapshot, 'at'> & { ready?: number }) => {
              if (m.ready !== undefined) return;
              child.off('message', listener);
              done({ ...m, at: Date.now() });
            };
            child.on('message', listener);
            child.send({ snapshot: true });
          }),
        stop,
      });
    });
  });
}
