import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { CapturedOutput } from './output';
import { freePort } from './ports';

/**
 * A private PostgreSQL cluster for one suite, on a free loopback port: never the machine's server on
 * 5432, which other suites and people share. It can be stopped, started and restarted on the same
 * port and data directory, as an operator restarting PostgreSQL would.
 *
 * initdb refuses to run as root, so the cluster belongs to the `postgres` OS user: its folder is
 * chowned to it and every server command runs through `runuser -u postgres --` when we are root.
 * Trust authentication, the socket in the cluster's own folder, listening on 127.0.0.1 only.
 */
export interface PostgresServer {
  port: number;
  /** The cluster's folder (data directory, socket and log live under it). */
  dir: string;
  /** `postgres://postgres@127.0.0.1:<port>/<database>` */
  url(database?: string): string;
  /** Whether the server answers right now (as far as this helper knows: it started it and did not stop it). */
  readonly running: boolean;
  /** Starts it (again) on the same port and data directory; resolves once it accepts connections. */
  start(): Promise<void>;
  /** `pg_ctl stop`: `fast` (the default) ends sessions and rolls back open transactions; `immediate` is a crash. */
  stop(mode?: 'smart' | 'fast' | 'immediate'): Promise<void>;
  /** `pg_ctl restart` (fast by default): what an operator's restart does. */
  restart(mode?: 'smart' | 'fast' | 'immediate'): Promise<void>;
  /** `create database <name>`; returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** The server's log, across restarts. */
  output(): string;
  /** Stops it if running (immediately) and removes its folder. */
  dispose(): Promise<void>;
}

const BIN = process.env.TEST_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';
const OS_USER = 'postgres';

function userIds(name: string): { uid: number; gid: number } {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error(
      `There is no "${name}" OS user to own a private PostgreSQL cluster (${uid.stderr || gid.stderr}). Install PostgreSQL (apt-get install postgresql).`,
    );
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function assertInstalled(): void {
  for (const tool of ['initdb', 'pg_ctl', 'postgres']) {
    if (!existsSync(join(BIN, tool))) {
      throw new Error(
        `${join(BIN, tool)} is missing: this suite starts a PostgreSQL cluster of its own and needs the server binaries ` +
          '(apt-get install postgresql-15, or set TEST_POSTGRES_BIN to the folder holding initdb and pg_ctl).',
      );
    }
  }
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a server tool as the postgres OS user; resolves with its output, rejects on a non-zero exit. */
function tool(name: string, args: string[], timeoutMs = 60_000): Promise<string> {
  const [command, argv] = asRoot
    ? ['runuser', ['-u', OS_USER, '--', join(BIN, name), ...args]]
    : [join(BIN, name), args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: tmpdir() });
    const out = new CapturedOutput().attach(child);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${name} could not run: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out.all());
      else reject(new Error(`${name} ${args.join(' ')} ended with ${code ?? signal}:\n${out.all()}`));
    });
  });
}

/** Synchronous immediate stop, for a test process that exits without running its afterAll. */
function stopNow(dataDir: string): void {
  const args = ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', '10'];
  if (asRoot) spawnSync('runuser', ['-u', OS_USER, '--', join(BIN, 'pg_ctl'), ...args], { stdio: 'ignore' });
  else spawnSync(join(BIN, 'pg_ctl'), args, { stdio: 'ignore' });
}

export async function postgresServer(
  options: { port?: number; startTimeoutSeconds?: number } = {},
): Promise<PostgresServer> {
  assertInstalled();
  const owner = asRoot ? userIds(OS_USER) : undefined;
  const port = options.port ?? (await freePort());
  const timeout = String(options.startTimeoutSeconds ?? 30);
  const dir = mkdtempSync(join(tmpdir(), 'hub-pg-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  let running = false;
  let disposed = false;

  // A quick cluster: no fsync (nothing here must survive a power cut), but synchronous commit stays on,
  // so an acknowledged commit survives a crash of the server process (the suites crash it on purpose).
  await tool('initdb', [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '--encoding=UTF8',
    '--locale=C',
    '--no-sync',
    '--no-instructions',
  ]);
  const serverOptions = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c full_page_writes=off',
    '-c max_connections=100',
    '-c shared_buffers=32MB',
  ].join(' ');

  const onExit = () => {
    if (running) stopNow(dataDir);
  };
  process.once('exit', onExit);

  const start = async (): Promise<void> => {
    if (disposed) throw new Error('this PostgreSQL cluster was disposed');
    if (running) throw new Error(`PostgreSQL on port ${port} is already running`);
    await tool('pg_ctl', ['start', '-D', dataDir, '-l', logFile, '-o', serverOptions, '-w', '-t', timeout]);
    running = true;
  };

  const stop = async (mode: 'smart' | 'fast' | 'immediate' = 'fast'): Promise<void> => {
    if (!running) return;
    await tool('pg_ctl', ['stop', '-D', dataDir, '-m', mode, '-w', '-t', timeout]);
    running = false;
  };

  const restart = async (mode: 'smart' | 'fast' | 'immediate' = 'fast'): Promise<void> => {
    if (!running) return start();
    running = false;
    await tool('pg_ctl', [
      'restart',
      '-D',
      dataDir,
      '-l',
      logFile,
      '-m',
      mode,
      '-o',
      serverOptions,
      '-w',
      '-t',
      timeout,
    ]);
    running = true;
  };

  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;

  try {
    await start();
  } catch (error) {
    process.removeListener('exit', onExit);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    port,
    dir,
    url,
    get running() {
      return running;
    },
    start,
    stop,
    restart,
    createDatabase: async (name) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      const client = new Client({ connectionString: url(), connectionTimeoutMillis: 5_000 });
      await client.connect();
      try {
        await client.query(`create database ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    output: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    dispose: async () => {
      if (disposed) return;
      await stop('immediate').catch(() => stopNow(dataDir));
      running = false;
      disposed = true;
      process.removeListener('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
