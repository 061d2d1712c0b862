import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import WebSocket from 'ws';
import { log, onCleanup, sleep } from './util';

export const ROOT = join(__dirname, '..', '..', '..');
export const BENCH_DIST = join(__dirname, '..');
export const TMP = join(ROOT, 'bench', 'results', 'tmp');

/** Where the built deployables live: the checkout itself, or (BENCH_TREE=head) a private build of the last commit. */
export let APP_ROOT = ROOT;
export function setAppRoot(dir: string): void {
  APP_ROOT = dir;
}

export const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-0123456789';
export const DEMO_PASSWORD = 'bench-demo-password-1234';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Proc {
  name: string;
  child: ChildProcess;
  url: string;
  /** ws:// URL of the V8 inspector when started with `inspect`. */
  inspectorUrl?: string;
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  script: string;
  args?: string[];
  env?: Record<string, string>;
  /** Starts the process with the V8 inspector on a free port (memory and CPU profiles). */
  inspect?: boolean;
  /** A regexp whose first group is the server's base URL, printed when it is ready. */
  ready?: RegExp;
  timeoutMs?: number;
}

// Every deployable's banner has the Health line (the gateway's has no GraphQL line).
const HUB_READY = /is up\.[\s\S]*?Health:\s+(http:\/\/\S+)\/health\/ready/;

/** The environment a user's shell would have, minus our own variables, plus `env`. */
function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const key of Object.keys(base))
    if (
      /^(DATABASE_URL|REDIS_URL|JWT_SECRET|PORT|NODE_ENV|DEMO_|MIGRATE_ON_START|DATA_DIR|TEST_|BENCH_|LOGIN_RATE|ACCESS_TOKEN)/.test(
        key,
      )
    )
      delete base[key];
  return { ...base, ...env };
}

/**
 * Extra node arguments for the hub's deployables (not the baselines, not the CLI), for experiments:
 * `BENCH_HUB_NODE_ARGS="--no-memory-reducer"`, or `--cpu-prof --cpu-prof-dir=bench/results/tmp/profiles`.
 */
const HUB_NODE_ARGS = (process.env.BENCH_HUB_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
const HUB_APPS = new Set(['hub', 'api', 'gateway']);

export function startProcess(options: StartOptions): Promise<Proc> {
  const nodeArgs = [
    ...(options.inspect ? ['--inspect=127.0.0.1:0'] : []),
    ...(HUB_APPS.has(options.name) ? HUB_NODE_ARGS : []),
  ];
  const child = spawn(process.execPath, [...nodeArgs, options.script, ...(options.args ?? [])], {
    env: cleanEnv({ PORT: '0', ...options.env }),
    cwd: ROOT,
  });
  const ready = options.ready ?? HUB_READY;
  let output = '';
  let exited = false;
  child.on('exit', () => (exited = true));
  const stop = () =>
    new Promise<void>((done) => {
      if (exited || child.exitCode !== null || child.signalCode !== null) return done();
      const kill = setTimeout(() => child.kill('SIGKILL'), 8_000);
      child.once('exit', () => {
        clearTimeout(kill);
        done();
      });
      child.kill('SIGTERM');
    });
  onCleanup(stop);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${options.name} did not come up in ${options.timeoutMs ?? 60_000} ms:\n${output}`));
    }, options.timeoutMs ?? 60_000);
    let settled = false;
    const onData = (chunk: Buffer) => {
      // Keep the tail only: a long run can print a lot.
      output = (output + chunk.toString()).slice(-200_000);
      if (settled) return;
      const match = ready.exec(output);
      const inspector = /Debugger listening on (ws:\/\/\S+)/.exec(output);
      if (match && (!options.inspect || inspector)) {
        settled = true;
        clearTimeout(timer);
        resolve({ name: options.name, child, url: match[1], inspectorUrl: inspector?.[1], output: () => output, stop });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code, signal) => {
      if (settled) return;
      clearTimeout(timer);
      reject(new Error(`${options.name} exited with ${code ?? signal} before it was up:\n${output}`));
    });
  });
}

export type App = 'hub' | 'api' | 'gateway';
export const builtEntry = (app: App | 'cli') => join(APP_ROOT, 'dist', 'apps', app, 'src', 'main.js');
export const baselineEntry = (name: 'socketio' | 'ws' | 'apollo') => join(BENCH_DIST, 'baselines', `${name}-server.js`);
export const BASELINE_READY = /BASELINE READY (http:\/\/\S+)/;

/** A process run to completion (the cli's migrate and seed). */
export function runToEnd(
  script: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env: cleanEnv(env), cwd: ROOT });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${script} ${args.join(' ')} exited with ${code}:\n${out}`));
    });
  });
}

