import type {
  ClientToServerEvents,
  EventEnvelope,
  JoinRoom,
  LiveEventMessage,
  ServerToClientEvents,
} from '@hub/contracts';
import { createClient, type Client as GqlWsClient } from 'graphql-ws';
import { io, type Socket as ClientSocket } from 'socket.io-client';
import WebSocket from 'ws';
import { pool } from './util';

/** What every receiver hands the collector: the pushed envelope (or the baseline's copy of it). */
export type Envelope = EventEnvelope;

/** A socket.io-client socket speaking the hub's contract (the bare Socket.IO baseline speaks it too). */
export type Socket = ClientSocket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Counts deliveries per bench event. An event is recognised by "bench-<seq>" in its text (the hub's
 * minute note, or the baselines' copy of the same envelope). Latency of a delivery = time it was
 * received here (Date.now()) − the envelope's `at` (the event time the server stamped, ms precision).
 * The first and last receipt are also kept on the monotonic clock (performance.now(), sub-millisecond),
 * for "first → last recipient", which needs no server clock at all.
 */
export class Collector {
  readonly events = new Map<
    number,
    { at: number; got: number; first: number; last: number; firstMono: number; lastMono: number; latencies: number[] }
  >();
  total = 0;
  keepLatencies = true;

  receive(envelope: Envelope): void {
    const t = Date.now();
    const mono = performance.now();
    this.total++;
    const text = envelope?.type === 'meeting.noteAdded' ? envelope.data?.text : undefined;
    if (typeof text !== 'string') return;
    const i = text.lastIndexOf('bench-');
    if (i < 0) return;
    const seq = Number(text.slice(i + 6));
    let ev = this.events.get(seq);
    if (!ev)
      this.events.set(
        seq,
        (ev = { at: Date.parse(envelope.at), got: 0, first: t, last: 0, firstMono: mono, lastMono: 0, latencies: [] }),
      );
    ev.got++;
    ev.last = t;
    ev.lastMono = mono;
    if (this.keepLatencies) ev.latencies.push(t - ev.at);
    this.settle(seq, ev.got);
  }

  got(seq: number): number {
    return this.events.get(seq)?.got ?? 0;
  }

  private readonly waiters = new Map<number, { n: number; resolve: () => void }>();

  /** Resolves when `n` deliveries of event `seq` have arrived; rejects after `timeoutMs`. */
  until(seq: number, n: number, timeoutMs = 20_000): Promise<void> {
    if (this.got(seq) >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(seq);
        reject(new Error(`event ${seq}: ${this.got(seq)} of ${n} deliveries after ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.set(seq, {
        n,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  private settle(seq: number, got: number): void {
    const waiter = this.waiters.get(seq);
    if (waiter && got >= waiter.n) {
      this.waiters.delete(seq);
      waiter.resolve();
    }
  }
}

export interface Receivers {
  count: number;
  close(): Promise<void>;
}

const SIO = { transports: ['websocket'] as string[], forceNew: true, reconnection: false, timeout: 60_000 };

/** socket.io-client sockets, each with its own connection (forceNew), websocket transport only. */
export async function socketIoClients(
  url: string,
  specs: { auth?: Record<string, string>; query?: Record<string, string> }[],
  collector: Collector | null,
  concurrency = 50,
): Promise<Socket[] & Receivers> {
  const sockets = await pool(
    specs,
    concurrency,
    (spec) =>
      new Promise<Socket>((resolve, reject) => {
        const socket: Socket = io(url, { ...SIO, auth: spec.auth, query: spec.query });
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', (error: Error & { data?: unknown }) =>
          reject(new Error(`connect_error: ${error.message} ${JSON.stringify(error.data ?? '')}`)),
        );
        // The inbox's notices share the socket but are numbered by inbox position: not the task force's stream.
        if (collector)
          socket.onAny((type: string, envelope: Envelope) => {
            if (type !== 'notification.created') collector.receive(envelope);
          });
      }),
  );
  return Object.assign(sockets, {
    count: sockets.length,
    close: async () => {
      for (const s of sockets) s.disconnect();
    },
  });
}

/**
 * room.join on every socket (the hub's gateway); throws on the first refusal. A socket that dropped
 * while waiting (a ping timeout when the machine is overloaded) is reconnected and asked again, twice at most.
 */
export async function joinRooms(sockets: Socket[], body: (i: number) => JoinRoom, concurrency = 50): Promise<number[]> {
  return pool(sockets, concurrency, async (socket, i) => {
    for (let attempt = 0; ; attempt++) {
      try {
        if (!socket.connected) {
          socket.connect();
          await new Promise<void>((resolve, reject) => {
            socket.once('connect', () => resolve());
            socket.once('connect_error', reject);
          });
        }
        const ack = await socket.timeout(120_000).emitWithAck('room.join', body(i));
        if (!ack?.ok) throw new Error(`room.join refused: ${JSON.stringify(ack)}`);
        return ack.cursor;
      } catch (error) {
        if (attempt >= 2 || /refused/.test((error as Error).message)) throw error;
        process.stderr.write(`[bench] room.join: ${(error as Error).message}; retrying\n`);
      }
    }
  });
}

/** Plain `ws` clients for the raw-ws baseline: the frame is the JSON ["type", envelope]. */
export async function wsClients(
  url: string,
  rooms: string[],
  collector: Collector,
  concurrency = 50,
): Promise<WebSocket[] & Receivers> {
  const base = url.replace(/^http/, 'ws');
  const sockets = await pool(
    rooms,
    concurrency,
    (room) =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(`${base}/ws?room=${encodeURIComponent(room)}`, { perMessageDeflate: false });
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
        ws.on('message', (raw) => {
          const [, envelope] = JSON.parse(raw.toString());
          collector.receive(envelope);
        });
      }),
  );
  return Object.assign(sockets, {
    count: sockets.length,
    close: async () => {
      for (const s of sockets) s.terminate();
    },
  });
}

const EVENTS =
  'subscription($tf: ID!) { taskForceEvents(taskForceId: $tf) { type taskForceId cursor at actorId data withheld } }';

/** graphql-ws clients, one WebSocket each, each subscribed to taskForceEvents; resolves once every subscription is live. */
export async function graphqlWsClients(
  url: string,
  specs: { token: string; taskForceId: string }[],
  collector: Collector,
  concurrency = 50,
): Promise<GqlWsClient[] & Receivers> {
  const wsUrl = `${url.replace(/^http/, 'ws')}/graphql`;
  const clients = await pool(specs, concurrency, async (spec) => {
    const client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${spec.token}` },
    });
    await new Promise<void>((resolve, reject) => {
      const off = client.on('connected', () => {
        off();
        resolve();
      });
      client.on('error', (e) =>
        reject(e instanceof Error ? e : new Error(String((e as { message?: string }).message ?? e))),
      );
      client.on('closed', (e) => reject(new Error(`closed ${(e as { code?: number }).code}`)));
    });
    client.subscribe<{ taskForceEvents: LiveEventMessage }>(
      { query: EVENTS, variables: { tf: spec.taskForceId } },
      {
        // LiveEvent.data is the payload as a JSON string: parsing it is part of what a client pays.
        next: (value) => {
          const e = value.data?.taskForceEvents;
          if (e)
            collector.receive({ ...e, data: e.data ? JSON.parse(e.data) : null, withheld: e.withheld || undefined });
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
    return client;
  });
  return Object.assign(clients, {
    count: clients.length,
    close: async () => {
      await Promise.all(clients.map((c) => c.dispose()));
    },
  });
}
