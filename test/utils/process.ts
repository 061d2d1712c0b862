import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CapturedOutput } from './output';
import { waitUntil } from './wait';

export const ROOT = join(__dirname, '..', '..');

export function builtEntry(app: 'hub' | 'api' | 'gateway' | 'cli'): string {
  const file = join(ROOT, 'dist', 'apps', app, 'src', 'main.js');
  if (!existsSync(file)) throw new Error(`${file} is missing: run "npm run build" first (npm test does).`);
  return file;
}

/** The environment a user's shell would have, minus anything of ours that would change the outcome. */
function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const key of [
    'DATABASE_URL',
    'REDIS_URL',
    'JWT_SECRET',
    'PORT',
    'NODE_ENV',
    'DEMO_DATA',
    'DEMO_PASSWORD',
    'MIGRATE_ON_START',
    'DATA_DIR',
    'TEST_DB',
  ])
    delete base[key];
  return { ...base, ...env };
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a built command to completion. */
export function run(
  app: 'hub' | 'api' | 'gateway' | 'cli',
  args: string[],
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [builtEntry(app), ...args], { env: cleanEnv(env), cwd: ROOT });
    const output = new CapturedOutput().attach(child);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${app} ${args.join(' ')} did not finish in ${timeoutMs} ms:\n${output.stdout()}\n${output.stderr()}`,
        ),
      );
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: output.stdout(), stderr: output.stderr() });
    });
  });
}

export interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** SIGTERM, then resolves with how it ended: exit code 0 after a clean drain. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a built server and waits for its "is up" banner; the URL comes from the banner itself. */
export function start(
  app: 'hub' | 'api' | 'gateway',
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<Running> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [builtEntry(app)], { env: cleanEnv({ PORT: '0', ...env }), cwd: ROOT });
    const captured = new CapturedOutput();
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${app} did not come up in ${timeoutMs} ms:\n${captured.all()}`));
    }, timeoutMs);
    let up = false;
    captured.attach(child, (output) => {
      if (up) return;
      // Every deployable's banner has the Health line (the gateway's has no GraphQL line).
      const match = /Health:\s+(http:\/\/\S+)\/health\/ready/.exec(output);
      if (match && output.includes('is up.')) {
        up = true;
        clearTimeout(timer);
        resolve({
          child,
          url: match[1],
          output: () => captured.all(),
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null || child.signalCode !== null)
                return done({ code: child.exitCode, signal: child.signalCode });
              child.once('exit', (code, signal) => done({ code, signal }));
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${app} exited with ${code} before it was up:\n${captured.all()}`));
    });
  });
}

/**
 * Resolves once everything the server has logged so far is in its captured output. Log lines reach
 * stdout in blocks, up to 250 ms late, but in order: once the line of a request sent now has arrived,
 * every earlier line has too. For a test that asserts something was NOT logged. The request is refused
 * (a body that is not JSON; the gateway has no /graphql), so its line is a warning, written at any
 * level but error.
 */
export async function logsWritten(server: Pick<Running, 'url' | 'output'>): Promise<void> {
  const id = `logs-written-${randomUUID()}`;
  await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': id },
    body: '{',
  });
  await waitUntil(() => server.output().includes(id), `the line of request ${id} in the output`, { timeoutMs: 5_000 });
}
