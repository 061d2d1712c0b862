import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { HubLogger, hubPino, loggablePath, requestLogging } from './logging';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON lines, read field by field
type Line = Record<string, any>;

/** A pino on a stream that keeps the parsed lines, as the hub's would be on stdout. */
function captured(level: 'info' | 'error' = 'info') {
  const lines: Line[] = [];
  const log = hubPino(level, { write: (chunk: string) => void lines.push(JSON.parse(chunk)) });
  return { log, lines, nest: new HubLogger(log) };
}

async function until<T>(find: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const found = find();
    if (found !== undefined) return found;
    await sleep(5);
  }
  throw new Error('no such log line');
}

describe('request logging', () => {
  const { log, lines, nest } = captured();
  let server: Server;
  let base: string;
  /** What the handler does for a path: log from inside the request (after an await), fail, or wait. */
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/slow') return; // never answered: the client gives up
    await sleep(1);
    if (path === '/inside') nest.warn({ reason: 'testing' }, 'something inside', 'Spec');
    res.statusCode = path === '/missing' ? 404 : path === '/broken' ? 500 : 200;
    res.end('ok');
  };

  beforeAll(async () => {
    const middleware = requestLogging(log);
    server = createServer((req, res) => middleware(req, res, () => void handler(req, res)));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });

  const requestLine = (id: string) => until(() => lines.find((l) => l.msg && l.req && l.requestId === id));

  it('writes one line per request with its id, method, path without query, status and time, and answers the id', async () => {
    const res = await fetch(`${base}/graphql?query=%7Bsecret%7D&variables=token`, { method: 'POST' });
    const id = res.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const line = await requestLine(id);
    expect(line).toMatchObject({
      level: 30,
      service: 'task-force-hub',
      msg: 'request completed',
      req: { method: 'POST', path: '/graphql' },
      res: { statusCode: 200 },
    });
    expect(typeof line.responseTime).toBe('number');
    expect(JSON.stringify(lines)).not.toMatch(/secret|variables|token/);
  });

  it("keeps a client's well-formed X-Request-Id and replaces anything else", async () => {
    const kept = await fetch(`${base}/ok`, { headers: { 'x-request-id': 'client-trace:0001' } });
    expect(kept.headers.get('x-request-id')).toBe('client-trace:0001');
    await requestLine('client-trace:0001');
    for (const bad of ['short', 'has spaces in it', 'x'.repeat(65), 'quote"injection"here']) {
      const replaced = await fetch(`${base}/ok`, { headers: { 'x-request-id': bad } });
      expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('gives every line logged while serving the request its id, and none to lines outside a request', async () => {
    const res = await fetch(`${base}/inside`, { headers: { 'x-request-id': 'inside-request-01' } });
    await requestLine('inside-request-01');
    expect(res.status).toBe(200);
    const inside = lines.find((l) => l.msg === 'something inside');
    expect(inside).toMatchObject({ requestId: 'inside-request-01', context: 'Spec', reason: 'testing', level: 40 });
    nest.log('outside any request', 'Spec');
    expect(lines.at(-1)).toMatchObject({ msg: 'outside any request', context: 'Spec' });
    expect(lines.at(-1)).not.toHaveProperty('requestId');
  });

  it('logs 4xx answers as warnings and 5xx as errors', async () => {
    await fetch(`${base}/missing`, { headers: { 'x-request-id': 'status-404-0001' } });
    await fetch(`${base}/broken`, { headers: { 'x-request-id': 'status-500-0001' } });
    expect(await requestLine('status-404-0001')).toMatchObject({ level: 40, res: { statusCode: 404 } });
    expect(await requestLine('status-500-0001')).toMatchObject({ level: 50, res: { statusCode: 500 } });
  });

  it("hides the calendar feed's token and writes no line for probes, scrapes and static files", async () => {
    await fetch(`${base}/calendar/s3cr3t-feed-token.ics`, { headers: { 'x-request-id': 'calendar-feed-01' } });
    expect((await requestLine('calendar-feed-01')).req.path).toBe('/calendar/[token]');
    for (const quiet of ['/health/ready', '/metrics', '/assets/app.js']) {
      const res = await fetch(`${base}${quiet}`, { headers: { 'x-request-id': 'quiet-path-0001' } });
      expect(res.headers.get('x-request-id')).toBe('quiet-path-0001');
    }
    await fetch(`${base}/ok`, { headers: { 'x-request-id': 'after-quiet-01' } });
    await requestLine('after-quiet-01');
    expect(lines.filter((l) => l.requestId === 'quiet-path-0001')).toEqual([]);
    expect(JSON.stringify(lines)).not.toContain('s3cr3t');
  });

  it('says so when the client went away before the answer', async () => {
    await new Promise<void>((done) => {
      const req = httpRequest(`${base}/slow`, { headers: { 'x-request-id': 'gone-client-01' } });
      req.on('error', () => done());
      req.end();
      setTimeout(() => {
        req.destroy();
        done();
      }, 50);
    });
    expect(await requestLine('gone-client-01')).toMatchObject({ msg: 'request aborted', aborted: true });
  });
});

describe('loggablePath', () => {
  it.each([
    ['/graphql?query=%7Bsecret%7D', '/graphql'],
    ['/calendar/feed-token.ics', '/calendar/[token]'],
    ['/CALENDAR/feed-token.ics?x=1', '/calendar/[token]'],
    ['//calendar/feed-token.ics', '//calendar/[token]'],
    ['http://hub.example/Calendar/feed-token.ics', '/calendar/[token]'],
    ['/t/meeting-link', '/t/meeting-link'],
    ['/calendar', '/calendar'],
  ])('logs %s as %s', (url, logged) => {
    expect(loggablePath(url)).toBe(logged);
  });
});

describe('HubLogger', () => {
  it("merges an object message into the line, with the next argument as its text and Nest's context last", () => {
    const { lines, nest } = captured();
    nest.warn({ reason: 'wrong-password', memberId: 'm-1' }, 'sign-in refused', 'Auth');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        context: 'Auth',
        reason: 'wrong-password',
        memberId: 'm-1',
        msg: 'sign-in refused',
      }),
    ]);
  });

  it("logs an error's type and message, never its stack", () => {
    const { lines, nest } = captured();
    const error = new TypeError('boom');
    nest.error(error, 'Spec');
    // Nest's exception handlers: error(message, stack, context).
    nest.error('handler failed', error.stack, 'ExceptionsHandler');
    expect(lines[0]).toMatchObject({ level: 50, context: 'Spec', err: { type: 'TypeError', message: 'boom' } });
    expect(lines[1]).toMatchObject({ level: 50, context: 'ExceptionsHandler', msg: 'handler failed' });
    expect(JSON.stringify(lines)).not.toContain('logging.spec');
  });

  it("drops Nest's start-up chatter and what is below the level", () => {
    const { lines, nest } = captured('error');
    nest.log('Mapped {/graphql, POST} route', 'RouterExplorer');
    nest.warn('below the level', 'Spec');
    nest.debug('below the level', 'Spec');
    nest.fatal('above it', 'Spec');
    expect(lines.map((l) => l.msg)).toEqual(['above it']);
    const info = captured('info');
    info.nest.log('Nest application successfully started', 'NestApplication');
    info.nest.log('kept', 'Spec');
    expect(info.lines.map((l) => l.msg)).toEqual(['kept']);
  });
});
