import { connect, type Socket as TcpSocket } from 'node:net';
import {
  Deployment,
  everyoneReaches,
  range,
  SocketWatcher,
  stats,
  SubscriptionWatcher,
  summary,
  Writer,
} from './faults-support';
import { sleep, waitUntil } from '../utils/wait';

/**
 * Graceful shutdown on SIGTERM, on a deployment of two api and two gateway processes (scratch
 * database, this suite's own Redis) with writers running. The contract, point by point:
 * (1) GET /health/ready answers 503 { status: 'draining' } for a request already on an open connection;
 * (2) no new connection is accepted; (3) an in-flight HTTP request finishes (a mutation sent before the
 * signal succeeds); (4) Socket.IO clients get `server.shutdown` { reconnect: true, message } and are then
 * disconnected by the server; (5) graphql-ws clients are closed with 1012 and a reason; (6) every event
 * committed before the signal is published (published_at set) and reaches clients on other instances;
 * (7) exit code 0 within SHUTDOWN_GRACE_MS + a few seconds, with a line saying it drained.
 *
 * To make (1) and (3) deterministic rather than a race with the signal, the suite talks raw HTTP:
 * a request whose headers are not finished yet (the connection is busy, not idle) and a POST whose body
 * is not all sent yet (in flight: the drain waits for it). Both are completed after the signal.
 */

const GRACE_MS = 8_000;
const EXIT_SLACK_MS = 5_000;

/** An HTTP/1.1 request over a raw TCP connection, sent in two parts: the second only when told. */
class SplitRequest {
  private readonly socket: TcpSocket;
  private raw = '';
  readonly answered: Promise<{ status: number; body: string; headers: string } | { error: string }>;

  private constructor(
    url: string,
    private readonly head: string,
    private readonly rest: string,
  ) {
    const { hostname, port } = new URL(url);
    this.socket = connect(Number(port), hostname);
    this.socket.on('data', (chunk) => (this.raw += chunk));
    this.answered = new Promise((resolve) => {
      this.socket.once('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
      this.socket.once('close', () => {
        const split = this.raw.indexOf('\r\n\r\n');
        if (split < 0) return resolve({ error: `closed without an answer (${JSON.stringify(this.raw.slice(0, 80))})` });
        const headers = this.raw.slice(0, split);
        let body = this.raw.slice(split + 4);
        if (/transfer-encoding:\s*chunked/i.test(headers)) {
          let decoded = '';
          for (let at = 0; ;) {
            const eol = body.indexOf('\r\n', at);
            const size = parseInt(body.slice(at, eol), 16);
            if (!size) break;
            decoded += body.slice(eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
          }
          body = decoded;
        }
        resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(headers)?.[1]), headers, body });
      });
    });
  }

  /** Connected, the first part written. */
  private async open(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
    await new Promise<void>((resolve) => this.socket.write(this.head, () => resolve()));
    return this;
  }

  /** GET with the headers' final blank line held back: the connection is busy with a request, not idle. */
  static get(url: string, path: string): Promise<SplitRequest> {
    const host = new URL(url).host;
    return new SplitRequest(
      url,
      `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\nX-Probe: 1\r\n`,
      '\r\n',
    ).open();
  }

  /** POST of a JSON body, all but its last bytes sent: the request is in flight until finish(). */
  static post(url: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<SplitRequest> {
    const host = new URL(url).host;
    const json = Buffer.from(JSON.stringify(body));
    const lines = [
      `POST ${path} HTTP/1.1`,
      `Host: ${host}`,
      'Connection: close',
      'Content-Type: application/json',
      `Content-Length: ${json.length}`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    const head = `${lines.join('\r\n')}\r\n\r\n${json.subarray(0, json.length - 5).toString()}`;
    return new SplitRequest(url, head, json.subarray(json.length - 5).toString()).open();
  }

  finish(): void {
    this.socket.write(this.rest);
  }
}

/** Whether a fresh TCP connection is accepted (and the server answers on it) right now. */
function accepts(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.setTimeout(2_000, () => (socket.destroy(), resolve('timeout')));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    socket.once('connect', () => {
      socket.write(`GET /health/live HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`);
      let raw = '';
      socket.on('data', (chunk) => (raw += chunk));
      socket.once('close', () =>
        resolve(raw ? `answered ${raw.split('\r\n')[0]}` : 'accepted, then closed without an answer'),
      );
    });
  });
}

interface Exit {
  code: number | null;
  signal: string | null;
  afterMs: number;
}

