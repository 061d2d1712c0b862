import { ApolloClient, ApolloLink, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { AgencyKind, ApiScope, TaskForceRole } from '@hub/access';
import { AuditRecord } from '@hub/audit';
import { HUB_EVENT_TYPES, payloadTypeName } from '@hub/events';
import { Member } from '@hub/identity';
import { ApiKey } from '@hub/service-accounts';
import { type TaskForce } from '@hub/task-forces';
import { createClient } from 'graphql-ws';
import { print } from 'graphql';
import WebSocket from 'ws';
import { ActionItemsFactory, CREATE_CASE_SUMMARY } from '../factories/action-items.factory';
import { type LiveClient, LiveFactory } from '../factories/live.factory';
import {
  DISABLE_SERVICE_ACCOUNT,
  REVOKE_API_KEY,
  ROTATE_API_KEY,
  SERVICE_ACCOUNTS,
  ServiceAccountsFactory,
} from '../factories/service-accounts.factory';
import { type LiveEvent, subscribe, subscriptionClient } from '../utils/subscription-client';
import { startTestApp, type TestApp } from '../utils/test-app';
import { waitUntil } from '../utils/wait';

/**
 * Client apps through their service accounts, as an integrator would use them: Apollo Client 4 over
 * HTTP and graphql-ws, the bare graphql-ws client and socket.io-client, each with an API key.
 */

const { COORDINATOR, MEMBER } = TaskForceRole;
const { ORGANISED_CRIME_PROSECUTION, VICTIM_SUPPORT_NGO, POLICE } = AgencyKind;
const MARKER = 'SECRET-INVESTIGATION-MARKER-7f3a';

const CASE = gql`
  query Case($id: ID!) {
    caseSummary(id: $id) {
      id
      caseCode
      overview
      investigation
      victimSupport
      readableSections
    }
  }
`;
const TYPED_EVENTS = gql`
  subscription Events($tf: ID!, $after: Int) {
    taskForceEvents(taskForceId: $tf, after: $after) {
      type
      cursor
      withheld
      payload {
        __typename
        ... on ActionItemCreatedEvent {
          actionItemId
          title
          dueOn
          assigneeAgencyId
        }
        ... on CaseSummaryCreatedEvent {
          caseSummaryId
          changed
          version
        }
      }
    }
  }
`;

interface TypedEvent {
  type: string;
  cursor: number;
  withheld: boolean;
  payload: ({ __typename: string } & Record<string, unknown>) | null;
}

const possibleTypes = { LiveEventPayload: HUB_EVENT_TYPES.map(payloadTypeName) };

function apollo(app: TestApp, key: string) {
  const http = new HttpLink({ uri: `${app.url}/graphql`, headers: { authorization: `Bearer ${key}` } });
  const ws = createClient({
    url: `${app.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${key}` },
    retryAttempts: 0,
  });
  const link = ApolloLink.split(({ operationType }) => operationType === 'subscription', new GraphQLWsLink(ws), http);
  const client = new ApolloClient({ link, cache: new InMemoryCache({ possibleTypes }) });
  return { client, dispose: () => ws.dispose() };
}

/** The codes of a failed operation, whatever way Apollo Client reports them. */
function codesOf(error: unknown): string[] {
  const errors = (error as { errors?: { extensions?: { code?: string } }[] }).errors ?? [];
  return errors.map((e) => e.extensions?.code ?? '?');
}

