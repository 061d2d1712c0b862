import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CREATE_ITEM } from '../factories/action-items.factory';
import {
  CREATE_API_KEY,
  CREATE_SERVICE_ACCOUNT,
  DISABLE_SERVICE_ACCOUNT,
  REVOKE_API_KEY,
} from '../factories/service-accounts.factory';
import { GraphQLClient } from '../utils/graphql-client';
import { ROOT } from '../utils/process';
import { connectSocket, type HubClientSocket } from '../utils/socket-client';
import { type LiveEvent, subscribe, subscriptionClient } from '../utils/subscription-client';
import { waitUntil } from '../utils/wait';
import { Deployment } from './faults-support';

/**
 * A service account's live connections on two api processes and a gateway, sharing PostgreSQL and a
 * Redis of the suite's own: revoking its key (or disabling it) on one instance closes them on every
 * instance within seconds. The example client in examples/ runs here against the built api.
 */

const EVENTS = 'subscription($tf: ID!, $after: Int) { taskForceEvents(taskForceId: $tf, after: $after) { cursor } }';
/** The design's "within seconds". */
const WITHIN_MS = 5_000;

describe('service accounts across instances', () => {
  let d: Deployment;
  let api1: GraphQLClient;
  let api2: GraphQLClient;
  let coordinator: string;
  let taskForceId: string;
  let ngoAgencyId: string;
  const cleanup: (() => unknown)[] = [];

  beforeAll(async () => {
    d = await Deployment.create({ apps: ['api', 'api', 'gateway'], redis: true, env: { LOGIN_RATE_LIMIT: '1000' } });
    api1 = new GraphQLClient(`${d.url('api1')}/graphql`);
    api2 = new GraphQLClient(`${d.url('api2')}/graphql`);
    coordinator = await d.signIn('anitp.buc@demo.local', 'api1');
    taskForceId = await d.taskForceId('BUC', coordinator, 'api1');
    const { agencies } = await api1.data('{ agencies { id kind } }', {}, { token: coordinator });
    ngoAgencyId = agencies.find((a: { kind: string }) => a.kind === 'VICTIM_SUPPORT_NGO').id;
  }, 180_000);

  afterAll(async () => {
    for (const dispose of cleanup) await dispose();
    await d?.dispose();
  }, 60_000);

  async function accountWithKey(): Promise<{ accountId: string; keyId: string; secret: string }> {
    const { createServiceAccount } = await api1.data(
      CREATE_SERVICE_ACCOUNT,
      { input: { taskForceId, agencyId: ngoAgencyId, name: 'Shelter case system' } },
      { token: coordinator },
    );
    const { createApiKey } = await api1.data(CREATE_API_KEY, { id: createServiceAccount.id }, { token: coordinator });
    return { accountId: createServiceAccount.id, keyId: createApiKey.key.id, secret: createApiKey.secret };
  }

  const createItem = (title: string) =>
    api1.data(
      CREATE_ITEM,
      { input: { taskForceId, title, dueOn: '2030-01-15', assignee: { agencyId: ngoAgencyId } } },
      { token: coordinator },
    );

  /** graphql-ws on both apis and Socket.IO on the gateway, each shown live by one event. */
  async function connectEverywhere(secret: string) {
    const closes: Record<string, number[]> = { api1: [], api2: [] };
    const after = await d.lastCursor(taskForceId);
    const subscriptions = (['api1', 'api2'] as const).map((name) => {
      const client = subscriptionClient(d.url(name), secret, (code) => closes[name].push(code));
      cleanup.push(() => client.dispose());
      return subscribe<LiveEvent>(client, EVENTS, { tf: taskForceId, after }, 'taskForceEvents');
    });
    const socket: HubClientSocket = await connectSocket(d.url('gateway1'), secret);
    cleanup.push(() => socket.close());
    const ended: unknown[] = [];
    socket.on('session.ended', (notice) => ended.push(notice));
    expect(await socket.emitWithAck('room.join', { taskForceId, after })).toMatchObject({ ok: true });
    const pushed: number[] = [];
    socket.on('actionItem.created', (envelope) => pushed.push(envelope.cursor));
    await createItem('Live check');
    await Promise.all(subscriptions.map((s) => s.waitFor(1, 10_000)));
    await waitUntil(() => pushed.length > 0, 'the socket to get the event');
    return { closes, socket, ended };
  }

  async function closedEverywhere(live: Awaited<ReturnType<typeof connectEverywhere>>, label: string) {
    const since = Date.now();
    await waitUntil(
      () => live.closes.api1.length > 0 && live.closes.api2.length > 0 && !live.socket.connected,
      `every connection to close after ${label}`,
      { timeoutMs: WITHIN_MS, everyMs: 10, state: () => ({ ...live.closes, socket: live.socket.connected }) },
    );
    console.log(`service accounts: ${label} closed graphql-ws on two apis and Socket.IO in ${Date.now() - since} ms`);
    expect(live.closes).toEqual({ api1: [4403], api2: [4403] });
    expect(live.ended).toEqual([expect.objectContaining({ code: 'UNAUTHENTICATED' })]);
  }

  it('revoking a key on api 2 closes its connections on api 1, api 2 and the gateway within seconds', async () => {
    const { keyId, secret } = await accountWithKey();
    const live = await connectEverywhere(secret);
    await api2.data(REVOKE_API_KEY, { id: keyId }, { token: coordinator });
    await closedEverywhere(live, 'revoking the key on api 2');
    expect((await api1.error('{ me { id } }', {}, { token: secret })).extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('disabling the account on api 1 does the same', async () => {
    const { accountId, secret } = await accountWithKey();
    const live = await connectEverywhere(secret);
    await api1.data(DISABLE_SERVICE_ACCOUNT, { id: accountId }, { token: coordinator });
    await closedEverywhere(live, 'disabling the account on api 1');
  });

  it('the example client prints typed events from a cursor', async () => {
    const { secret } = await accountWithKey();
    const after = await d.lastCursor(taskForceId);
    await createItem('First for the example');
    await createItem('Second for the example');
    const output = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, 'examples', 'typed-events.mjs')], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          HUB_URL: d.url('api2'),
          HUB_API_KEY: secret,
          TASK_FORCE_ID: taskForceId,
          AFTER: String(after),
          COUNT: '2',
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
    expect(output.stderr).toBe('');
    expect(output.code).toBe(0);
    const lines = output.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    lines.forEach((line, i) => {
      const [cursor, type, ...payload] = line.split(' ');
      expect(Number(cursor)).toBe(after + 1 + i);
      expect(type).toBe('actionItem.created');
      expect(JSON.parse(payload.join(' '))).toMatchObject({
        __typename: 'ActionItemCreatedEvent',
        title: i === 0 ? 'First for the example' : 'Second for the example',
        status: 'OPEN',
      });
    });
  });
});
