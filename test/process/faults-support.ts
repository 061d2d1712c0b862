import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client as WsClient } from 'graphql-ws';
import { Pool } from 'pg';
import type { Socket } from 'socket.io-client';
import { scratchDatabase, type ScratchDatabase } from '../utils/database';
import { GraphQLClient, type GraphQLErrorBody } from '../utils/graphql-client';
import { logsWritten, run, type Running, start } from '../utils/process';
import { redisServer, type RedisServer } from '../utils/redis-server';
import { connectSocket } from '../utils/socket-client';
import { jsonLogLines } from '../utils/output';
import { subscribe, type Subscribed, subscriptionClient } from '../utils/subscription-client';
import { sleep, waitUntil } from '../utils/wait';

/**
 * What the fault suites (test/process/faults-*.e2e-spec.ts) share: a deployment of built processes
 * on a database and a Redis of their own, clients that record every event they get and can move to
 * another instance with their last cursor, and writers that keep mutations going through a fault.
 * Not a spec: Jest only runs *.e2e-spec.ts.
 */

export const SECRET = 'faults-test-secret-faults-test-secret-0123456';
export const PASSWORD = 'demo-password-1234';
/** Production closes /metrics without a token: the deployments' processes get this one. */
export const METRICS_TOKEN = 'process-suites-metrics-token-0123456789';
export const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }';
export const SCHEDULE = 'mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }';
export const EVENTS =
  'subscription($tf: ID!, $after: Int) { taskForceEvents(taskForceId: $tf, after: $after) { type cursor taskForceId } }';
/** Longer than the streams' 2 s database poll: a duplicate or late event would show up within it. */
export const SETTLE_MS = 2_500;

/** from+1 … to */
export const range = (from: number, to: number) =>
  Array.from({ length: Math.max(0, to - from) }, (_, i) => from + 1 + i);

export function summary(cursors: number[]): string {
  const counts = new Map<number, number>();
  for (const cursor of cursors) counts.set(cursor, (counts.get(cursor) ?? 0) + 1);
  const duplicates = [...counts].filter(([, n]) => n > 1).map(([c]) => c);
  const sorted = [...counts.keys()].sort((a, b) => a - b);
  const gaps = sorted.length ? range(sorted[0] - 1, sorted.at(-1)!).filter((c) => !counts.has(c)) : [];
  const outOfOrder = cursors.filter((c, i) => i > 0 && c <= cursors[i - 1]).length;
  return `${cursors.length} events, first ${cursors[0]}, last ${cursors.at(-1)}, duplicates [${duplicates.slice(0, 20)}], gaps [${gaps.slice(0, 20)}], out of order ${outOfOrder}`;
}

export function stats(values: number[]): string {
  if (!values.length) return 'none';
  const sorted = [...values].sort((a, b) => a - b);
  return `min ${sorted[0]} / median ${sorted[Math.floor(sorted.length / 2)]} / max ${sorted.at(-1)} ms (n=${sorted.length})`;
}

export interface Seen {
  cursor: number;
  type: string;
  /** Date.now() when the client got it. */
  at: number;
}

