import { AgencyKind, TaskForceRole } from '@hub/access';
import { LiveFactory } from '../factories/live.factory';
import { scratchDatabase, type ScratchDatabase } from '../utils/database';
import { metricSample } from '../utils/metrics-scrape';
import { promtool } from '../utils/promtool';
import { redisServer, type RedisServer } from '../utils/redis-server';
import { startTestApp, type TestApp } from '../utils/test-app';
import { waitUntil } from '../utils/wait';

const sample = metricSample;

async function scrape(app: TestApp, token?: string): Promise<string> {
  const response = await fetch(`${app.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return response.text();
}

describe('observability: /metrics, request ids', () => {
  let app: TestApp;
  let live: LiveFactory;

  beforeAll(async () => {
    app = await startTestApp();
    live = new LiveFactory(app);
  });
  afterAll(async () => {
    live.closeAll();
    await app.close();
  });

  it('counts what happens: requests, root fields, sockets, events published and delivered, catch-ups, refusals, outbox lag', async () => {
    const taskForce = await live.identity.taskForce();
    const coordinator = await live.person(taskForce, TaskForceRole.COORDINATOR, AgencyKind.NATIONAL_AGENCY);
    const before = await scrape(app);

    const client = await live.connect(coordinator.token);
    await client.joined({ taskForceId: taskForce.id });
    const meeting = await live.scheduleMeeting(coordinator.token, taskForce.id);
    await client.waitForEvent(
      'meeting.scheduled',
      (e) => e.data?.meetingId === meeting.id || e.data?.id === meeting.id,
    );
    const rejoin = await live.connect(coordinator.token);
    await rejoin.joined({ taskForceId: taskForce.id, after: 0 });
    await app.gql.request('{ me { email } }'); // no token: refused
    const during = await scrape(app);

    expect(sample(during, 'hub_sockets_connected', { transport: 'socket.io' })).toBe(
      sample(before, 'hub_sockets_connected', { transport: 'socket.io' }) + 2,
    );
    expect(sample(during, 'hub_events_published_total')).toBeGreaterThan(sample(before, 'hub_events_published_total'));
    // One live delivery to the first socket, one replayed to the second.
    expect(sample(during, 'hub_events_delivered_total', { transport: 'socket.io' })).toBeGreaterThanOrEqual(
      sample(before, 'hub_events_delivered_total', { transport: 'socket.io' }) + 2,
    );
    expect(sample(during, 'hub_catchups_served_total', { transport: 'socket.io' })).toBe(
      sample(before, 'hub_catchups_served_total', { transport: 'socket.io' }) + 1,
    );
    expect(sample(during, 'hub_rejected_requests_total', { reason: 'unauthenticated' })).toBe(
      sample(before, 'hub_rejected_requests_total', { reason: 'unauthenticated' }) + 1,
    );
    expect(
      sample(during, 'hub_graphql_resolver_duration_seconds_count', {
        type: 'mutation',
        field: 'scheduleMeeting',
        outcome: 'ok',
      }),
    ).toBe(
      sample(before, 'hub_graphql_resolver_duration_seconds_count', {
        type: 'mutation',
        field: 'scheduleMeeting',
        outcome: 'ok',
      }) + 1,
    );
    expect(
      sample(during, 'hub_http_request_duration_seconds_count', { method: 'POST', route: '/graphql', status: '200' }),
    ).toBeGreaterThan(0);
    expect(during).toMatch(/^hub_outbox_lag_seconds \d/m);
    expect(sample(during, 'hub_outbox_pending_events')).toBe(0);
    expect(during).toMatch(/^hub_process_resident_memory_bytes /m);

    client.close();
    rejoin.close();
    await waitUntil(
      async () =>
        sample(await scrape(app), 'hub_sockets_connected', { transport: 'socket.io' }) ===
        sample(before, 'hub_sockets_connected', { transport: 'socket.io' }),
      'the gauge to come back down',
    );
  });

  it('labels a failed root field outcome="error", a served one "ok"', async () => {
    const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }';
    const member = await live.identity.member();
    const count = (text: string, outcome: string) =>
      sample(text, 'hub_graphql_resolver_duration_seconds_count', { type: 'mutation', field: 'login', outcome });
    const before = await scrape(app);
    for (let i = 0; i < 4; i++)
      expect(
        (await app.gql.request(LOGIN, { e: member.email, p: 'not the password at all' })).errors?.[0],
      ).toBeDefined();
    await app.gql.data(LOGIN, { e: member.email, p: 'correct horse battery staple' });
    const after = await scrape(app);
    expect(count(after, 'error')).toBe(count(before, 'error') + 4);
    expect(count(after, 'ok')).toBe(count(before, 'ok') + 1);
  });

  it('passes promtool check metrics, and says what runs and how the database and its pool are', async () => {
    const taskForce = await live.identity.taskForce();
    const coordinator = await live.person(taskForce, TaskForceRole.COORDINATOR, AgencyKind.NATIONAL_AGENCY);
    await live.scheduleMeeting(coordinator.token, taskForce.id); // histograms and counters with labels in use
    const text = await scrape(app);
    expect(promtool(['check', 'metrics'], text)).toEqual({ code: 0, output: '' });
    expect(text).toMatch(
      new RegExp(
        `^hub_build_info\\{version="\\d+\\.\\d+\\.\\d+",node="${process.version}",deployable="hub"\\} 1$`,
        'm',
      ),
    );
    expect(sample(text, 'hub_database_up')).toBe(1);
    for (const state of ['used', 'idle', 'pending'])
      expect(text).toMatch(new RegExp(`^hub_database_pool_connections\\{state="${state}"\\} \\d+$`, 'm'));
    expect(text).toMatch(/^hub_relay_round_duration_seconds_count \d+$/m);
    expect(text).toMatch(/^hub_relay_failures_total 0$/m);
    expect(text).toMatch(/^hub_live_recheck_duration_seconds_count \d+$/m);
    expect(text).toMatch(/^hub_live_recheck_cpu_seconds_count \d+$/m);
    expect(text).toMatch(/^hub_live_recheck_cpu_seconds_bucket\{le="0.1"\} \d+$/m);
    // Without REDIS_URL there is no Redis to report on.
    expect(text).not.toMatch(/^hub_redis_up/m);
  });

  it('never puts an id, an e-mail or a token in a label', async () => {
    const text = await scrape(app);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    expect(text).not.toMatch(/@test\.local|Bearer|eyJ/);
  });

  it('gives every response a request id, and keeps a well-formed one the client sent', async () => {
    const own = await fetch(`${app.url}/health/live`, { headers: { 'x-request-id': 'client-trace-0001' } });
    expect(own.headers.get('x-request-id')).toBe('client-trace-0001');
    const generated = await fetch(`${app.url}/health/live`, {
      headers: { 'x-request-id': 'bad id with spaces and <html>' },
    });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('observability: METRICS_TOKEN', () => {
  const token = 'metrics-token-for-the-test-0123';
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ METRICS_TOKEN: token });
  });
  afterAll(() => app.close());

  it('refuses a scrape without the token, or with another, and answers with it', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer wrong-token-wrong-token-0000' },
      { authorization: token },
    ] as Record<string, string>[]) {
      const response = await fetch(`${app.url}/metrics`, { headers });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({
        code: 'UNAUTHENTICATED',
        message: expect.stringContaining('METRICS_TOKEN'),
      });
    }
    expect(await scrape(app, token)).toMatch(/hub_rejected_requests_total\{reason="metrics_unauthenticated"\} 3/);
  });
});

describe('observability: /metrics in production', () => {
  it('is closed without METRICS_TOKEN, saying what to set', async () => {
    const app = await startTestApp({ NODE_ENV: 'production' });
    try {
      const response = await fetch(`${app.url}/metrics`);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({
        code: 'UNAUTHENTICATED',
        message: expect.stringContaining('METRICS_TOKEN'),
      });
    } finally {
      await app.close();
    }
  });
});

describe('rate limits shared by two instances through Redis', () => {
  let db: ScratchDatabase;
  let redis: RedisServer;
  let one: TestApp;
  let two: TestApp;

  beforeAll(async () => {
    db = await scratchDatabase();
    // A Redis of this suite's own: the counters (per address, too) must not meet other suites' or earlier runs'.
    redis = await redisServer();
    // A long window, so the test never straddles two windows.
    const env = {
      REDIS_URL: redis.url,
      MUTATION_RATE_LIMIT: '4',
      MUTATION_RATE_WINDOW_SECONDS: '3600',
      LOGIN_RATE_LIMIT: '3',
      LOGIN_RATE_WINDOW_SECONDS: '3600',
      TRUST_PROXY: '1',
    };
    one = await startTestApp(env, db);
    two = await startTestApp({ ...env, MIGRATE_ON_START: 'false' }, db);
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
    await db?.drop();
    await redis?.dispose();
  });

  it('refuses the fifth change in the window wherever it lands, says when to retry, writes nothing, and leaves other members and reads alone', async () => {
    const live = new LiveFactory(one);
    const taskForce = await live.identity.taskForce();
    const busy = await live.person(taskForce, TaskForceRole.COORDINATOR, AgencyKind.NATIONAL_AGENCY);
    const other = await live.person(taskForce, TaskForceRole.COORDINATOR, AgencyKind.POLICE);
    const CHECK_IN = 'mutation($id: ID!) { checkIn(meetingId: $id, mode: IN_PERSON) { id } }';
    const CHECK_OUT = 'mutation($id: ID!) { checkOut(meetingId: $id) { id } }';
    const meeting = await live.scheduleMeeting(busy.token, taskForce.id); // 1 (on one)
    await two.gql.data(CHECK_IN, { id: meeting.id }, { token: busy.token }); // 2
    await one.gql.data(CHECK_OUT, { id: meeting.id }, { token: busy.token }); // 3
    await two.gql.data(CHECK_IN, { id: meeting.id }, { token: busy.token }); // 4
    const meetingsBefore = await one.em().getConnection().execute('select count(*) as n from meeting');

    const refused = await one.gql.request(
      'mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }',
      {
        input: {
          taskForceId: taskForce.id,
          title: 'One too many',
          startsAt: new Date(Date.now() + 86_400_000).toISOString(),
          endsAt: new Date(Date.now() + 90_000_000).toISOString(),
        },
      },
      { token: busy.token },
    );
    expect(refused.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/too many changes.*wait \d+ seconds/i),
      extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) },
    });
    expect(await one.em().getConnection().execute('select count(*) as n from meeting')).toEqual(meetingsBefore);
    const onTwo = await two.gql.request(CHECK_OUT, { id: meeting.id }, { token: busy.token });
    expect(onTwo.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');

    expect((await two.gql.data('{ me { id } }', {}, { token: busy.token })).me.id).toBe(busy.member.id);
    expect((await two.gql.data(CHECK_IN, { id: meeting.id }, { token: other.token })).checkIn.id).toBeDefined();
  });

  it('reports Redis as connected in /metrics', async () => {
    const text = await scrape(one);
    expect(sample(text, 'hub_redis_up')).toBe(1);
    expect(promtool(['check', 'metrics'], text)).toEqual({ code: 0, output: '' });
  });

  it('counts sign-in attempts for one account on both instances together', async () => {
    // Addresses are per request here (TRUST_PROXY=1 and X-Forwarded-For), so only the account counter decides.
    const member = await new LiveFactory(one).identity.member();
    let address = 10;
    const from = () => ({ headers: { 'x-forwarded-for': `203.0.113.${address++}` } });
    const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }';
    const codes: unknown[] = [];
    for (const app of [one, two, one, two])
      codes.push(
        (await app.gql.request(LOGIN, { e: member.email, p: 'not the password at all' }, from())).errors?.[0]
          ?.extensions?.code,
      );
    expect(codes).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED']);
    // Blocked on the other instance too, even with the right password.
    const right = await one.gql.request(LOGIN, { e: member.email, p: 'correct horse battery staple' }, from());
    expect(right.errors?.[0]?.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: expect.any(Number),
    });
  });
});
