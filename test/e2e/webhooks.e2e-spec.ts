import { AgencyKind, ApiScope, TaskForceRole } from '@hub/access';
import { AuditRecord } from '@hub/audit';
import { DomainEvent } from '@hub/events';
import { WebhookDispatcher, WebhookEndpoint } from '@hub/service-accounts';
import { type TaskForce } from '@hub/task-forces';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { ActionItemsFactory, COMMENT_ITEM, CREATE_CASE_SUMMARY } from '../factories/action-items.factory';
import { IdentityFactory } from '../factories/identity.factory';
import { REGISTER_WEBHOOK, ServiceAccountsFactory, WEBHOOK_DELIVERIES } from '../factories/service-accounts.factory';
import { scratchDatabase, type ScratchDatabase } from '../utils/database';
import { freePort } from '../utils/ports';
import { startTestApp, type TestApp } from '../utils/test-app';
import { waitUntil } from '../utils/wait';

/**
 * Thin webhooks from the event log, with two hub instances on one database (both dispatchers run):
 * a receiver on loopback gets every chosen event once and in cursor order, signed per Standard
 * Webhooks, with ids and never content; while it is down nothing is lost; a day of failures disables it.
 */

const { COORDINATOR } = TaskForceRole;
const MARKER = 'PLANTED-SECTION-TEXT-c41e';
const TYPES = ['actionItem.created', 'actionItem.commented', 'caseSummary.created', 'caseSummary.updated'];
const ENVELOPE_KEYS = ['actorId', 'at', 'cursor', 'ids', 'taskForceId', 'type', 'withheld'];

const ENV = {
  WEBHOOK_POLL_MS: '100',
  WEBHOOK_RETRY_BASE_MS: '100',
  WEBHOOK_RETRY_MAX_MS: '400',
};

interface Received {
  id: string;
  raw: string;
  body: { cursor: number; type: string; ids: Record<string, string> } & Record<string, unknown>;
}

/** A receiver that verifies every signature before it keeps a delivery. */
class Receiver {
  readonly received: Received[] = [];
  readonly badSignatures: string[] = [];
  private server?: Server;
  secret = '';

  constructor(readonly port: number) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        try {
          new Webhook(this.secret).verify(raw, headersOf(req.headers));
        } catch {
          this.badSignatures.push(raw);
          res.writeHead(400).end();
          return;
        }
        this.received.push({ id: String(req.headers['webhook-id']), raw, body: JSON.parse(raw) });
        res.writeHead(204).end();
      });
    });
    this.server = server;
    return new Promise((resolve) => server.listen(this.port, '127.0.0.1', () => resolve()));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server) return resolve();
      this.server.closeAllConnections();
      this.server.close(() => resolve());
      this.server = undefined;
    });
  }
}

const headersOf = (headers: IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)]));

