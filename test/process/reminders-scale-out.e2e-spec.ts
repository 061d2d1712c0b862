import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client as WsClient } from 'graphql-ws';
import { addWorkingDays, bucharestInstant, localDateOf } from '@hub/core';
import { scratchDatabase, type ScratchDatabase } from '../utils/database';
import { GraphQLClient } from '../utils/graphql-client';
import { run, type Running, start } from '../utils/process';
import { redisServer, type RedisServer } from '../utils/redis-server';
import { connectSocket, type HubClientSocket } from '../utils/socket-client';
import { subscribe, type Subscribed, subscriptionClient } from '../utils/subscription-client';
import { sleep, waitUntil } from '../utils/wait';

/**
 * Reminder steps on two hub processes sharing PostgreSQL and this suite's own Redis, both sweeping
 * every second. The test moves both clocks at once (HUB_CLOCK_OFFSET_FILE) through every step of one
 * item; each notification must arrive exactly once live (a socket on one instance, a graphql-ws
 * subscription on the other) and in the inbox, and nothing again after both instances restart.
 */

const SECRET = 'reminders-test-secret-reminders-test-secret-42';
const PASSWORD = 'demo-password-1234';
const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }';
const INBOX = '{ notifications(first: 200) { nodes { id kind subjectId } } unreadNotificationCount }';
const LIVE = 'subscription($after: Int) { myNotifications(after: $after) { type cursor data } }';
/** Longer than two sweeps and the streams' poll: a second copy would show up within it. */
const SETTLE_MS = 3_000;

interface Seen {
  id: number;
  kind: string;
  subjectId: string;
}

