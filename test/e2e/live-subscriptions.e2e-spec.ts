import { AgencyKind, TaskForceRole } from '@hub/access';
import { DomainEvent, OutboxRelay, RETENTION_DAYS } from '@hub/events';
import { type TaskForce } from '@hub/task-forces';
import { IdentityFactory, login } from '../factories/identity.factory';
import { type LiveEvent, subscribe, subscriptionClient } from '../utils/subscription-client';
import { startTestApp, type TestApp } from '../utils/test-app';
import { sleep } from '../utils/wait';

type SignedIn = Awaited<ReturnType<IdentityFactory['signedIn']>>;

const TASK_FORCE_EVENTS =
  'subscription($tf: ID!, $after: Int) { taskForceEvents(taskForceId: $tf, after: $after) { type taskForceId cursor at actorId data withheld } }';
const MEETING_EVENTS = 'subscription($m: ID!) { meetingEvents(meetingId: $m) { type cursor data } }';
// `payload` selected too: a client following the typed contract asks for it on every LiveEvent.
const NOTIFICATIONS =
  'subscription($after: Int) { myNotifications(after: $after) { type taskForceId cursor data payload { __typename } } }';
const SCHEDULE = 'mutation($i: ScheduleMeetingInput!) { scheduleMeeting(input: $i) { id agenda { id } } }';
const CREATE_CASE = 'mutation($i: CreateCaseSummaryInput!) { createCaseSummary(input: $i) { id version } }';
const UPDATE_CASE = 'mutation($i: UpdateCaseSummaryInput!) { updateCaseSummary(input: $i) { version } }';
const CREATE_ITEM = 'mutation($i: CreateActionItemInput!) { createActionItem(input: $i) { id } }';
const SECRET = 'SUB-SECRET investigation of the transport company';

/** Long enough for an event that should not arrive to show up. */
const settle = (ms = 400) => sleep(ms);