describe('webhooks: thin, signed, once and in order', () => {
  let database: ScratchDatabase;
  let one: TestApp;
  let two: TestApp;
  let taskForce: TaskForce;
  let coordinator: string;
  let items: ActionItemsFactory;
  let accounts: ServiceAccountsFactory;
  let ngoAgencyId: string;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    database = await scratchDatabase();
    one = await startTestApp(ENV, database);
    two = await startTestApp(ENV, database);
    const identity = new IdentityFactory(one);
    items = new ActionItemsFactory(one);
    accounts = new ServiceAccountsFactory(one.gql);
    taskForce = await identity.taskForce();
    coordinator = (await identity.signedIn(taskForce, COORDINATOR, { kind: AgencyKind.ORGANISED_CRIME_PROSECUTION }))
      .token;
    ngoAgencyId = (await identity.agency(AgencyKind.VICTIM_SUPPORT_NGO)).id;
  });
  afterAll(async () => {
    for (const receiver of receivers) await receiver.stop();
    await two.close();
    await one.close();
    await database.drop();
  });

  async function receiver(): Promise<Receiver> {
    const made = new Receiver(await freePort());
    receivers.push(made);
    await made.start();
    return made;
  }

  async function register(token: string, serviceAccountId: string, url: string) {
    const { registerWebhook } = await one.gql.data(
      REGISTER_WEBHOOK,
      { input: { serviceAccountId, url, eventTypes: TYPES } },
      { token },
    );
    return registerWebhook as { secret: string; endpoint: { id: string } };
  }

  /** Events of the chosen types after `from`, in cursor order, as the log has them. */
  async function expectedCursors(from: number): Promise<number[]> {
    const events = await one
      .em()
      .find(
        DomainEvent,
        { taskForceId: taskForce.id, cursor: { $gt: from }, type: { $in: TYPES } },
        { orderBy: { cursor: 'asc' } },
      );
    return events.map((event) => event.cursor as number);
  }

  async function lastCursor(): Promise<number> {
    const [last] = await one
      .em()
      .find(DomainEvent, { taskForceId: taskForce.id }, { orderBy: { cursor: 'desc' }, limit: 1 });
    return (last?.cursor as number | undefined) ?? 0;
  }

  /** Changes that carry text: an action item, a comment, a case summary and its update, each with the marker. */
  async function activity(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const item = await items.create(coordinator, {
        taskForceId: taskForce.id,
        title: `${MARKER} title ${i}`,
        assignee: { agencyId: ngoAgencyId },
      });
      await one.gql.data(COMMENT_ITEM, { id: item.id, text: `${MARKER} comment` }, { token: coordinator });
      await one.gql.data(
        CREATE_CASE_SUMMARY,
        {
          input: {
            taskForceId: taskForce.id,
            caseCode: `CS-WH-${Date.now()}-${i}`,
            stage: 'INVESTIGATION',
            sections: { overview: `${MARKER} overview`, investigation: `${MARKER} investigation` },
          },
        },
        { token: coordinator },
      );
    }
  }

  function expectThinAndOrdered(receiver: Receiver, cursors: number[]): void {
    expect(receiver.badSignatures).toEqual([]);
    expect(receiver.received.map((r) => r.body.cursor)).toEqual(cursors);
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(receiver.received.length);
    for (const { raw, body } of receiver.received) {
      expect(raw).not.toContain(MARKER);
      expect(Object.keys(body).sort()).toEqual(ENVELOPE_KEYS);
      expect(body.taskForceId).toBe(taskForce.id);
      for (const id of Object.values(body.ids)) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
  }

  it('refuses plain HTTP beyond loopback and unknown event types', async () => {
    const account = await accounts.account(coordinator, { taskForceId: taskForce.id, agencyId: ngoAgencyId });
    const plain = await one.gql.error(
      REGISTER_WEBHOOK,
      { input: { serviceAccountId: account.id, url: 'http://example.org/hook', eventTypes: TYPES } },
      { token: coordinator },
    );
    expect(plain.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });
    const unknown = await one.gql.error(
      REGISTER_WEBHOOK,
      { input: { serviceAccountId: account.id, url: 'https://example.org/hook', eventTypes: ['meeting.exploded'] } },
      { token: coordinator },
    );
    expect(unknown.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'eventTypes' });
  });

  it('delivers every chosen event once, in cursor order, signed, with ids and never text (two instances)', async () => {
    const hook = await receiver();
    const account = await accounts.account(coordinator, { taskForceId: taskForce.id, agencyId: ngoAgencyId });
    const from = await lastCursor();
    const registered = await register(coordinator, account.id, hook.url);
    hook.secret = registered.secret;
    expect(registered.secret).toMatch(/^whsec_/);

    await activity(3);
    const cursors = await expectedCursors(from);
    expect(cursors).toHaveLength(9);
    await waitUntil(() => hook.received.length >= cursors.length, 'every delivery', {
      timeoutMs: 15_000,
      state: () => hook.received.map((r) => r.body.cursor),
    });
    expectThinAndOrdered(hook, cursors);
    // Ids only: the item's and its assignee's, never its title.
    const created = hook.received.find((r) => r.body.type === 'actionItem.created');
    expect(created?.body.ids).toEqual({ actionItemId: expect.any(String), assigneeAgencyId: ngoAgencyId });

    // The coordinator reads the delivery log: every row delivered, first time.
    const { webhookDeliveries } = await one.gql.data(
      WEBHOOK_DELIVERIES,
      { id: registered.endpoint.id, first: 50 },
      { token: coordinator },
    );
    expect(webhookDeliveries.map((d: { cursor: number }) => d.cursor)).toEqual([...cursors].reverse());
    expect(webhookDeliveries.every((d: { status: string }) => d.status === 'DELIVERED')).toBe(true);
  });

  it('loses nothing while the receiver is down, and resumes in order (the account registers its own webhook)', async () => {
    const hook = await receiver();
    const { key, account } = await accounts.withKey(coordinator, {
      taskForceId: taskForce.id,
      agencyId: ngoAgencyId,
      scopes: [ApiScope.READ, ApiScope.WRITE],
    });
    const from = await lastCursor();
    const registered = await register(key.secret, account.id, hook.url);
    hook.secret = registered.secret;
    await hook.stop();

    await activity(2);
    const cursors = await expectedCursors(from);
    await waitUntil(
      async () => {
        const { webhookDeliveries } = await one.gql.data(
          WEBHOOK_DELIVERIES,
          { id: registered.endpoint.id, first: 50 },
          { token: coordinator },
        );
        return webhookDeliveries.some((d: { attempts: number }) => d.attempts >= 3);
      },
      'three failed attempts',
      { timeoutMs: 15_000, everyMs: 100 },
    );
    expect(hook.received).toEqual([]);

    await hook.start();
    await waitUntil(() => hook.received.length >= cursors.length, 'every delivery after the outage', {
      timeoutMs: 15_000,
      state: () => hook.received.map((r) => r.body.cursor),
    });
    expectThinAndOrdered(hook, cursors);
  });

  it('disables an endpoint that has failed for a day, and audits it for the coordinators', async () => {
    const account = await accounts.account(coordinator, { taskForceId: taskForce.id, agencyId: ngoAgencyId });
    const registered = await register(coordinator, account.id, `http://127.0.0.1:${await freePort()}/nobody`);
    await activity(1);
    await waitUntil(
      async () => !!(await one.em().findOneOrFail(WebhookEndpoint, { id: registered.endpoint.id })).failingSince,
      'the first failure',
      { timeoutMs: 10_000, everyMs: 100 },
    );
    // A day of failures, without waiting a day.
    await one
      .em()
      .nativeUpdate(
        WebhookEndpoint,
        { id: registered.endpoint.id },
        { failingSince: new Date(Date.now() - 25 * 3600 * 1000) },
      );
    await waitUntil(
      async () => !!(await one.em().findOneOrFail(WebhookEndpoint, { id: registered.endpoint.id })).disabledAt,
      'the endpoint to be disabled',
      { timeoutMs: 10_000, everyMs: 100 },
    );
    const audit = await one.em().find(AuditRecord, { action: 'webhook.disabled', subjectId: registered.endpoint.id });
    expect(audit).toHaveLength(1);
    expect(audit[0].taskForceId).toBe(taskForce.id);
    // Disabled means no more attempts from either instance.
    await Promise.all([one.app.get(WebhookDispatcher).tick(), two.app.get(WebhookDispatcher).tick()]);
    const endpoint = await one.em().findOneOrFail(WebhookEndpoint, { id: registered.endpoint.id });
    expect(endpoint.disabledReason).toBe('failing');
  });
});