describe('faults: graceful shutdown on SIGTERM', () => {
  let d: Deployment | undefined;
  let taskForceId: string;
  let coordinator: string;
  let base: number;
  const writers: Writer[] = [];
  let police: SocketWatcher;
  let ngo: SocketWatcher;
  let court: SocketWatcher;
  let subscriber: SubscriptionWatcher;
  let witness: SubscriptionWatcher;

  const withLogs = (body: () => Promise<void>) => async () => {
    try {
      await body();
    } catch (error) {
      console.log(`faults-shutdown failed; output follows\n${d?.output()}`);
      throw error;
    }
  };
  const watchers = () =>
    [police, ngo, court, subscriber, witness].map((w) => ({ name: w.name, cursors: () => w.cursors() }));
  const live = (kind: 'api' | 'gateway') =>
    [1, 2]
      .map((n) => `${kind}${n}`)
      .filter((name) => d!.alive(name))
      .map((name) => ({ name, url: d!.url(name) }));

  /** SIGTERM; resolves with how and when it exited. */
  function terminate(name: string): { sentAt: number; exited: Promise<Exit> } {
    const child = d!.get(name).child;
    const sentAt = Date.now();
    const exited = new Promise<Exit>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal, afterMs: Date.now() - sentAt })),
    );
    child.kill('SIGTERM');
    return { sentAt, exited };
  }

  /** Waits until the process has taken the signal in: a fresh connection is no longer served. */
  async function refusing(url: string): Promise<{ result: string; tookMs: number }> {
    let result = '';
    const tookMs = await waitUntil(
      async () => !(result = await accepts(url)).startsWith('answered'),
      'the server to stop accepting',
      { timeoutMs: 5_000, everyMs: 25, state: () => `still accepting: ${result}` },
    );
    return { result, tookMs };
  }

  beforeAll(async () => {
    const t0 = Date.now();
    d = await Deployment.create({
      apps: ['api', 'api', 'gateway', 'gateway'],
      redis: true,
      env: { SHUTDOWN_GRACE_MS: String(GRACE_MS) },
    });
    coordinator = await d.signIn('anitp.buc@demo.local');
    taskForceId = await d.taskForceId('BUC', coordinator);
    const emails = ['police.buc', 'ngo.buc', 'court.buc', 'prosecutor.buc', 'labour.buc'];
    const [t1, t2, t3, t4, t5] = await Promise.all(emails.map((e) => d!.signIn(`${e}@demo.local`, 'api1')));
    police = new SocketWatcher('socket police (gateway 2 → 1)', t1, taskForceId);
    ngo = new SocketWatcher('socket ngo (gateway 2 → 1)', t2, taskForceId);
    court = new SocketWatcher('socket court (gateway 1)', t3, taskForceId);
    subscriber = new SubscriptionWatcher('graphql-ws prosecutor (api 2 → 1)', t4, taskForceId);
    witness = new SubscriptionWatcher('graphql-ws labour (api 1)', t5, taskForceId);
    base = await court.join(d.url('gateway1'));
    await police.join(d.url('gateway2'), base);
    await ngo.join(d.url('gateway2'), base);
    subscriber.attach(d.url('api2'), base);
    witness.attach(d.url('api1'), base);
    writers.push(
      new Writer('shutdown writer 1', () => live('api'), coordinator, taskForceId, 80).start(),
      new Writer('shutdown writer 2', () => live('api').reverse(), coordinator, taskForceId, 80).start(),
    );
    await waitUntil(() => watchers().every((w) => w.cursors().length >= 5), 'every watcher to see 5 events', {
      timeoutMs: 20_000,
      state: () =>
        watchers()
          .map((w) => `${w.name}: ${summary(w.cursors())}`)
          .join('; '),
    });
    console.log(
      `faults-shutdown setup: 2 api + 2 gateway (SHUTDOWN_GRACE_MS=${GRACE_MS}), steady writers; ${Date.now() - t0} ms`,
    );
  });

  afterAll(async () => {
    await Promise.all(writers.map((w) => w.stop()));
    for (const s of [police, ngo, court]) s?.close();
    await Promise.all([subscriber, witness].map((s) => s?.close().catch(() => undefined)));
    await d?.dispose();
  });

  it(
    'gateway: readiness 503 draining, no new connections, in-flight request answered, sockets told server.shutdown then disconnected; they move to the other gateway and catch up; exit 0',
    withLogs(async () => {
      const url = d!.url('gateway2');
      // Two requests already on open connections: one with its headers unfinished, one with its body unfinished.
      const probe = await SplitRequest.get(url, '/health/ready');
      const held = await SplitRequest.post(url, '/graphql', { query: '{ __typename }' });
      const lastBefore = [police.last()!, ngo.last()!];
      // The server must have read the held requests' first bytes before the signal, or they are not in flight
      // yet (Node closes a connection whose request has not started, as idle, when the server closes).
      await sleep(500);
      const { sentAt, exited } = terminate('gateway2');

      const refused = await refusing(url);
      probe.finish();
      const ready = await probe.answered;
      held.finish();
      const heldAnswer = await held.answered;
      const exit = await exited;
      const output = d!.get('gateway2').output();
      const drainedLine = output.split('\n').find((line) => /drain/i.test(line) && /SIGTERM/.test(line));

      // The sockets: the notice first, then the server's disconnect.
      const movers = [police, ngo];
      const notices = movers.map((s) => s.notices.find((n) => n.event === 'server.shutdown' && n.at >= sentAt));
      const disconnects = movers.map((s) => s.disconnects.find((x) => x.at >= sentAt));
      const lastSeen = movers.map((s) => s.last()!);
      for (const s of movers) await s.moveTo(d!.url('gateway1'), base);
      await sleep(1_000);
      const stable = await d!.lastCursor(taskForceId);
      const caughtUp = await everyoneReaches(stable, 15_000, watchers());

      console.log(
        `faults-shutdown gateway: fresh connection after SIGTERM: ${refused.result} (${refused.tookMs} ms); readiness on an open connection: ${'status' in ready ? `${ready.status} ${ready.body}` : ready.error}; ` +
          `request in flight: ${'status' in heldAnswer ? heldAnswer.status : heldAnswer.error}; ` +
          `server.shutdown ${notices.map((n) => (n ? `${n.at - sentAt} ms ${JSON.stringify(n.payload)}` : 'never')).join(' / ')}; ` +
          `disconnect ${disconnects.map((x) => (x ? `${x.reason} at ${x.at - sentAt} ms` : 'never')).join(' / ')}; ` +
          `exit ${JSON.stringify(exit)}; log line: ${drainedLine}; last cursors before ${lastBefore}, at the move ${lastSeen}; ` +
          `rejoined gateway 1: ${movers.map((s) => `replayed ${s.joins.at(-1)!.replayed}`).join(', ')}; everyone at ${stable} within ${caughtUp} ms`,
      );

      // (2) no new connection, (1) readiness says draining, (3) the in-flight request got its answer (a 404: no GraphQL on a gateway).
      expect(refused.result).not.toMatch(/^answered/);
      expect(ready).toMatchObject({ status: 503 });
      expect(JSON.parse((ready as { body: string }).body)).toMatchObject({ status: 'draining' });
      expect(heldAnswer).toMatchObject({ status: expect.any(Number) });
      // (4) server.shutdown { reconnect: true, message } before the server's disconnect.
      for (let i = 0; i < movers.length; i++) {
        expect(notices[i]?.payload).toEqual({ reconnect: true, message: expect.stringMatching(/\w+ \w+ \w+/) });
        expect(disconnects[i]?.reason).toBe('io server disconnect');
        expect(notices[i]!.at).toBeLessThanOrEqual(disconnects[i]!.at);
      }
      // (7) exit 0 within the grace period and a little, saying it drained.
      expect(exit).toMatchObject({ code: 0, signal: null });
      expect(exit.afterMs).toBeLessThan(GRACE_MS + EXIT_SLACK_MS);
      expect(drainedLine).toBeDefined();
      // The clients moved and missed nothing.
      for (const w of watchers())
        expect({ who: w.name, cursors: w.cursors().filter((c) => c <= stable) }).toEqual({
          who: w.name,
          cursors: range(base, stable),
        });
      expect(court.disconnects).toEqual([]);
    }),
  );

  it(
    'api: readiness 503 draining, no new connections, a mutation in flight completes, graphql-ws closed 1012, outbox flushed and delivered elsewhere, exit 0; the subscriber resubscribes on the other api with after',
    withLogs(async () => {
      const url = d!.url('api2');
      const startsAt = new Date(Date.now() + 7 * 86_400_000);
      const title = 'Held across SIGTERM';
      const probe = await SplitRequest.get(url, '/health/ready');
      const held = await SplitRequest.post(
        url,
        '/graphql',
        {
          query: 'mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }',
          variables: {
            input: {
              taskForceId,
              title,
              startsAt: startsAt.toISOString(),
              endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
            },
          },
        },
        { Authorization: `Bearer ${coordinator}` },
      );
      const writerCalls = writers.map((w) => w.outcomes.length);
      // The server must have read the held requests' first bytes before the signal, or they are not in flight
      // yet (Node closes a connection whose request has not started, as idle, when the server closes).
      await sleep(500);
      const { sentAt, exited } = terminate('api2');

      const refused = await refusing(url);
      probe.finish();
      const ready = await probe.answered;
      await sleep(300); // the mutation is still in flight: the process must wait for it
      const aliveWhileHeld = d!.alive('api2');
      held.finish();
      const heldAnswer = await held.answered;
      const exit = await exited;
      // (6) read the outbox as soon as it is gone: everything committed before (and during) the drain is published.
      const unpublishedNow = async () =>
        (
          await d!.pg.query(
            'select cursor from domain_event where task_force_id = $1 and published_at is null order by cursor',
            [taskForceId],
          )
        ).rows.map((r) => Number(r.cursor));
      // api1 keeps committing (the writers use both apis) and publishes its own events within milliseconds of
      // each commit; a row api2 left behind would wait for api1's 1 s sweep. So what is unpublished at the
      // exit and still unpublished 300 ms later is api2's.
      const atExit = await unpublishedNow();
      await sleep(300);
      const later = await unpublishedNow();
      const unpublished = atExit.filter((cursor) => later.includes(cursor));
      const heldEvent = (
        await d!.pg.query(
          `select cursor, published_at from domain_event where task_force_id = $1 and type = 'meeting.scheduled' and data->>'title' = $2`,
          [taskForceId, title],
        )
      ).rows[0];
      const output = d!.get('api2').output();
      const drainedLine = output.split('\n').find((line) => /drain/i.test(line) && /SIGTERM/.test(line));
      const close = subscriber.closes.find((c) => c.at >= sentAt);
      const lastSeen = subscriber.last()!;
      await subscriber.moveTo(d!.url('api1'), base);
      await sleep(1_500);
      await Promise.all(writers.map((w) => w.stop()));
      const end = await d!.lastCursor(taskForceId);
      const caughtUp = await everyoneReaches(end, 15_000, watchers());

      const around = writers
        .flatMap((w, i) => w.outcomes.slice(Math.max(0, writerCalls[i] - 1)))
        .filter((o) => o.via === 'api2');
      console.log(
        `faults-shutdown api: fresh connection after SIGTERM: ${refused.result} (${refused.tookMs} ms); readiness on an open connection: ${'status' in ready ? `${ready.status} ${ready.body}` : ready.error}; ` +
          `mutation in flight across the signal: ${'status' in heldAnswer ? `${heldAnswer.status} ${heldAnswer.body}` : heldAnswer.error} (process alive while it was held: ${aliveWhileHeld}); ` +
          `its event ${JSON.stringify(heldEvent)}; unpublished right after the exit: [${unpublished}]; graphql-ws close ${close ? `${close.code} "${close.reason}" at ${close.at - sentAt} ms` : 'never'}; ` +
          `exit ${JSON.stringify(exit)}; log line: ${drainedLine}; writers' calls to api 2 around the signal: ${around.map((o) => (o.ok ? 'ok' : (o.transport ?? o.error?.extensions?.code))).join(', ')}; ` +
          `resubscribed after ${lastSeen}; everyone at ${end} ${caughtUp} ms after the writers stopped; writers' calls ${stats(writers.flatMap((w) => w.outcomes).map((o) => o.doneAt - o.sentAt))}`,
      );

      expect(refused.result).not.toMatch(/^answered/);
      expect(ready).toMatchObject({ status: 503 });
      expect(JSON.parse((ready as { body: string }).body)).toMatchObject({ status: 'draining' });
      expect(aliveWhileHeld).toBe(true);
      expect(heldAnswer).toMatchObject({ status: 200 });
      expect(JSON.parse((heldAnswer as { body: string }).body)).toMatchObject({
        data: { scheduleMeeting: { id: expect.any(String) } },
      });
      expect(heldEvent?.published_at).toBeTruthy();
      expect(unpublished).toEqual([]);
      expect(close).toMatchObject({ code: 1012, reason: expect.stringMatching(/\w+ \w+ \w+/) });
      expect(exit).toMatchObject({ code: 0, signal: null });
      expect(exit.afterMs).toBeLessThan(GRACE_MS + EXIT_SLACK_MS);
      expect(drainedLine).toBeDefined();
      expect(await d!.eventCursors(taskForceId)).toEqual(range(0, end));
      for (const w of watchers())
        expect({ who: w.name, cursors: w.cursors() }).toEqual({ who: w.name, cursors: range(base, end) });
      expect(witness.closes).toEqual([]);
      expect(subscriber.attaches.map((a) => a.after)).toEqual([base, lastSeen]);
      // A request that reaches the draining api on a kept-alive connection is turned away with 503 (retryable): not an error.
      const errors = writers
        .flatMap((w) => w.outcomes)
        .filter((o) => !o.ok && o.transport === undefined && !(o.via === 'api2' && o.status === 503));
      expect(errors.map((o) => ({ title: o.title, via: o.via, error: o.error }))).toEqual([]);
    }),
  );
});
