import { GraphQLClient, type GraphQLErrorBody } from '../utils/graphql-client';
import { postgresServer, type PostgresServer } from '../utils/postgres-server';
import { waitUntil } from '../utils/wait';
import { Deployment, range, SubscriptionWatcher, summary } from './faults-support';

/**
 * Writers racing on the same things, on PostgreSQL, over two api processes (issue 12). Every pair of
 * mutation kinds that can touch the same live meeting, agenda item, action item, case summary or task
 * force runs with two writers of each kind at once, then all kinds together. Nothing may answer
 * INTERNAL_SERVER_ERROR or SERVICE_UNAVAILABLE; the only refusals are those a kind declares, each the
 * domain's word for what changed under it (a stale version, an item just removed); each kind gets
 * through at least once; each success records exactly one event of its type and
 * writes its row once; the task force's cursors stay gap-free and in order, in the database and live;
 * PostgreSQL's log shows no deadlock. On the code before the fix, half of these writes deadlocked.
 */

const WRITERS_PER_KIND = 2;
const ROUNDS = 2;

interface World {
  taskForceId: string;
  meetingId: string;
  agenda: string[];
  actionItemId: string;
  caseSummaryId: string;
  /** Memberships of people who do not write here: each lane of role changes toggles its own. */
  spareMemberships: { id: string; role: string }[];
  agencyId: string;
}

interface Writer {
  token: string;
  memberId: string;
  /** Distinct per writer, so that texts and codes never collide. */
  tag: string;
  api: string;
  /** Which of its kind's lanes this writer is (for things each lane must own alone). */
  lane: number;
}

interface Kind {
  name: string;
  by: 'coordinator' | 'member';
  event: string;
  /**
   * The refusals a racing writer of this kind may get, each naming what changed under it (a newer
   * version, an item just removed); nothing is written then. Any other failure fails the suite.
   */
  refusals?: string[];
  /** Rows a success adds, by table, counted in the database afterwards (no retried write may add two). */
  rows?: Record<string, number>;
  mutate(world: World, writer: Writer, n: number): Promise<Mutation>;
}

interface Mutation {
  document: string;
  variables: Record<string, unknown>;
  /** Rows this one adds (or removes) when it succeeds, where that differs from its kind's. */
  rows?: Record<string, number>;
  /** Its event, where that differs from its kind's. */
  event?: string;
  /** Called with the answer's data when it succeeded. */
  succeeded?(data: Record<string, { id: string }>): void;
  /** Called when it was refused (with one of its kind's refusals). */
  refused?(): void;
}

const gql = (api: string) => new GraphQLClient(`${api}/graphql`);
/** Every mutation of the suite gets its own number: texts, codes and times never repeat. */
let sequence = 0;
const checkedIn = new Map<string, boolean>();
/** The agenda item each lane of addOrRemoveAgendaItem added last, and removes next. */
const addedItems = new Map<number, string>();
let lastAdded: string | undefined;
const lifecycles = new Map<number, { step: number; meetingId: string }>();
/** Memberships the lanes of addOrRemoveMembership added, by the guest's e-mail. */
const guests = new Map<string, string>();