describe('reminders on two instances: each step exactly once, live and in the inbox, across restarts', () => {
  let redis: RedisServer | undefined;
  let db: ScratchDatabase | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-reminders-'));
  const offsetFile = join(dataDir, 'clock-offset-ms');
  let env: Record<string, string>;
  let hubs: (Running | undefined)[] = [];
  const sockets: HubClientSocket[] = [];
  const clients: WsClient[] = [];
  let ngo: string;
  let coordinator: string;
  let itemId: string;
  /** What the NGO member's socket (hub 1) and subscription (hub 2) and the coordinator's socket got, for the item. */
  const ngoSocket: Seen[] = [];
  const coordinatorSocket: Seen[] = [];
  let ngoLive: Subscribed<{ type: string; cursor: number; data: string }>;

  const output = () => hubs.map((h, i) => `----- hub ${i + 1} -----\n${h?.output() ?? ''}`).join('\n');
  const withLogs = (body: () => Promise<void>) => async () => {
    try {
      await body();
    } catch (error) {
      console.log(`reminders failed; process output follows\n${output()}`);
      throw error;
    }
  };

  /** Both instances' clocks read this file: they now say `day` at 10:00 in Bucharest. */
  function setDay(day: string): void {
    writeFileSync(offsetFile, String(bucharestInstant(day, '10:00').getTime() - Date.now()));
  }

  async function signIn(url: string, email: string): Promise<string> {
    const { login } = await new GraphQLClient(`${url}/graphql`).data(LOGIN, { e: email, p: PASSWORD });
    return login.accessToken;
  }

  async function inbox(url: string, token: string): Promise<string[]> {
    const { notifications } = await new GraphQLClient(`${url}/graphql`).data(INBOX, {}, { token });
    return (notifications.nodes as Seen[])
      .filter((n) => n.subjectId === itemId)
      .map((n) => n.kind)
      .sort();
  }

  async function listen(): Promise<void> {
    const track = (socket: HubClientSocket, into: Seen[]) =>
      socket.on('notification.created', (envelope) => into.push(envelope.data));
    const a = await connectSocket(hubs[0]!.url, ngo);
    const b = await connectSocket(hubs[1]!.url, coordinator);
    sockets.push(a, b);
    track(a, ngoSocket);
    track(b, coordinatorSocket);
    const client = subscriptionClient(hubs[1]!.url, ngo);
    clients.push(client);
    ngoLive = subscribe(client, LIVE, {}, 'myNotifications');
    await sleep(300);
  }

  const liveKinds = () =>
    ngoLive.received
      .map((e) => JSON.parse(e.data) as Seen)
      .filter((n) => n.subjectId === itemId)
      .map((n) => n.kind)
      .sort();
  const kinds = (seen: Seen[]) =>
    seen
      .filter((n) => n.subjectId === itemId)
      .map((n) => n.kind)
      .sort();

  /** Waits until every witness has exactly what it should, then a while longer, and checks again. */
  async function expectExactly(ngoKinds: string[], coordinatorKinds: string[]): Promise<void> {
    const want = { ngo: [...ngoKinds].sort(), coordinator: [...coordinatorKinds].sort() };
    const state = () => ({
      ngoSocket: kinds(ngoSocket),
      ngoLive: liveKinds(),
      coordinatorSocket: kinds(coordinatorSocket),
    });
    await waitUntil(
      () =>
        JSON.stringify(state()) ===
        JSON.stringify({ ngoSocket: want.ngo, ngoLive: want.ngo, coordinatorSocket: want.coordinator }),
      'each notification live once',
      { timeoutMs: 10_000, everyMs: 50, state },
    );
    await sleep(SETTLE_MS);
    expect(state()).toEqual({ ngoSocket: want.ngo, ngoLive: want.ngo, coordinatorSocket: want.coordinator });
    // The inbox says the same on either instance.
    expect(await inbox(hubs[0]!.url, ngo)).toEqual(want.ngo);
    expect(await inbox(hubs[1]!.url, coordinator)).toEqual(want.coordinator);
  }

  beforeAll(async () => {
    redis = await redisServer();
    db = await scratchDatabase('postgres');
    writeFileSync(offsetFile, '0');
    env = {
      JWT_SECRET: SECRET,
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      DATA_DIR: dataDir,
      DEMO_PASSWORD: PASSWORD,
      HUB_CLOCK_OFFSET_FILE: offsetFile,
      REMINDER_SWEEP_SECONDS: '1',
    };
    const migrated = await run('cli', ['migrate'], env);
    if (migrated.code !== 0) throw new Error(`cli migrate failed:\n${migrated.stdout}\n${migrated.stderr}`);
    const seeded = await run('cli', ['seed'], env);
    if (seeded.code !== 0) throw new Error(`cli seed failed:\n${seeded.stdout}\n${seeded.stderr}`);
    hubs = await Promise.all([start('hub', env), start('hub', env)]);
    for (const hub of hubs) expect(hub!.output()).toContain('events: Redis');
    [ngo, coordinator] = await Promise.all(
      ['ngo.buc@demo.local', 'anitp.buc@demo.local'].map((email) => signIn(hubs[0]!.url, email)),
    );
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await Promise.all(clients.map((c) => c.dispose()));
    await Promise.all(hubs.map((h) => h?.stop().catch(() => undefined)));
    await redis?.dispose().catch(() => undefined);
    await db?.drop().catch((error) => console.warn(`could not drop the scratch database: ${error.message}`));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'moves the clock through every step of an agency item',
    withLogs(async () => {
      await listen();
      const gql = new GraphQLClient(`${hubs[0]!.url}/graphql`);
      const { me } = await gql.data('{ me { agency { id } } }', {}, { token: ngo });
      const { taskForces } = await gql.data('{ taskForces { id code } }', {}, { token: coordinator });
      const taskForceId = taskForces.find((t: { code: string }) => t.code === 'BUC').id;
      const today = localDateOf(new Date());
      const due = addWorkingDays(today, 5);
      const { createActionItem } = await gql.data(
        'mutation($i: CreateActionItemInput!) { createActionItem(input: $i) { id } }',
        {
          i: { taskForceId, title: 'REMINDER-MARKER title', dueOn: due, assignee: { agencyId: me.agency.id } },
        },
        { token: coordinator },
      );
      itemId = createActionItem.id;
      await expectExactly(['ASSIGNED'], []);

      // 2 working days later nobody of the agency has taken it, and it is due in 3 working days.
      setDay(addWorkingDays(today, 2));
      await expectExactly(['ASSIGNED', 'UNCLAIMED', 'DUE_SOON'], ['UNCLAIMED']);

      setDay(due);
      await expectExactly(['ASSIGNED', 'UNCLAIMED', 'DUE_SOON', 'DUE_TODAY'], ['UNCLAIMED']);

      setDay(addWorkingDays(due, 1));
      await expectExactly(['ASSIGNED', 'UNCLAIMED', 'DUE_SOON', 'DUE_TODAY', 'OVERDUE'], ['UNCLAIMED']);

      setDay(addWorkingDays(due, 3));
      const all = ['ASSIGNED', 'UNCLAIMED', 'DUE_SOON', 'DUE_TODAY', 'OVERDUE'];
      await expectExactly(all, ['UNCLAIMED', 'OVERDUE_ESCALATED']);

      // Both instances restart; they sweep again on a later day. Nothing fires twice.
      for (const socket of sockets.splice(0)) socket.close();
      await Promise.all(clients.splice(0).map((c) => c.dispose()));
      await Promise.all(hubs.map((h) => h!.stop()));
      setDay(addWorkingDays(due, 4));
      hubs = await Promise.all([start('hub', env), start('hub', env)]);
      [ngo, coordinator] = await Promise.all(
        ['ngo.buc@demo.local', 'anitp.buc@demo.local'].map((email) => signIn(hubs[0]!.url, email)),
      );
      ngoSocket.length = 0;
      coordinatorSocket.length = 0;
      await listen();
      await sleep(SETTLE_MS);
      expect({ ngoSocket: kinds(ngoSocket), ngoLive: liveKinds(), coordinator: kinds(coordinatorSocket) }).toEqual({
        ngoSocket: [],
        ngoLive: [],
        coordinator: [],
      });
      expect(await inbox(hubs[1]!.url, ngo)).toEqual([...all].sort());
      expect(await inbox(hubs[0]!.url, coordinator)).toEqual(['OVERDUE_ESCALATED', 'UNCLAIMED']);
      // A reconnecting client catches up from the inbox position it saw: the newest one of the item.
      const client = subscriptionClient(hubs[1]!.url, ngo);
      clients.push(client);
      const caughtUp = subscribe<{ cursor: number; data: string }>(client, LIVE, { after: 0 }, 'myNotifications');
      await waitUntil(
        () => caughtUp.received.filter((e) => (JSON.parse(e.data) as Seen).subjectId === itemId).length === all.length,
        'catch-up from the inbox',
        { timeoutMs: 10_000 },
      );
    }),
    180_000,
  );
});