describe('service accounts: API keys for client apps', () => {
  let app: TestApp;
  let live: LiveFactory;
  let items: ActionItemsFactory;
  let accounts: ServiceAccountsFactory;
  let taskForce: TaskForce;
  let other: TaskForce;
  let coordinator: string;
  let ngoAgencyId: string;
  let caseId: string;
  const disposers: (() => unknown)[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    live = new LiveFactory(app);
    items = new ActionItemsFactory(app);
    accounts = new ServiceAccountsFactory(app.gql);
    taskForce = await live.identity.taskForce();
    other = await live.identity.taskForce();
    coordinator = (await live.person(taskForce, COORDINATOR, ORGANISED_CRIME_PROSECUTION)).token;
    ngoAgencyId = (await live.identity.agency(VICTIM_SUPPORT_NGO)).id;
    const { createCaseSummary } = await app.gql.data<{ createCaseSummary: { id: string } }>(
      CREATE_CASE_SUMMARY,
      {
        input: {
          taskForceId: taskForce.id,
          caseCode: 'CS-SA-1',
          stage: 'INVESTIGATION',
          sections: { overview: 'Shared overview.', investigation: MARKER },
        },
      },
      { token: coordinator },
    );
    caseId = createCaseSummary.id;
  });
  afterAll(async () => {
    for (const dispose of disposers) await dispose();
    live.closeAll();
    await app.close();
  });

  it('issues a key once, keeps only its hash, and reads exactly as a member of its agency', async () => {
    const { account, key } = await accounts.withKey(coordinator, { taskForceId: taskForce.id, agencyId: ngoAgencyId });
    expect(account.scopes).toEqual([ApiScope.READ, ApiScope.SUBSCRIBE]);
    expect(key.secret).toMatch(/^tfh_[A-Za-z0-9_-]{43}$/);
    const stored = await app.em().findOneOrFail(ApiKey, { id: key.id });
    expect(JSON.stringify(stored)).not.toContain(key.secret.slice(4));
    expect((await app.em().findOneOrFail(Member, { id: account.memberId })).passwordHash).not.toMatch(/^\$argon2/);

    const { client } = apollo(app, key.secret);
    const { data } = await client.query({ query: CASE, variables: { id: caseId }, fetchPolicy: 'no-cache' });
    // A victim-support NGO reads the overview and victim support, never the investigation.
    expect(data).toEqual({
      caseSummary: expect.objectContaining({
        id: caseId,
        overview: 'Shared overview.',
        investigation: null,
        readableSections: ['OVERVIEW', 'VICTIM_SUPPORT'],
      }),
    });
    // The read of a restricted section is audited under the account's member, as a person's would be.
    const reads = await app.em().find(AuditRecord, { action: 'caseSummary.sectionRead', actorId: account.memberId });
    expect(reads.map((r) => [r.subjectId, r.details?.section])).toEqual([[caseId, 'VICTIM_SUPPORT']]);
    const listed = await app.gql.data(SERVICE_ACCOUNTS, { tf: taskForce.id }, { token: coordinator });
    const mine = listed.serviceAccounts.find((a: { id: string }) => a.id === account.id);
    expect(mine.keys).toEqual([expect.objectContaining({ id: key.id, prefix: key.secret.slice(0, 12) })]);
    expect(mine.keys[0].lastUsedAt).not.toBeNull();
  });

  it('is refused beyond its scopes and outside its task force', async () => {
    const { key } = await accounts.withKey(coordinator, { taskForceId: taskForce.id, agencyId: ngoAgencyId });
    const { client } = apollo(app, key.secret);
    // READ + SUBSCRIBE only: no mutation.
    const mutation = gql`
      mutation ($input: CreateCaseSummaryInput!) {
        createCaseSummary(input: $input) {
          id
        }
      }
    `;
    const refused = await client
      .mutate({
        mutation,
        variables: { input: { taskForceId: taskForce.id, caseCode: 'CS-SA-NO', stage: 'INVESTIGATION' } },
      })
      .then(
        () => [],
        (error: unknown) => codesOf(error),
      );
    expect(refused).toEqual(['FORBIDDEN']);
    // Another task force does not exist for it; nor do the coordinators' screens.
    const outside = await app.gql.error(
      'query($tf: ID!) { taskForce(id: $tf) { id } }',
      { tf: other.id },
      { token: key.secret },
    );
    expect(outside.extensions?.code).toBe('NOT_FOUND');
    const manage = await app.gql.error(SERVICE_ACCOUNTS, { tf: taskForce.id }, { token: key.secret });
    expect(manage.extensions?.code).toBe('FORBIDDEN');

    // READ only: no live connection on either transport.
    const readOnly = await accounts.withKey(coordinator, {
      taskForceId: taskForce.id,
      agencyId: ngoAgencyId,
      scopes: [ApiScope.READ],
    });
    const closes: number[] = [];
    const ws = subscriptionClient(app.url, readOnly.key.secret, (code) => closes.push(code));
    disposers.push(() => ws.dispose());
    subscribe(ws, 'subscription($tf: ID!) { taskForceEvents(taskForceId: $tf) { cursor } }', { tf: taskForce.id }, 'x');
    await waitUntil(() => closes.length > 0, 'the graphql-ws connection to be refused');
    expect(closes[0]).toBe(4403);
    await expect(live.connect(readOnly.key.secret)).rejects.toMatchObject({ data: { code: 'FORBIDDEN' } });

    // SUBSCRIBE without READ: live, but no query.
    const liveOnly = await accounts.withKey(coordinator, {
      taskForceId: taskForce.id,
      agencyId: ngoAgencyId,
      scopes: [ApiScope.SUBSCRIBE],
    });
    const noRead = await app.gql.error(print(CASE), { id: caseId }, { token: liveOnly.key.secret });
    expect(noRead.extensions?.code).toBe('FORBIDDEN');

    // A person who is only a member cannot manage accounts; another task force's coordinator cannot see them.
    const member = await live.person(taskForce, MEMBER, POLICE);
    expect(
      (await app.gql.error(SERVICE_ACCOUNTS, { tf: taskForce.id }, { token: member.token })).extensions?.code,
    ).toBe('FORBIDDEN');
    const stranger = await live.person(other, COORDINATOR, POLICE);
    expect(
      (await app.gql.error(SERVICE_ACCOUNTS, { tf: taskForce.id }, { token: stranger.token })).extensions?.code,
    ).toBe('NOT_FOUND');
  });

  it('subscribes with Apollo Client over graphql-ws from a cursor, with typed payloads redacted for its agency', async () => {
    const { key } = await accounts.withKey(coordinator, { taskForceId: taskForce.id, agencyId: ngoAgencyId });
    const cursors = await live.storedCursors(taskForce.id);
    const after = cursors[cursors.length - 1];
    const { client, dispose } = apollo(app, key.secret);
    disposers.push(dispose);
    const received: TypedEvent[] = [];
    const subscription = client
      .subscribe<{ taskForceEvents: TypedEvent }>({ query: TYPED_EVENTS, variables: { tf: taskForce.id, after } })
      .subscribe({ next: ({ data }) => data && received.push(data.taskForceEvents) });
    disposers.push(() => subscription.unsubscribe());

    await items.create(coordinator, {
      taskForceId: taskForce.id,
      title: 'Call the shelter',
      assignee: { agencyId: ngoAgencyId },
    });
    await app.gql.data(
      CREATE_CASE_SUMMARY,
      {
        input: {
          taskForceId: taskForce.id,
          caseCode: 'CS-SA-2',
          stage: 'INVESTIGATION',
          sections: { investigation: MARKER },
        },
      },
      { token: coordinator },
    );
    await waitUntil(() => received.length >= 2, 'two typed events', { state: () => received });
    const [created, summary] = received;
    expect(created).toMatchObject({
      type: 'actionItem.created',
      cursor: after + 1,
      withheld: false,
      payload: { __typename: 'ActionItemCreatedEvent', title: 'Call the shelter', assigneeAgencyId: ngoAgencyId },
    });
    // The NGO may know the case exists, not that its investigation changed.
    expect(summary).toMatchObject({
      type: 'caseSummary.created',
      cursor: after + 2,
      payload: { __typename: 'CaseSummaryCreatedEvent', version: 1 },
    });
    expect(summary.payload?.changed).not.toContain('INVESTIGATION');
    expect(JSON.stringify(received)).not.toContain(MARKER);
  });

  it('rotates with a grace period, and revoking closes its live connections at once', async () => {
    const { account, key } = await accounts.withKey(coordinator, { taskForceId: taskForce.id, agencyId: ngoAgencyId });
    const { rotateApiKey } = await app.gql.data(ROTATE_API_KEY, { id: key.id, grace: 3600 }, { token: coordinator });
    // Both work during the grace period.
    for (const secret of [key.secret, rotateApiKey.secret])
      expect((await app.gql.data('{ me { id } }', {}, { token: secret })).me.id).toBe(account.memberId);

    const socket: LiveClient = await live.connect(rotateApiKey.secret);
    await socket.joined({ taskForceId: taskForce.id });
    const closes: { code: number; reason: string }[] = [];
    const ws = subscriptionClient(app.url, rotateApiKey.secret, (code, reason) => closes.push({ code, reason }));
    disposers.push(() => ws.dispose());
    const cursors = await live.storedCursors(taskForce.id);
    const events = subscribe<LiveEvent>(
      ws,
      'subscription($tf: ID!, $after: Int) { taskForceEvents(taskForceId: $tf, after: $after) { cursor } }',
      { tf: taskForce.id, after: cursors[cursors.length - 1] },
      'taskForceEvents',
    );
    await items.create(coordinator, { taskForceId: taskForce.id, title: 'Ping', assignee: { agencyId: ngoAgencyId } });
    await events.waitFor(1);

    await app.gql.data(REVOKE_API_KEY, { id: rotateApiKey.key.id }, { token: coordinator });
    expect(await socket.waitForEvent('session.ended')).toMatchObject({ code: 'UNAUTHENTICATED' });
    await waitUntil(() => closes.length > 0, 'the graphql-ws connection to close');
    expect(closes[0].code).toBe(4403);
    expect((await app.gql.error('{ me { id } }', {}, { token: rotateApiKey.secret })).extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    // The old key is still in its grace period; disabling the account ends it too.
    expect((await app.gql.data('{ me { id } }', {}, { token: key.secret })).me.id).toBe(account.memberId);
    await app.gql.data(DISABLE_SERVICE_ACCOUNT, { id: account.id }, { token: coordinator });
    expect((await app.gql.error('{ me { id } }', {}, { token: key.secret })).extensions?.code).toBe('UNAUTHENTICATED');

    const actions = (await app.em().find(AuditRecord, { actorId: await coordinatorId() })).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining(['serviceAccount.created', 'apiKey.created', 'apiKey.rotated', 'apiKey.revoked']),
    );
    expect(actions).toContain('serviceAccount.disabled');
  });

  it('an expired key stops working, and never signs in with a password', async () => {
    const account = await accounts.account(coordinator, { taskForceId: taskForce.id, agencyId: ngoAgencyId });
    const key = await accounts.key(coordinator, account.id, new Date(Date.now() + 1500));
    expect((await app.gql.data('{ me { id } }', {}, { token: key.secret })).me.id).toBe(account.memberId);
    await waitUntil(
      async () =>
        (await app.gql.request('{ me { id } }', {}, { token: key.secret })).errors?.[0]?.extensions?.code ===
        'UNAUTHENTICATED',
      'the key to expire',
    );
    const member = await app.em().findOneOrFail(Member, { id: account.memberId });
    const login = await app.gql.error(
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }',
      {
        e: member.email,
        p: member.passwordHash,
      },
    );
    expect(login.extensions?.code).toBe('UNAUTHENTICATED');
  });

  async function coordinatorId(): Promise<string> {
    return (await app.gql.data('{ me { id } }', {}, { token: coordinator })).me.id;
  }
});

describe('service accounts: a request budget of their own', () => {
  let app: TestApp;
  afterAll(() => app?.close());

  it('refuses the account beyond SERVICE_ACCOUNT_RATE_LIMIT, queries included, while people are not counted', async () => {
    app = await startTestApp({ SERVICE_ACCOUNT_RATE_LIMIT: '3', SERVICE_ACCOUNT_RATE_WINDOW_SECONDS: '3600' });
    const live = new LiveFactory(app);
    const taskForce = await live.identity.taskForce();
    const coordinator = (await live.person(taskForce, COORDINATOR, POLICE)).token;
    const agencyId = (await live.identity.agency(VICTIM_SUPPORT_NGO)).id;
    const { key } = await new ServiceAccountsFactory(app.gql).withKey(coordinator, {
      taskForceId: taskForce.id,
      agencyId,
    });
    for (let i = 0; i < 3; i++) await app.gql.data('{ me { id } }', {}, { token: key.secret });
    const refused = await app.gql.error('{ me { id } }', {}, { token: key.secret });
    expect(refused.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'serviceAccount' });
    for (let i = 0; i < 5; i++) await app.gql.data('{ me { id } }', {}, { token: coordinator });
  });
});