describe('GraphQL subscriptions (graphql-ws)', () => {
  let app: TestApp;
  let make: IdentityFactory;
  let taskForce: TaskForce;
  let coordinator: SignedIn;
  let police: SignedIn;
  let ngo: SignedIn;
  const clients: { dispose(): void | Promise<void> }[] = [];

  const client = (token: string | undefined, closes?: [number, string][]) => {
    const created = subscriptionClient(app.url, token, (code, reason) => closes?.push([code, reason]));
    clients.push(created);
    return created;
  };
  const meeting = (title: string) =>
    app.gql.data(
      SCHEDULE,
      {
        i: {
          taskForceId: taskForce.id,
          title,
          startsAt: '2026-12-02T09:00:00Z',
          endsAt: '2026-12-02T10:00:00Z',
          agenda: [{ title: 'Item' }],
        },
      },
      { token: coordinator.token },
    );

  beforeAll(async () => {
    app = await startTestApp();
    make = new IdentityFactory(app);
    taskForce = await make.taskForce();
    coordinator = await make.signedIn(taskForce, TaskForceRole.COORDINATOR, { kind: AgencyKind.NATIONAL_AGENCY });
    police = await make.signedIn(taskForce, TaskForceRole.MEMBER, { kind: AgencyKind.POLICE });
    ngo = await make.signedIn(taskForce, TaskForceRole.MEMBER, { kind: AgencyKind.VICTIM_SUPPORT_NGO });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await app.close();
  });

  it('delivers a task force’s events in cursor order, each audience its own version, and catches up from a cursor', async () => {
    const forPolice = subscribe<LiveEvent>(
      client(police.token),
      TASK_FORCE_EVENTS,
      { tf: taskForce.id },
      'taskForceEvents',
    );
    const forNgo = subscribe<LiveEvent>(client(ngo.token), TASK_FORCE_EVENTS, { tf: taskForce.id }, 'taskForceEvents');
    await settle();
    const { scheduleMeeting } = await meeting('Subscriptions');
    const { createCaseSummary } = await app.gql.data(
      CREATE_CASE,
      { i: { taskForceId: taskForce.id, caseCode: 'SUB-001', stage: 'INVESTIGATION' } },
      { token: police.token },
    );
    await app.gql.data(
      UPDATE_CASE,
      { i: { id: createCaseSummary.id, baseVersion: 1, sections: { investigation: SECRET } } },
      { token: police.token },
    );
    const policeEvents = await forPolice.waitFor(3);
    const ngoEvents = await forNgo.waitFor(3);
    await settle();
    expect(policeEvents.map((e) => e.type)).toEqual([
      'meeting.scheduled',
      'caseSummary.created',
      'caseSummary.updated',
    ]);
    const first = policeEvents[0].cursor;
    expect(policeEvents.map((e) => e.cursor)).toEqual([first, first + 1, first + 2]);
    expect(ngoEvents.map((e) => e.cursor)).toEqual(policeEvents.map((e) => e.cursor));
    expect(JSON.parse(policeEvents[0].data!)).toMatchObject({ meetingId: scheduleMeeting.id, title: 'Subscriptions' });
    expect(policeEvents[0]).toMatchObject({
      taskForceId: taskForce.id,
      actorId: coordinator.member.id,
      withheld: false,
    });
    expect(JSON.parse(policeEvents[2].data!).changed).toEqual(['INVESTIGATION']);
    expect(JSON.parse(ngoEvents[2].data!).changed).toEqual([]);
    expect(JSON.stringify([policeEvents, ngoEvents])).not.toContain('SUB-SECRET');

    // A late subscriber catches up from a cursor, then receives live events, with no gap and no duplicate.
    const late = subscribe<LiveEvent>(
      client(police.token),
      TASK_FORCE_EVENTS,
      { tf: taskForce.id, after: first },
      'taskForceEvents',
    );
    await late.waitFor(2);
    await meeting('After catching up');
    const all = await late.waitFor(3);
    await settle();
    expect(all.map((e) => e.cursor)).toEqual([first + 1, first + 2, first + 3]);
  });

  it('sends a meeting room only that meeting’s events', async () => {
    const { scheduleMeeting: watched } = await meeting('Watched');
    const { scheduleMeeting: other } = await meeting('Other');
    const events = subscribe<{ type: string; data: string }>(
      client(ngo.token),
      MEETING_EVENTS,
      { m: watched.id },
      'meetingEvents',
    );
    await settle();
    await app.gql.data(
      'mutation($id: ID!) { startMeeting(meetingId: $id) { id } }',
      { id: other.id },
      { token: coordinator.token },
    );
    await app.gql.data(
      'mutation($id: ID!) { startMeeting(meetingId: $id) { id } }',
      { id: watched.id },
      { token: coordinator.token },
    );
    await app.gql.data(
      'mutation($i: MinuteNoteInput!) { addMinuteNote(input: $i) { id } }',
      { i: { meetingId: watched.id, agendaItemId: watched.agenda[0].id, text: 'A note' } },
      { token: police.token },
    );
    const received = await events.waitFor(2);
    await settle();
    expect(received.map((e) => e.type)).toEqual(['meeting.started', 'meeting.noteAdded']);
    expect(received.every((e) => JSON.parse(e.data).meetingId === watched.id)).toBe(true);
  });

  it('notifies a member of what concerns them only, by kind and id, and catches up from an inbox position', async () => {
    const notifications = subscribe<{ type: string; taskForceId: string; cursor: number; data: string }>(
      client(ngo.token),
      NOTIFICATIONS,
      {},
      'myNotifications',
    );
    await settle();
    const due = '2026-12-20';
    const created: string[] = [];
    for (const [title, assignee] of [
      ['For the police', { memberId: police.member.id }],
      ['For the NGO', { memberId: ngo.member.id }],
      ['For the NGO agency', { agencyId: ngo.member.agency.id }],
    ] as const) {
      const { createActionItem } = await app.gql.data<{ createActionItem: { id: string } }>(
        CREATE_ITEM,
        { i: { taskForceId: taskForce.id, title, dueOn: due, assignee } },
        { token: coordinator.token },
      );
      created.push(createActionItem.id);
    }
    const received = await notifications.waitFor(2);
    await settle();
    expect(received).toHaveLength(2);
    const payloads = received.map((e) => JSON.parse(e.data) as Record<string, unknown>);
    expect(received.every((e) => e.type === 'notification.created' && e.taskForceId === taskForce.id)).toBe(true);
    // An inbox notice has no typed payload (its fields are in data), rather than an error.
    expect(received.map((e) => (e as unknown as { payload: unknown }).payload)).toEqual([null, null]);
    expect(payloads.map((p) => [p.kind, p.subjectType, p.subjectId])).toEqual([
      ['ASSIGNED', 'actionItem', created[1]],
      ['ASSIGNED', 'actionItem', created[2]],
    ]);
    // Kinds and ids only: no title travels with a notification.
    expect(received.map((e) => e.data).join()).not.toContain('For the');
    // A client that saw the first one and reconnects gets the second from the inbox first.
    const again = subscribe<{ cursor: number; data: string }>(
      client(ngo.token),
      NOTIFICATIONS,
      { after: received[0].cursor },
      'myNotifications',
    );
    const caughtUp = await again.waitFor(1);
    await settle();
    expect(caughtUp.map((e) => e.cursor)).toEqual([received[1].cursor]);
  });

  it('ends a removed member’s subscription at the removal, and delivers nothing after it', async () => {
    const leaving = await make.signedIn(taskForce, TaskForceRole.MEMBER, { kind: AgencyKind.POLICE });
    const subscription = subscribe<LiveEvent>(
      client(leaving.token),
      TASK_FORCE_EVENTS,
      { tf: taskForce.id },
      'taskForceEvents',
    );
    await settle();
    await app.gql.data(
      'mutation($id: ID!) { removeMembership(membershipId: $id) { id } }',
      { id: leaving.membership!.id },
      { token: coordinator.token },
    );
    expect(await Promise.race([subscription.ended, settle(5_000).then(() => 'still open')])).toEqual({});
    await meeting('After the removal');
    await settle();
    expect(subscription.received.map((e) => e.type)).toEqual([]);
  });

  it('checks every operation on a connection again: a member removed after connecting cannot query through it', async () => {
    const leaving = await make.signedIn(taskForce, TaskForceRole.MEMBER, { kind: AgencyKind.POLICE });
    const connection = client(leaving.token);
    const query = (q: string) =>
      new Promise<{ data?: unknown; errors?: { extensions?: { code?: string } }[] }>((resolve, reject) =>
        connection.subscribe(
          { query: q, variables: { tf: taskForce.id } },
          { next: (r) => resolve(r as never), error: reject, complete: () => undefined },
        ),
      );
    const before = await query('query($tf: ID!) { caseSummaries(taskForceId: $tf) { caseCode } }');
    expect(before.errors).toBeUndefined();
    await app.gql.data(
      'mutation($id: ID!) { removeMembership(membershipId: $id) { id } }',
      { id: leaving.membership!.id },
      { token: coordinator.token },
    );
    const after = await query('query($tf: ID!) { caseSummaries(taskForceId: $tf) { caseCode investigation } }');
    expect(after.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(after.data ?? null).toBeNull();
    const late = subscribe<LiveEvent>(connection, TASK_FORCE_EVENTS, { tf: taskForce.id }, 'taskForceEvents');
    expect(((await late.ended).error as { extensions?: { code?: string } }[])[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('closes the connection with 4403 when the session ends, and refuses a bad token', async () => {
    const member = await make.member({ kind: AgencyKind.POLICE });
    await make.membership(taskForce, member, TaskForceRole.MEMBER);
    const tokens = await login(app, member.email);
    const closes: [number, string][] = [];
    const subscription = subscribe<LiveEvent>(
      client(tokens.accessToken, closes),
      TASK_FORCE_EVENTS,
      { tf: taskForce.id },
      'taskForceEvents',
    );
    await settle();
    await app.gql.data('mutation { logout }', {}, { token: tokens.accessToken });
    await subscription.ended;
    await settle(200);
    expect(closes[0]?.[0]).toBe(4403);

    const refused: [number, string][] = [];
    const rejected = subscribe<LiveEvent>(
      client('not-a-token', refused),
      TASK_FORCE_EVENTS,
      { tf: taskForce.id },
      'taskForceEvents',
    );
    await rejected.ended;
    await settle(200);
    expect(refused[0]?.[0]).toBe(4403);
    expect(rejected.received).toEqual([]);
  });

  it('forgets events past the retention window, and tells a client that far behind to refetch', async () => {
    const fresh = await make.taskForce();
    const owner = await make.signedIn(fresh, TaskForceRole.COORDINATOR, { kind: AgencyKind.POLICE });
    for (const title of ['Old one', 'Old two']) {
      await app.gql.data(
        SCHEDULE,
        { i: { taskForceId: fresh.id, title, startsAt: '2026-12-02T09:00:00Z', endsAt: '2026-12-02T10:00:00Z' } },
        { token: owner.token },
      );
    }
    await settle();
    const em = app.em();
    await em.nativeUpdate(
      DomainEvent,
      { taskForceId: fresh.id, cursor: 1 },
      { at: new Date(Date.now() - (RETENTION_DAYS + 1) * 24 * 3_600_000) },
    );
    expect(await app.app.get(OutboxRelay).prune()).toBe(1);
    expect(await app.em().count(DomainEvent, { taskForceId: fresh.id })).toBe(1);
    const tooFar = subscribe<LiveEvent>(
      client(owner.token),
      TASK_FORCE_EVENTS,
      { tf: fresh.id, after: 0 },
      'taskForceEvents',
    );
    const { error } = await tooFar.ended;
    expect((error as { extensions?: { code?: string } }[])[0].extensions?.code).toBe('CURSOR_EXPIRED');
    const recent = subscribe<LiveEvent>(
      client(owner.token),
      TASK_FORCE_EVENTS,
      { tf: fresh.id, after: 1 },
      'taskForceEvents',
    );
    expect((await recent.waitFor(1)).map((e) => e.cursor)).toEqual([2]);
  });

  it('refuses members of other task forces and gives them none of its events', async () => {
    const other = await make.taskForce();
    const outsider = await make.signedIn(other, TaskForceRole.COORDINATOR, {
      kind: AgencyKind.ORGANISED_CRIME_PROSECUTION,
    });
    const admin = await make.signedIn(null, TaskForceRole.MEMBER, { admin: true });
    const { scheduleMeeting } = await meeting('Not for outsiders');
    const attempts = [
      subscribe<LiveEvent>(client(outsider.token), TASK_FORCE_EVENTS, { tf: taskForce.id }, 'taskForceEvents'),
      subscribe<LiveEvent>(
        client(outsider.token),
        TASK_FORCE_EVENTS,
        { tf: taskForce.id, after: 0 },
        'taskForceEvents',
      ),
      subscribe<LiveEvent>(client(outsider.token), MEETING_EVENTS, { m: scheduleMeeting.id }, 'meetingEvents'),
      subscribe<LiveEvent>(client(admin.token), TASK_FORCE_EVENTS, { tf: taskForce.id }, 'taskForceEvents'),
    ];
    const outcomes = await Promise.all(attempts.map((a) => a.ended));
    // Errors are formatted like any GraphQL error: a code and a sentence, nothing of the server's internals.
    expect(JSON.stringify(outcomes)).not.toMatch(/contextValue|_typeMap|sessionId|stack/);
    const codes = outcomes.map(
      (o) => (o.error as { extensions?: { code?: string } }[] | undefined)?.[0]?.extensions?.code,
    );
    expect(codes).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'FORBIDDEN']);
    await meeting('More events');
    await settle();
    expect(attempts.flatMap((a) => a.received)).toEqual([]);
  });
});

describe('GraphQL subscriptions and short-lived tokens', () => {
  it('closes with 4403 when the access token expires', async () => {
    const app = await startTestApp({ ACCESS_TOKEN_TTL_SECONDS: '10' });
    try {
      const make = new IdentityFactory(app);
      const taskForce = await make.taskForce();
      const member = await make.signedIn(taskForce, TaskForceRole.MEMBER, { kind: AgencyKind.POLICE });
      const closes: [number, string][] = [];
      const connection = subscriptionClient(app.url, member.token, (code, reason) => closes.push([code, reason]));
      const subscription = subscribe<LiveEvent>(connection, TASK_FORCE_EVENTS, { tf: taskForce.id }, 'taskForceEvents');
      const started = Date.now();
      await subscription.ended;
      await settle(200);
      expect(closes[0]).toEqual([4403, 'Forbidden: the access token expired']);
      expect(Date.now() - started).toBeLessThan(12_000);
      await connection.dispose();
    } finally {
      await app.close();
    }
  });
});
