import { fork } from 'node:child_process';
import { join } from 'node:path';
import { onCleanup } from './util';

export interface SqlSnapshot {
  statements: number;
  roundTrips: number;
  byText: Record<string, number>;
}

/** Statements the hub runs on timers, whatever the clients do: the relay's sweep, the streams' poll, session re-checks. */
const BACKGROUND = [
  /"published_at" is null/i,
  /from "event_cursor" as "\w+" where "\w+"\."task_force_id" in/i,
  /from "auth_session" as "\w+" .*"id" in \(/i,
];

export function isBackground(text: string): boolean {
  return BACKGROUND.some((re) => re.test(text));
}

export interface SqlDelta {
  statements: number;
  roundTrips: number;
  /** Statements of the hub's timers (relay sweep, stream poll, revalidation) inside the window. */
  background: number;
  /** statements − background. */
  foreground: number;
  byText: Record<string, number>;
}

export function delta(before: SqlSnapshot, after: SqlSnapshot): SqlDelta {
  const byText: Record<string, number> = {};
  let background = 0;
  for (const [text, n] of Object.entries(after.byText)) {
    const d = n - (before.byText[text] ?? 0);
    if (d <= 0) continue;
    byText[text] = d;
    if (isBackground(text)) background += d;
  }
  const statements = after.statements - before.statements;
  return {
    statements,
    roundTrips: after.roundTrips - before.roundTrips,
    background,
    foreground: statements - background,
    byText,
  };
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
            const listener = (m: SqlSnapshot & { ready?: number }) => {
              if (m.ready !== undefined) return;
              child.off('message', listener);
              done(m);
            };
            child.on('message', listener);
            child.send({ snapshot: true });
          }),
        stop,
      });
    });
  });
}