/** Anything the server says that a person or a log reader must not see in an API answer. */
export const LEAK =
  /ECONNREFUSED|ECONNRESET|ENOTFOUND|\bselect\b|\binsert\b|\bupdate\b.*\bset\b|\bdelete from\b|\bat \S+ \(|\.js:\d+|knex|mikro-?orm|node_modules|pg_|sqlstate|terminating connection|127\.0\.0\.1|:\d{4,5}\b/i;

export type ApiName = `api${number}`;
export type GatewayName = `gateway${number}`;

/**
 * Built api/gateway (or hub) processes on one database, with this suite's own Redis when there is
 * more than one process. Migrates and seeds the demo task forces first.
 */
export class Deployment {
  readonly processes = new Map<string, Running>();
  readonly dataDir = mkdtempSync(join(tmpdir(), 'hub-faults-'));
  redis?: RedisServer;
  scratch?: ScratchDatabase;
  databaseUrl!: string;
  /** A small pool: survives a PostgreSQL restart (broken idle connections are dropped). */
  pg!: Pool;
  env!: Record<string, string>;

  static async create(options: {
    apps: ('api' | 'gateway' | 'hub')[];
    redis: boolean;
    databaseUrl?: string;
    env?: Record<string, string>;
  }): Promise<Deployment> {
    const deployment = new Deployment();
    try {
      await deployment.setUp(options);
    } catch (error) {
      console.log(`fault suite set-up failed; output follows\n${deployment.output()}`);
      await deployment.dispose();
      throw error;
    }
    return deployment;
  }

  private async setUp(options: {
    apps: ('api' | 'gateway' | 'hub')[];
    redis: boolean;
    databaseUrl?: string;
    env?: Record<string, string>;
  }) {
    if (options.redis) this.redis = await redisServer();
    if (options.databaseUrl) this.databaseUrl = options.databaseUrl;
    else {
      this.scratch = await scratchDatabase('postgres');
      this.databaseUrl = this.scratch.url;
    }
    this.pg = new Pool({ connectionString: this.databaseUrl, max: 2 });
    this.pg.on('error', () => undefined); // a suite that restarts PostgreSQL gets fresh connections
    await this.pg.query('select 1');
    this.env = {
      NODE_ENV: 'production',
      JWT_SECRET: SECRET,
      DATABASE_URL: this.databaseUrl,
      DATA_DIR: this.dataDir,
      DEMO_PASSWORD: PASSWORD,
      METRICS_TOKEN,
      ...(this.redis ? { REDIS_URL: this.redis.url } : {}),
      ...options.env,
    };
    const migrated = await run('cli', ['migrate'], this.env);
    if (migrated.code !== 0) throw new Error(`cli migrate failed:\n${migrated.stdout}\n${migrated.stderr}`);
    const seeded = await run('cli', ['seed'], this.env);
    if (seeded.code !== 0) throw new Error(`cli seed failed:\n${seeded.stdout}\n${seeded.stderr}`);
    const counts: Record<string, number> = {};
    const names = options.apps.map((app) => `${app}${(counts[app] = (counts[app] ?? 0) + 1)}`);
    // A generous start deadline: CI machines run other suites beside this one.
    const started = await Promise.allSettled(options.apps.map((app) => start(app, this.env, 90_000)));
    started.forEach((s, i) => s.status === 'fulfilled' && this.processes.set(names[i], s.value));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
  }

  get(name: string): Running {
    const p = this.processes.get(name);
    if (!p) throw new Error(`no process ${name}`);
    return p;
  }

  url(name: string): string {
    return this.get(name).url;
  }

  alive(name: string): boolean {
    const child = this.processes.get(name)?.child;
    return !!child && child.exitCode === null && child.signalCode === null;
  }

  /** SIGKILL, and resolves once it is gone. */
  async kill(name: string): Promise<void> {
    const child = this.get(name).child;
    if (!this.alive(name)) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Each process's output without the lines of requests that went well, the last `tail` characters of each. */
  output(tail = 8_000): string {
    const trim = (text: string) =>
      text
        .split('\n')
        .filter((line) => !(line.includes('"msg":"request completed"') && line.startsWith('{"level":30,')))
        .join('\n')
        .slice(-tail);
    return (
      [...this.processes].map(([name, p]) => `----- ${name} -----\n${trim(p.output())}`).join('\n') +
      (this.redis ? `\n----- redis -----\n${this.redis.output().slice(-3000)}` : '')
    );
  }

  /** Waits until every process's output holds everything it has logged so far (see logsWritten). */
  async logsWritten(): Promise<void> {
    await Promise.all([...this.processes.values()].map((p) => logsWritten(p)));
  }

  /** What the server logged as masked errors (INTERNAL_SERVER_ERROR) since `from` characters of its output: message → count. */
  maskedErrors(name: string, from = 0): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const line of jsonLogLines(this.get(name).output().slice(from))) {
      if (line.context !== 'GraphQL' || line.level !== 50) continue;
      const msg = String(line.msg).split('\n')[0];
      counts[msg] = (counts[msg] ?? 0) + 1;
    }
    return counts;
  }

  async signIn(
    email: string,
    via = [...this.processes.keys()].find((n) => n.startsWith('api') || n.startsWith('hub'))!,
  ): Promise<string> {
    const { login } = await new GraphQLClient(`${this.url(via)}/graphql`).data(LOGIN, { e: email, p: PASSWORD });
    return login.accessToken;
  }

  async taskForceId(code: string, token: string, via?: string): Promise<string> {
    const api = via ?? [...this.processes.keys()].find((n) => n.startsWith('api') || n.startsWith('hub'))!;
    const { taskForces } = await new GraphQLClient(`${this.url(api)}/graphql`).data(
      '{ taskForces { id code } }',
      {},
      { token },
    );
    return taskForces.find((t: { code: string }) => t.code === code).id;
  }

  /** A process's `GET /metrics` text, with the deployment's scrape token. */
  async metrics(name: string): Promise<string> {
    const response = await fetch(`${this.url(name)}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    if (response.status !== 200) throw new Error(`${name} answered ${response.status} to GET /metrics`);
    return response.text();
  }

  async lastCursor(taskForceId: string): Promise<number> {
    const { rows } = await this.pg.query('select last_cursor from event_cursor where task_force_id = $1', [
      taskForceId,
    ]);
    return rows.length ? Number(rows[0].last_cursor) : 0;
  }

  async outboxBacklog(): Promise<number> {
    const { rows } = await this.pg.query('select count(*)::int as n from domain_event where published_at is null');
    return rows[0].n;
  }

  /** The task force's events in the database: their cursors in order, checked gap-free against event_cursor. */
  async eventCursors(taskForceId: string): Promise<number[]> {
    const { rows } = await this.pg.query('select cursor from domain_event where task_force_id = $1 order by cursor', [
      taskForceId,
    ]);
    return rows.map((r) => Number(r.cursor));
  }

  async readyStatus(name: string): Promise<number | string> {
    try {
      const response = await fetch(`${this.url(name)}/health/ready`, { signal: AbortSignal.timeout(5_000) });
      return response.status;
    } catch (error) {
      return `no answer (${(error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).message})`;
    }
  }

  async dispose(): Promise<void> {
    if (process.env.FAULTS_LOGS) console.log(this.output());
    await Promise.all(
      [...this.processes.values()].map(async (p) => {
        const kill = setTimeout(() => p.child.kill('SIGKILL'), 10_000);
        await p.stop().catch(() => undefined);
        clearTimeout(kill);
      }),
    );
    await this.redis?.dispose().catch(() => undefined);
    await this.pg?.end().catch(() => undefined);
    await this.scratch?.drop().catch((error) => console.warn(`could not drop the scratch database: ${error.message}`));
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** A Socket.IO client in a task force's room that records every event (and everything else it is sent). */
export class SocketWatcher {
  readonly seen: Seen[] = [];
  readonly disconnects: { reason: string; at: number }[] = [];
  /** Every non-domain event it got (server.shutdown, session.ended, …), with its payload. */
  readonly notices: { event: string; payload: unknown; at: number }[] = [];
  socket?: Socket;
  /** Each join: the instance, the acknowledged cursor, and how many events the catch-up replayed. */
  readonly joins: { url: string; cursor: number; after?: number; replayed: number; tookMs: number }[] = [];

  constructor(
    readonly name: string,
    private readonly token: string,
    private readonly taskForceId: string,
  ) {}

  cursors(): number[] {
    return this.seen.map((e) => e.cursor);
  }

  last(): number | undefined {
    return this.seen.at(-1)?.cursor;
  }

  get connected(): boolean {
    return !!this.socket?.connected;
  }

  /** Connects to a gateway and joins the task force's room; with `after`, the catch-up comes first. */
  async join(url: string, after?: number): Promise<number> {
    const startedAt = Date.now();
    const socket = await connectSocket(url, this.token);
    this.socket = socket;
    const before = this.seen.length;
    socket.onAny((event: string, payload: { taskForceId?: string; cursor?: unknown }) => {
      // The member's inbox notices come on the same socket, numbered by inbox position: another stream.
      if (event === 'notification.created') return;
      if (payload && payload.taskForceId === this.taskForceId && typeof payload.cursor === 'number')
        this.seen.push({ cursor: payload.cursor, type: event, at: Date.now() });
      else if (event !== 'presence.changed') this.notices.push({ event, payload, at: Date.now() });
    });
    socket.on('disconnect', (reason) => this.disconnects.push({ reason, at: Date.now() }));
    const ack = await socket
      .timeout(10_000)
      .emitWithAck(
        'room.join',
        after === undefined ? { taskForceId: this.taskForceId } : { taskForceId: this.taskForceId, after },
      );
    if (!ack?.ok) throw new Error(`${this.name}: room.join refused: ${JSON.stringify(ack)}`);
    this.joins.push({
      url,
      cursor: ack.cursor,
      after,
      replayed: this.seen.length - before,
      tookMs: Date.now() - startedAt,
    });
    return ack.cursor;
  }

  /** What a client does when its instance went away: connect to another and join again after its last cursor. */
  async moveTo(url: string, fallback: number): Promise<number> {
    this.socket?.close();
    return this.join(url, this.last() ?? fallback);
  }

  close(): void {
    this.socket?.close();
  }
}

/** A graphql-ws subscriber to taskForceEvents that can resubscribe elsewhere with `after: <last cursor>`. */
export class SubscriptionWatcher {
  readonly seen: Seen[] = [];
  readonly closes: { code: number; reason: string; at: number }[] = [];
  readonly endings: { error?: unknown; at: number }[] = [];
  client?: WsClient;
  private current?: Subscribed<{ type: string; cursor: number; taskForceId: string }>;
  readonly attaches: { url: string; after: number }[] = [];

  constructor(
    readonly name: string,
    private readonly token: string,
    private readonly taskForceId: string,
  ) {}

  cursors(): number[] {
    return this.seen.map((e) => e.cursor);
  }

  last(): number | undefined {
    return this.seen.at(-1)?.cursor;
  }

  /** Subscribes on an api with `after` (exact whenever the server attaches it). */
  attach(url: string, after: number): void {
    const client = subscriptionClient(url, this.token, (code, reason) =>
      this.closes.push({ code, reason, at: Date.now() }),
    );
    this.client = client;
    this.attaches.push({ url, after });
    const subscribed = subscribe<{ type: string; cursor: number; taskForceId: string }>(
      client,
      EVENTS,
      { tf: this.taskForceId, after },
      'taskForceEvents',
    );
    this.current = subscribed;
    // Record as they come (Subscribed.received is per subscription; ours spans every instance).
    const seen = this.seen;
    const push = subscribed.received.push.bind(subscribed.received);
    subscribed.received.push = (...items) => {
      for (const item of items) seen.push({ cursor: item.cursor, type: item.type, at: Date.now() });
      return push(...items);
    };
    void subscribed.ended.then((end) => this.endings.push({ ...end, at: Date.now() }));
  }

  /** Its api went away: subscribe on another after the last cursor seen. */
  async moveTo(url: string, fallback: number): Promise<void> {
    await this.client?.dispose();
    this.attach(url, this.last() ?? fallback);
  }

  async close(): Promise<void> {
    this.current?.unsubscribe();
    await this.client?.dispose();
  }
}

export interface Outcome {
  writer: string;
  title: string;
  via: string;
  sentAt: number;
  doneAt: number;
  ok: boolean;
  /** The GraphQL error, when the server answered one. */
  error?: GraphQLErrorBody;
  /** No answer at all (connection refused or reset): the outcome is unknown to the client. */
  transport?: string;
  status?: number;
}

/**
 * Keeps scheduling meetings (one meeting.scheduled event each) through a list of instances until
 * stopped. When an instance does not answer it moves to the next one, as a client behind a load
 * balancer would; every call and its outcome is recorded.
 */
export class Writer {
  readonly outcomes: Outcome[] = [];
  private stopped = false;
  private done?: Promise<void>;
  private index = 0;
  private n = 0;

  constructor(
    readonly name: string,
    private readonly urls: () => { name: string; url: string }[],
    private readonly token: string,
    private readonly taskForceId: string,
    private readonly pauseMs = 50,
    private readonly agenda = 0,
  ) {}

  ok(): Outcome[] {
    return this.outcomes.filter((o) => o.ok);
  }

  failed(): Outcome[] {
    return this.outcomes.filter((o) => !o.ok);
  }

  /** One mutation through the current instance. */
  async once(label = ''): Promise<Outcome> {
    const targets = this.urls();
    const target = targets[this.index % targets.length];
    const n = ++this.n;
    const title = `${this.name} ${n}${label ? ` ${label}` : ''}`;
    const startsAt = new Date(Date.now() + 86_400_000 + n * 60_000);
    const input = {
      taskForceId: this.taskForceId,
      title,
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
      ...(this.agenda
        ? { agenda: Array.from({ length: this.agenda }, (_, i) => ({ title: `${title} item ${i + 1}` })) }
        : {}),
    };
    const sentAt = Date.now();
    const outcome: Outcome = { writer: this.name, title, via: target.name, sentAt, doneAt: 0, ok: false };
    try {
      const result = await new GraphQLClient(`${target.url}/graphql`).request(
        SCHEDULE,
        { input },
        { token: this.token },
      );
      outcome.status = result.status;
      if (result.errors?.length) outcome.error = result.errors[0];
      else outcome.ok = !!result.data?.scheduleMeeting?.id;
    } catch (error) {
      outcome.transport = (error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      this.index++; // that instance is gone: the next call goes elsewhere
    }
    outcome.doneAt = Date.now();
    this.outcomes.push(outcome);
    return outcome;
  }

  start(): this {
    this.done = (async () => {
      while (!this.stopped) {
        await this.once();
        await sleep(this.pauseMs);
      }
    })();
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }
}

/** Waits until every watcher has seen `upTo`, then SETTLE_MS more so a duplicate or a late event shows. */
export async function everyoneReaches(
  upTo: number,
  timeoutMs: number,
  who: { name: string; cursors: () => number[] }[],
): Promise<number> {
  const took = await waitUntil(() => who.every((w) => w.cursors().includes(upTo)), `every client to see ${upTo}`, {
    timeoutMs,
    everyMs: 20,
    state: () => who.map((w) => `${w.name}: ${summary(w.cursors())}`).join('; '),
  });
  await sleep(SETTLE_MS);
  return took;
}

/** A GET on a keep-alive connection that is already open (so "stops accepting" does not refuse it). */
export function keepAliveAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 1 });
}

export function httpGet(
  url: string,
  agent?: Agent,
  timeoutMs = 5_000,
): Promise<{ status: number; body: string; connection?: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent, timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection as string | undefined }),
      );
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}
