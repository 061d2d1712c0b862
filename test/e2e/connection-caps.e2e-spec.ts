import { AgencyKind, TaskForceRole } from '@hub/access';
import Redis from 'ioredis';
import WebSocket from 'ws';
import { LiveFactory } from '../factories/live.factory';
import { waitUntil } from '../utils/wait';
import { redisServer, type RedisServer } from '../utils/redis-server';
import { connectSocket } from '../utils/socket-client';
import { startTestApp, type TestApp } from '../utils/test-app';

type WsOutcome = { acked: true; ws: WebSocket } | { acked: false; code: number; reason: string };

/** A raw graphql-ws connection: acknowledged, or closed with the server's code. */
function openGraphqlWs(url: string, token: string, headers: Record<string, string> = {}): Promise<WsOutcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', { headers });
    ws.once('open', () =>
      ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })),
    );
    ws.on('message', (raw) => {
      if ((JSON.parse(String(raw)) as { type: string }).type === 'connection_ack') resolve({ acked: true, ws });
    });
    ws.once('close', (code, reason) => resolve({ acked: false, code, reason: String(reason) }));
    ws.once('error', reject);
  });
}

const refusalOf = (attempt: Promise<unknown>) =>
  attempt.then(
    () => undefined,
    (error: { data?: { code: string; message: string } }) => error.data,
  );

describe('connection caps per member and per address, Socket.IO and graphql-ws together', () => {
  let app: TestApp;
  let live: LiveFactory;

  beforeAll(async () => {
    // TRUST_PROXY=1: the address is the one nginx forwards, so each test below can be its own "network".
    app = await startTestApp({ CONNECTIONS_PER_MEMBER: '3', CONNECTIONS_PER_ADDRESS: '4', TRUST_PROXY: '1' });
    live = new LiveFactory(app);
  });
  afterAll(() => app.close());

  it("refuses a member's connection over the cap on either transport, and admits one again once another closed", async () => {
    const taskForce = await live.identity.taskForce();
    const { token } = await live.person(taskForce, TaskForceRole.MEMBER, AgencyKind.POLICE);
    const one = await connectSocket(app.url, token);
    const two = await connectSocket(app.url, token);
    const three = await openGraphqlWs(app.url, token);
    expect(three.acked).toBe(true);

    expect(await refusalOf(connectSocket(app.url, token))).toEqual({
      code: 'RATE_LIMITED',
      message: expect.stringContaining('already have 3 live connections'),
    });
    expect(await openGraphqlWs(app.url, token)).toEqual({
      acked: false,
      code: 4429,
      reason: expect.stringContaining('already have 3 live connections'),
    });
    // Another member is not affected.
    const other = await live.person(taskForce, TaskForceRole.MEMBER, AgencyKind.LABOUR_INSPECTION);
    (await connectSocket(app.url, other.token)).close();

    one.close();
    await waitUntil(async () => (await openGraphqlWs(app.url, token).then(closeIfOpen)) === true, 'a free slot');
    two.close();
    if (three.acked) three.ws.close();
  });

  it('refuses connections from one client address over its cap, whoever signs in', async () => {
    const taskForce = await live.identity.taskForce();
    const from = { 'x-forwarded-for': '198.51.100.7' };
    const people = await Promise.all(
      [AgencyKind.POLICE, AgencyKind.SOCIAL_SERVICES, AgencyKind.VICTIM_SUPPORT_NGO].map((kind) =>
        live.person(taskForce, TaskForceRole.MEMBER, kind),
      ),
    );
    const open: WebSocket[] = [];
    for (const [index, person] of [people[0], people[0], people[1], people[1]].entries()) {
      const outcome = await openGraphqlWs(app.url, person.token, from);
      expect({ index, acked: outcome.acked }).toEqual({ index, acked: true });
      if (outcome.acked) open.push(outcome.ws);
    }
    expect(await openGraphqlWs(app.url, people[2].token, from)).toMatchObject({
      acked: false,
      code: 4429,
      reason: expect.stringContaining('from your network'),
    });
    // The same member from another address is fine.
    expect(await openGraphqlWs(app.url, people[2].token, { 'x-forwarded-for': '198.51.100.8' }).then(closeIfOpen)).toBe(
      true,
    );
    for (const ws of open) ws.close();
  });
});

function closeIfOpen(outcome: WsOutcome): boolean {
  if (outcome.acked) outcome.ws.close();
  return outcome.acked;
}

describe('REDIS_KEY_PREFIX: every key and channel of the hub under its prefix', () => {
  let redis: RedisServer;
  let app: TestApp;

  beforeAll(async () => {
    redis = await redisServer();
    app = await startTestApp({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'region-b:' });
  });
  afterAll(async () => {
    await app?.close();
    await redis?.dispose();
  });

  it('publishes events, adapter requests and counters only under region-b:', async () => {
    const watcher = new Redis(redis.url);
    const channels = new Set<string>();
    watcher.on('pmessage', (_pattern, channel: string) => channels.add(channel));
    await watcher.psubscribe('*');
    try {
      const live = new LiveFactory(app);
      const taskForce = await live.identity.taskForce();
      // Sign-in (throttle counters), a mutation (the mutation counter, the event bus), a socket and presence (the adapter).
      const coordinator = await live.person(taskForce, TaskForceRole.COORDINATOR, AgencyKind.NATIONAL_AGENCY);
      const client = await live.connect(coordinator.token);
      await client.joined({ taskForceId: taskForce.id });
      await live.scheduleMeeting(coordinator.token, taskForce.id);
      await client.waitForEvent('meeting.scheduled', () => true);
      expect(await client.present({ taskForceId: taskForce.id })).toHaveLength(1);
      client.close();

      await waitUntil(async () => channels.has('region-b:events'), 'an event on the prefixed bus channel');
      const reader = new Redis(redis.url);
      const keys = await reader.keys('*');
      reader.disconnect();
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.filter((key) => !key.startsWith('region-b:'))).toEqual([]);
      expect([...channels].filter((channel) => !channel.startsWith('region-b:'))).toEqual([]);
      expect([...channels].some((channel) => channel.startsWith('region-b:socket.io'))).toBe(true);
    } finally {
      watcher.disconnect();
    }
  });
});
