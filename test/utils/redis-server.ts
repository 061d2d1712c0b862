import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { CapturedOutput } from './output';
import { freePort } from './ports';

/**
 * A private redis-server for one suite, on a free loopback port: never the machine's Redis on 6379,
 * which other suites share. It can be stopped and started again on the same port, as an operator
 * restarting Redis would.
 */
export interface RedisServer {
  port: number;
  url: string;
  /** Whether the server process is running now. */
  readonly running: boolean;
  /** Starts it (again) on the same port and resolves once it answers PING. */
  start(): Promise<void>;
  /** SIGTERM, then resolves when the process has exited (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
  /** Everything the server printed, across restarts. */
  output(): string;
  /** `INFO <section>` as key → value (e.g. `commandstats` → `cmdstat_publish` → `calls=3,…`). */
  info(section: string): Promise<Record<string, string>>;
  /** Stops it if running and removes its working folder. */
  dispose(): Promise<void>;
}

/** One PING over a raw connection: true on +PONG. */
function ping(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let answer = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

function assertInstalled(): void {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `redis-server is not available on PATH (${probe.error?.message ?? probe.stderr}). ` +
        'This suite starts its own Redis: install it (apt-get install redis-server) and run again.',
    );
  }
}

export async function redisServer(options: { port?: number; startTimeoutMs?: number } = {}): Promise<RedisServer> {
  assertInstalled();
  const port = options.port ?? (await freePort());
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  const dir = mkdtempSync(join(tmpdir(), 'hub-redis-'));
  let child: ChildProcess | null = null;
  const log = new CapturedOutput();

  const isRunning = () => !!child && child.exitCode === null && child.signalCode === null;

  const start = async (): Promise<void> => {
    if (isRunning()) throw new Error(`redis-server on port ${port} is already running`);
    const proc = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--protected-mode',
        'no',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    log.attach(proc);
    let exited: string | null = null;
    proc.once('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
    proc.once('error', (error) => (exited = `failed: ${error.message}`));
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      if (exited) throw new Error(`redis-server on port ${port} ${exited} before answering PING:\n${log.all()}`);
      if (await ping(port)) return;
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`redis-server on port ${port} did not answer PING within ${startTimeoutMs} ms:\n${log.all()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  const stop = async (graceMs = 10_000): Promise<void> => {
    const proc = child;
    if (!proc || !isRunning()) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      proc.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      proc.kill('SIGTERM');
    });
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return isRunning();
    },
    start,
    stop,
    output: () => log.all(),
    info: async (section) => {
      const client = new Redis(port, '127.0.0.1', {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        enableOfflineQueue: false,
      });
      client.on('error', () => undefined);
      try {
        await client.connect();
        const text = await client.info(section);
        return Object.fromEntries(
          text
            .split('\r\n')
            .filter((line) => line && !line.startsWith('#'))
            .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]),
        );
      } finally {
        client.disconnect();
      }
    },
    dispose: async () => {
      await stop(2_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