const KINDS: Kind[] = [
  {
    name: 'editMeeting',
    by: 'coordinator',
    event: 'meeting.updated',
    mutate: async (w, writer, n) => ({
      document: 'mutation($input: EditMeetingInput!) { editMeeting(input: $input) { id } }',
      variables: { input: { meetingId: w.meetingId, place: `Room ${writer.tag}-${n}` } },
    }),
  },
  {
    // Each lane adds an item, then removes the one it added: the agenda stays short enough to reorder.
    name: 'addOrRemoveAgendaItem',
    by: 'coordinator',
    event: 'meeting.agendaChanged',
    // An item that got a note meanwhile stays on the record: the lane then forgets it and adds another.
    refusals: ['CONFLICT'],
    mutate: async (w, writer, n) => {
      const added = addedItems.get(writer.lane);
      const forget = () => {
        addedItems.delete(writer.lane);
        // The note lane then writes on the standing agenda, so it gets through outside these races too.
        if (lastAdded === added) lastAdded = undefined;
      };
      if (added) {
        return {
          document: 'mutation($id: ID!) { removeAgendaItem(agendaItemId: $id) { id } }',
          variables: { id: added },
          rows: { agenda_item: -1 },
          succeeded: forget,
          refused: forget,
        };
      }
      return {
        document: 'mutation($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { id } }',
        variables: { input: { meetingId: w.meetingId, title: `Added by ${writer.tag} ${n}` } },
        rows: { agenda_item: 1 },
        succeeded: (data) => {
          addedItems.set(writer.lane, data.addAgendaItem.id);
          lastAdded = data.addAgendaItem.id;
        },
      };
    },
  },
  {
    // Notes on the item another lane is about to remove: the note lands first, or the item is gone.
    name: 'noteOnAddedItem',
    by: 'member',
    event: 'meeting.noteAdded',
    rows: { minute_note: 1 },
    refusals: ['BAD_USER_INPUT'],
    mutate: async (w, writer, n) => ({
      document: 'mutation($input: MinuteNoteInput!) { addMinuteNote(input: $input) { id } }',
      variables: {
        input: { meetingId: w.meetingId, agendaItemId: lastAdded ?? w.agenda[0], text: `On ${writer.tag} ${n}` },
      },
    }),
  },
  {
    // Each lane runs meetings of its own through their life: schedule, start, end, schedule, cancel.
    name: 'meetingLifecycle',
    by: 'coordinator',
    event: 'meeting.scheduled',
    mutate: async (w, writer, n) => {
      const lane = lifecycles.get(writer.lane) ?? { step: 0, meetingId: '' };
      lifecycles.set(writer.lane, lane);
      const next = () => (lane.step = (lane.step + 1) % 5);
      const step = lane.step % 5;
      if (step === 0 || step === 3) {
        const startsAt = new Date(Date.UTC(2027, 2, 1, 9) + n * 3_600_000);
        return {
          document: 'mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }',
          variables: {
            input: {
              taskForceId: w.taskForceId,
              title: `Lifecycle ${writer.tag} ${n}`,
              startsAt: startsAt.toISOString(),
              endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
              agenda: [{ title: 'Round table' }],
            },
          },
          rows: { meeting: 1, agenda_item: 1 },
          succeeded: (data) => {
            lane.meetingId = data.scheduleMeeting.id;
            next();
          },
        };
      }
      const [field, event] = (
        [
          ['startMeeting', 'meeting.started'],
          ['endMeeting', 'meeting.ended'],
          ['cancelMeeting', 'meeting.cancelled'],
        ] as const
      )[step === 1 ? 0 : step === 2 ? 1 : 2];
      return {
        document: `mutation($m: ID!) { ${field}(meetingId: $m) { id } }`,
        variables: { m: lane.meetingId },
        event,
        succeeded: next,
      };
    },
  },
  {
    // Each lane adds a person of another task force, then removes them again.
    name: 'addOrRemoveMembership',
    by: 'coordinator',
    event: 'membership.added',
    mutate: async (w, writer) => {
      const email = `${['court', 'iom', 'other', 'border'][writer.lane]}.ias@demo.local`;
      const membershipId = guests.get(email);
      if (membershipId)
        return {
          document: 'mutation($id: ID!) { removeMembership(membershipId: $id) { id } }',
          variables: { id: membershipId },
          event: 'membership.removed',
          succeeded: () => guests.delete(email),
        };
      return {
        document: 'mutation($input: AddMembershipInput!) { addMembership(input: $input) { id } }',
        variables: { input: { taskForceId: w.taskForceId, email, role: 'MEMBER' } },
        succeeded: (data) => guests.set(email, data.addMembership.id),
      };
    },
  },
  {
    name: 'updateAgendaItem',
    by: 'coordinator',
    event: 'meeting.agendaChanged',
    mutate: async (w, writer, n) => ({
      document: 'mutation($input: UpdateAgendaItemInput!) { updateAgendaItem(input: $input) { id } }',
      variables: { input: { agendaItemId: w.agenda[n % 2], title: `Shelter capacity ${writer.tag}-${n}` } },
    }),
  },
  {
    name: 'reorderAgenda',
    by: 'coordinator',
    event: 'meeting.agendaChanged',
    // An item added or removed between reading the agenda and reordering it.
    refusals: ['BAD_USER_INPUT'],
    mutate: async (w, writer) => {
      const { meeting } = await gql(writer.api).data(
        'query($id: ID!) { meeting(id: $id) { agenda { id } } }',
        { id: w.meetingId },
        { token: writer.token },
      );
      const ids = meeting.agenda.map((item: { id: string }) => item.id);
      return {
        document: 'mutation($m: ID!, $ids: [ID!]!) { reorderAgenda(meetingId: $m, agendaItemIds: $ids) { id } }',
        variables: { m: w.meetingId, ids: [...ids.slice(1), ids[0]] },
      };
    },
  },
  {
    name: 'advanceAgenda',
    by: 'coordinator',
    event: 'meeting.agendaAdvanced',
    mutate: async (w, _writer, n) => ({
      document: 'mutation($m: ID!, $a: ID) { advanceAgenda(meetingId: $m, agendaItemId: $a) { id } }',
      variables: { m: w.meetingId, a: w.agenda[n % 3] },
    }),
  },
  {
    name: 'checkInOut',
    by: 'member',
    event: 'meeting.attendanceChanged',
    mutate: async (w, writer) => {
      const inside = checkedIn.get(writer.memberId) ?? false;
      const succeeded = () => checkedIn.set(writer.memberId, !inside);
      return inside
        ? {
            document: 'mutation($m: ID!) { checkOut(meetingId: $m) { id } }',
            variables: { m: w.meetingId },
            succeeded,
          }
        : {
            document: 'mutation($m: ID!) { checkIn(meetingId: $m, mode: REMOTE) { id } }',
            variables: { m: w.meetingId },
            succeeded,
          };
    },
  },
  {
    name: 'addMinuteNote',
    by: 'member',
    event: 'meeting.noteAdded',
    rows: { minute_note: 1 },
    mutate: async (w, writer, n) => ({
      document: 'mutation($input: MinuteNoteInput!) { addMinuteNote(input: $input) { id } }',
      variables: { input: { meetingId: w.meetingId, agendaItemId: w.agenda[n % 3], text: `Note ${writer.tag} ${n}` } },
    }),
  },
  {
    name: 'recordDecision',
    by: 'coordinator',
    event: 'meeting.decisionRecorded',
    rows: { decision: 1 },
    mutate: async (w, writer, n) => ({
      document: 'mutation($input: DecisionInput!) { recordDecision(input: $input) { id } }',
      variables: {
        input: {
          meetingId: w.meetingId,
          agendaItemId: w.agenda[n % 3],
          text: `Decided ${writer.tag} ${n}`,
          caseSummaryId: w.caseSummaryId,
        },
      },
    }),
  },
  {
    name: 'createActionItem',
    by: 'coordinator',
    event: 'actionItem.created',
    rows: { action_item: 1 },
    mutate: async (w, writer, n) => ({
      document: 'mutation($input: CreateActionItemInput!) { createActionItem(input: $input) { id } }',
      variables: {
        input: {
          taskForceId: w.taskForceId,
          title: `Follow up ${writer.tag} ${n}`,
          dueOn: '2027-03-01',
          assignee: { agencyId: w.agencyId },
          meetingId: w.meetingId,
          caseSummaryId: w.caseSummaryId,
        },
      },
    }),
  },
  {
    name: 'editActionItem',
    by: 'coordinator',
    event: 'actionItem.updated',
    mutate: async (w, _writer, n) => ({
      document: 'mutation($input: EditActionItemInput!) { editActionItem(input: $input) { id } }',
      variables: {
        input: { id: w.actionItemId, priority: n % 2 ? 'HIGH' : 'NORMAL', dueOn: `2027-02-${10 + (n % 15)}` },
      },
    }),
  },
  {
    name: 'changeActionItemStatus',
    by: 'coordinator',
    event: 'actionItem.updated',
    // Another writer moved it first, to where this move is no longer allowed.
    refusals: ['CONFLICT'],
    mutate: async (w, writer, n) => ({
      document:
        'mutation($id: ID!, $status: ActionItemStatus!, $reason: String) { changeActionItemStatus(id: $id, status: $status, reason: $reason) { id } }',
      variables:
        n % 2
          ? { id: w.actionItemId, status: 'BLOCKED', reason: `Waiting on ${writer.tag}` }
          : { id: w.actionItemId, status: 'IN_PROGRESS' },
    }),
  },
  {
    name: 'commentOnActionItem',
    by: 'member',
    event: 'actionItem.commented',
    rows: { action_item_comment: 1 },
    mutate: async (w, writer, n) => ({
      document: 'mutation($id: ID!, $text: String!) { commentOnActionItem(id: $id, text: $text) { id } }',
      variables: { id: w.actionItemId, text: `Comment ${writer.tag} ${n}` },
    }),
  },
  {
    name: 'updateCaseSummary',
    by: 'coordinator',
    event: 'caseSummary.updated',
    // Someone saved a newer version after this writer read it.
    refusals: ['CONFLICT'],
    mutate: async (w, writer, n) => {
      const { caseSummary } = await gql(writer.api).data(
        'query($id: ID!) { caseSummary(id: $id) { version } }',
        { id: w.caseSummaryId },
        { token: writer.token },
      );
      return {
        document: 'mutation($input: UpdateCaseSummaryInput!) { updateCaseSummary(input: $input) { id } }',
        variables: {
          input: {
            id: w.caseSummaryId,
            baseVersion: caseSummary.version,
            sections: { overview: `Overview ${writer.tag} ${n}` },
          },
        },
      };
    },
  },
  {
    name: 'createCaseSummary',
    by: 'coordinator',
    event: 'caseSummary.created',
    rows: { case_summary: 1 },
    mutate: async (w, writer, n) => ({
      document: 'mutation($input: CreateCaseSummaryInput!) { createCaseSummary(input: $input) { id } }',
      variables: { input: { taskForceId: w.taskForceId, caseCode: `RACE-${writer.tag}-${n}`, stage: 'INVESTIGATION' } },
    }),
  },
  {
    name: 'scheduleMeeting',
    by: 'coordinator',
    event: 'meeting.scheduled',
    rows: { meeting: 1, agenda_item: 1 },
    mutate: async (w, writer, n) => {
      const startsAt = new Date(Date.UTC(2027, 0, 10, 9) + n * 3_600_000);
      return {
        document: 'mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }',
        variables: {
          input: {
            taskForceId: w.taskForceId,
            title: `Follow-up ${writer.tag} ${n}`,
            startsAt: startsAt.toISOString(),
            endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
            agenda: [{ title: 'Open items' }],
          },
        },
      };
    },
  },
  {
    name: 'changeMembershipRole',
    by: 'coordinator',
    event: 'membership.roleChanged',
    // A change to the role it already has is no change and records nothing: always flip it.
    mutate: async (w, writer) => {
      const spare = w.spareMemberships[writer.lane];
      const role = spare.role === 'OBSERVER' ? 'MEMBER' : 'OBSERVER';
      return {
        document: 'mutation($input: ChangeMembershipRoleInput!) { changeMembershipRole(input: $input) { id } }',
        variables: { input: { membershipId: spare.id, role } },
        succeeded: () => (spare.role = role),
      };
    },
  },
];