/** A fresh PostgreSQL database, dropped at the end of the run. */
export async function scratchDatabase(): Promise<{ name: string; url: string }> {
  const name = `hub_bench_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  onCleanup(async () => {
    const client = new Client({ connectionString: POSTGRES_ADMIN_URL });
    await client.connect();
    try {
      await client.query(`drop database if exists ${name} with (force)`);
    } finally {
      await client.end();
    }
  });
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let answer = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

/** A private redis-server on a free loopback port (never the shared 6379), stopped at the end. */
export async function privateRedis(): Promise<{ url: string; port: number }> {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) throw new Error('redis-server is not on PATH; scenario "cross" needs it');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'hub-bench-redis-'));
  const child = spawn(
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
    { stdio: 'ignore' },
  );
  onCleanup(async () => {
    if (child.exitCode === null) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  });
  for (let i = 0; i < 200; i++) {
    if (await ping(port)) return { url: `redis://127.0.0.1:${port}`, port };
    await sleep(50);
  }
  throw new Error(`redis-server on ${port} did not answer`);
}

/** Minimal Chrome DevTools protocol client for a child's V8 inspector: forced GC, memory, CPU profiles. */
export class Inspector {
  private id = 0;
  private readonly waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const message = JSON.parse(raw.toString());
      const pending = message.id !== undefined ? this.waiting.get(message.id) : undefined;
      if (!pending) return;
      this.waiting.delete(message.id);
      if (message.error) pending.reject(new Error(message.error.message));
      else pending.resolve(message.result);
    });
  }

  static async connect(url: string): Promise<Inspector> {
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1 << 30 });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new Inspector(ws);
  }

  call<T = any>(method: string, params: object = {}): Promise<T> {
    const id = ++this.id;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** After two full garbage collections: the process's memory as process.memoryUsage() reports it. */
  async memory(): Promise<NodeJS.MemoryUsage> {
    await this.call('HeapProfiler.enable');
    await this.call('HeapProfiler.collectGarbage');
    await sleep(100);
    await this.call('HeapProfiler.collectGarbage');
    const result = await this.call<{ result: { value: string } }>('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
      returnByValue: true,
    });
    return JSON.parse(result.result.value);
  }

  async startProfile(): Promise<void> {
    await this.call('Profiler.enable');
    await this.call('Profiler.setSamplingInterval', { interval: 200 });
    await this.call('Profiler.start');
  }

  /** Stops the CPU profile and writes it (open it in Chrome DevTools); returns the path and the top self-time functions. */
  async stopProfile(file: string): Promise<{ file: string; top: { fn: string; selfMs: number; share: number }[] }> {
    const { profile } = await this.call<{ profile: CpuProfile }>('Profiler.stop');
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, JSON.stringify(profile));
    return { file, top: topSelf(profile, 15) };
  }

  async startHeapSampling(): Promise<void> {
    await this.call('HeapProfiler.enable');
    await this.call('HeapProfiler.startSampling', { samplingInterval: 4096 });
  }

  /** Live allocations sampled since startHeapSampling, by allocating function (self size, bytes). */
  async stopHeapSampling(n = 15): Promise<{ fn: string; bytes: number }[]> {
    const { profile } = await this.call<{ profile: { head: HeapNode } }>('HeapProfiler.stopSampling');
    const bySite = new Map<string, number>();
    const walk = (node: HeapNode, stack: string[]) => {
      const f = node.callFrame;
      const where = f.url
        ? `${f.url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, '')}:${f.lineNumber + 1}`
        : '';
      const name = `${f.functionName || '(anonymous)'} ${where}`.trim();
      if (node.selfSize) bySite.set(name, (bySite.get(name) ?? 0) + node.selfSize);
      for (const child of node.children) walk(child, [...stack, name]);
    };
    walk(profile.head, []);
    return [...bySite]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([fn, bytes]) => ({ fn, bytes }));
  }

  close(): void {
    this.ws.close();
  }
}

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Self time per function (name + file:line), from a V8 CPU profile. */
export function topSelf(profile: CpuProfile, n: number): { fn: string; selfMs: number; share: number }[] {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byNode.get(profile.samples[i]);
    const dt = profile.timeDeltas[i] ?? 0;
    if (!node) continue;
    total += dt;
    const frame = node.callFrame;
    const where = frame.url
      ? `${frame.url.replace(/^file:\/\//, '').replace(ROOT + '/', '')}:${frame.lineNumber + 1}`
      : '';
    const key = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + dt);
  }
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([fn, us]) => ({
      fn,
      selfMs: Math.round(us / 1000),
      share: Math.round((us / Math.max(1, total)) * 1000) / 10,
    }));
}

export function ensureTmp(): string {
  mkdirSync(TMP, { recursive: true });
  return TMP;
}

export const exists = existsSync;

export function noteProcess(name: string, proc: Proc): void {
  log(`${name} up at ${proc.url} (pid ${proc.child.pid})`);
}