interface Result {
  kind: Kind;
  rows: Record<string, number>;
  event: string;
  ok: boolean;
  error?: GraphQLErrorBody;
}

describe('concurrent writes on one live meeting (PostgreSQL, two api processes)', () => {
  let cluster: PostgresServer;
  let d: Deployment;
  let world: World;
  let coordinators: Writer[] = [];
  let members: Writer[] = [];
  let watcher: SubscriptionWatcher;
  let base: number;
  const results: Result[] = [];

  const apis = () => [d.url('api1'), d.url('api2')];

  beforeAll(async () => {
    cluster = await postgresServer();
    const url = await cluster.createDatabase('hub');
    // The suite writes fast from few members: a per-member limit must not be what refuses a write.
    d = await Deployment.create({
      apps: ['api', 'api'],
      redis: true,
      databaseUrl: url,
      env: { MUTATION_RATE_LIMIT: '100000' },
    });
    const signIn = async (email: string, i: number): Promise<Writer> => {
      const token = await d.signIn(email);
      const { me } = await gql(apis()[0]).data('{ me { id } }', {}, { token });
      return { token, memberId: me.id, tag: email.split('.')[0], api: apis()[i % 2], lane: 0 };
    };
    coordinators = await Promise.all(['anitp.buc@demo.local', 'diicot.buc@demo.local'].map(signIn));
    members = await Promise.all(
      ['police', 'prosecutor', 'ngo', 'social'].map((kind, i) => signIn(`${kind}.buc@demo.local`, i)),
    );
    const boss = coordinators[0];
    const client = gql(apis()[0]);
    const taskForceId = await d.taskForceId('BUC', boss.token);
    const { taskForce } = await client.data(
      'query($id: ID!) { taskForce(id: $id) { members { id role member { email agency { id kind } } } } }',
      { id: taskForceId },
      { token: boss.token },
    );
    type Row = { id: string; role: string; member: { email: string; agency: { id: string } } };
    const spareMemberships = ['court', 'iom', 'other', 'border']
      .map((kind) => taskForce.members.find((m: Row) => m.member.email === `${kind}.buc@demo.local`))
      .map((m: Row) => ({ id: m.id, role: m.role }));
    const ngo = taskForce.members.find((m: { member: { email: string } }) => m.member.email === 'ngo.buc@demo.local');
    const startsAt = new Date(Date.now() + 3_600_000);
    const { scheduleMeeting } = await client.data(
      'mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id agenda { id } } }',
      {
        input: {
          taskForceId,
          title: 'Weekly coordination',
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 7_200_000).toISOString(),
          agenda: [{ title: 'Shelter capacity' }, { title: 'Hearings' }, { title: 'Referrals' }],
        },
      },
      { token: boss.token },
    );
    await client.data(
      'mutation($m: ID!) { startMeeting(meetingId: $m) { id } }',
      { m: scheduleMeeting.id },
      { token: boss.token },
    );
    const { createCaseSummary } = await client.data(
      'mutation($input: CreateCaseSummaryInput!) { createCaseSummary(input: $input) { id } }',
      { input: { taskForceId, caseCode: 'RACE-SHARED', stage: 'INVESTIGATION' } },
      { token: boss.token },
    );
    const { createActionItem } = await client.data(
      'mutation($input: CreateActionItemInput!) { createActionItem(input: $input) { id } }',
      {
        input: { taskForceId, title: 'Shared item', dueOn: '2027-02-01', assignee: { agencyId: ngo.member.agency.id } },
      },
      { token: boss.token },
    );
    world = {
      taskForceId,
      meetingId: scheduleMeeting.id,
      agenda: scheduleMeeting.agenda.map((a: { id: string }) => a.id),
      actionItemId: createActionItem.id,
      caseSummaryId: createCaseSummary.id,
      spareMemberships,
      agencyId: ngo.member.agency.id,
    };
    base = await d.lastCursor(taskForceId);
    watcher = new SubscriptionWatcher('graphql-ws (coordinator, api2)', boss.token, taskForceId);
    watcher.attach(apis()[1], base);
  });

  afterAll(async () => {
    await watcher?.close().catch(() => undefined);
    await d?.dispose();
    await cluster?.dispose();
  });

  /** Runs `writers` at once, each doing `rounds` mutations of its kind; records every outcome. */
  async function race(lanes: { kind: Kind; writer: Writer }[], rounds: number): Promise<Result[]> {
    const outcomes: Result[] = [];
    await Promise.all(
      lanes.map(async ({ kind, writer }) => {
        for (let round = 0; round < rounds; round++) {
          const mutation = await kind.mutate(world, writer, ++sequence);
          const answer = await gql(writer.api).request(mutation.document, mutation.variables, { token: writer.token });
          const outcome: Result = {
            kind,
            rows: mutation.rows ?? kind.rows ?? {},
            event: mutation.event ?? kind.event,
            ok: !answer.errors?.length && answer.status === 200,
            error: answer.errors?.[0],
          };
          if (outcome.ok) mutation.succeeded?.(answer.data);
          else if (kind.refusals?.includes(String(outcome.error?.extensions?.code))) mutation.refused?.();
          outcomes.push(outcome);
        }
      }),
    );
    results.push(...outcomes);
    return outcomes;
  }

  async function rows(table: string): Promise<number> {
    const {
      rows: [{ n }],
    } = await d.pg.query(`select count(*)::int as n from ${table}`);
    return n;
  }

  /** What a batch of races must leave behind: one event per success, of its kind's type, gap-free, rows written once. */
  async function expectConsistent(label: string, run: () => Promise<Result[]>): Promise<void> {
    const tables = [...new Set(['agenda_item', ...KINDS.flatMap((k) => Object.keys(k.rows ?? {}))])];
    const before = Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await rows(t)] as const)));
    const from = await d.lastCursor(world.taskForceId);
    const outcomes = await run();
    const { rows: events } = await d.pg.query(
      'select cursor, type from domain_event where task_force_id = $1 and cursor > $2 order by cursor',
      [world.taskForceId, from],
    );
    const unexpected = outcomes.filter((o) => !o.ok && !o.kind.refusals?.includes(String(o.error?.extensions?.code)));
    expect({
      label,
      unexpected: unexpected.map((o) => `${o.kind.name}: ${o.error?.extensions?.code} ${o.error?.message}`),
    }).toEqual({
      label,
      unexpected: [],
    });
    const expectedTypes: Record<string, number> = {};
    for (const o of outcomes.filter((x) => x.ok)) expectedTypes[o.event] = (expectedTypes[o.event] ?? 0) + 1;
    const recordedTypes: Record<string, number> = {};
    for (const e of events) recordedTypes[e.type] = (recordedTypes[e.type] ?? 0) + 1;
    expect({ label, events: recordedTypes }).toEqual({ label, events: expectedTypes });
    expect(events.map((e) => Number(e.cursor))).toEqual(range(from, from + events.length));
    for (const table of tables) {
      const added = outcomes.filter((o) => o.ok).reduce((sum, o) => sum + (o.rows[table] ?? 0), 0);
      expect({ label, table, added: (await rows(table)) - before[table] }).toEqual({ label, table, added });
    }
  }

  const lanesFor = (kind: Kind, slot: 0 | 1) =>
    Array.from({ length: WRITERS_PER_KIND }, (_, i) => ({
      kind,
      writer: {
        ...(kind.by === 'coordinator' ? coordinators[i] : members[slot * WRITERS_PER_KIND + i]),
        lane: slot * WRITERS_PER_KIND + i,
      },
    }));

  const pairs = KINDS.flatMap((a, i) => KINDS.slice(i).map((b) => [a, b] as const));

  it.each(pairs.map(([a, b]) => [`${a.name} × ${b.name}`, a, b] as const))(
    '%s: no internal error, one event per success, gap-free',
    async (label, a, b) => {
      await expectConsistent(label, () => race([...lanesFor(a, 0), ...lanesFor(b, 1)], ROUNDS));
    },
  );

  it(`every kind at once (${KINDS.length} writers on one meeting): the same holds`, async () => {
    let memberKinds = 0;
    const lanes = KINDS.map((kind, i) => ({
      kind,
      // Each member kind its own member: attendance is toggled by one writer only.
      writer: kind.by === 'coordinator' ? coordinators[i % 2] : members[memberKinds++ % members.length],
    }));
    await expectConsistent('all kinds', () => race(lanes, 5));
  });

  it('live clients got every event once, in order; PostgreSQL logged no deadlock; nothing was masked', async () => {
    const last = await d.lastCursor(world.taskForceId);
    await waitUntil(() => watcher.last() === last, `the live client to reach cursor ${last}`, {
      timeoutMs: 20_000,
      state: () => `${watcher.name}: ${summary(watcher.cursors())}`,
    });
    expect(watcher.cursors()).toEqual(range(base, last));
    await d.logsWritten();
    expect(cluster.output()).not.toMatch(/deadlock detected/);
    expect({ api1: d.maskedErrors('api1'), api2: d.maskedErrors('api2') }).toEqual({ api1: {}, api2: {} });
    // Refusals are allowed only where a race explains them; each kind must also have got through.
    const succeeded = new Set(results.filter((r) => r.ok).map((r) => r.kind.name));
    expect(KINDS.map((k) => k.name).filter((name) => !succeeded.has(name))).toEqual([]);
    const ok = results.filter((r) => r.ok).length;
    const refused: Record<string, number> = {};
    const samples: Record<string, string> = {};
    for (const r of results.filter((x) => !x.ok)) {
      const key = `${r.kind.name} ${r.error?.extensions?.code}`;
      refused[key] = (refused[key] ?? 0) + 1;
      samples[key] ??= r.error?.message ?? '';
    }
    const metrics = await Promise.all(['api1', 'api2'].map((name) => d.metrics(name)));
    const retried = metrics
      .flatMap((text) => [...text.matchAll(/^hub_write_conflicts_total\{outcome="retried"\} (\d+)/gm)])
      .reduce((sum, m) => sum + Number(m[1]), 0);
    console.log(
      `concurrent writes: ${results.length} mutations over ${pairs.length} pairs + 1 round of all kinds; ` +
        `${ok} succeeded, ${results.length - ok} refused by the domain ${JSON.stringify(refused)} ${JSON.stringify(samples)}; ` +
        `${last - base} events; write conflicts retried by the server: ${retried}`,
    );
  });
});
