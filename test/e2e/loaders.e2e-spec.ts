import { AgencyKind, TaskForceRole } from '@hub/access';
import { ActionItem } from '@hub/action-items';
import { AuditRecord } from '@hub/audit';
import { CaseStage, CaseSummary } from '@hub/case-summaries';
import { Agency, Member } from '@hub/identity';
import { AgendaItem, Attendance, AttendanceMode, Decision, Meeting, MeetingStatus, MinuteNote } from '@hub/meetings';
import { TaskForce } from '@hub/task-forces';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { type GraphQLObjectType } from 'graphql';
import { IdentityFactory } from '../factories/identity.factory';
import { countStatements } from '../utils/sql-statements';
import { startTestApp, type TestApp } from '../utils/test-app';

/** Everything a meeting board shows, nested as deep as a client would ask. */
const BOARD = `query($tf: ID!) {
  meetings(taskForceId: $tf, first: 200) { nodes {
    id title taskForce { code }
    agenda { title presenter { displayName agency { name } } caseSummary { caseCode overview } notes { text author { displayName } } }
    currentAgendaItem { title }
    attendance { mode member { displayName agency { kind } } markedBy { displayName } }
    decisions { text recordedBy { displayName } caseSummary { caseCode } actionItems { title } }
    actionItems { title dueOn overdue assigneeMember { displayName agency { name } } assigneeAgency { name } createdBy { displayName } caseSummary { caseCode } }
  } }
}`;

/** A meeting as its screen shows it. */
const MEETING = `query($id: ID!) {
  meeting(id: $id) {
    id title
    agenda { title presenter { displayName agency { name } } notes { text author { displayName } } }
    attendance { mode member { displayName agency { kind } } markedBy { displayName } }
    decisions { text recordedBy { displayName } }
    actionItems { title assigneeMember { displayName agency { name } } assigneeAgency { name } createdBy { displayName } }
  }
}`;

/** Only the overview, which every agency reads unaudited: the audited reads have their own suites. */
const CASE_SUMMARY = `query($id: ID!) {
  caseSummary(id: $id) { caseCode overview updatedBy { displayName agency { kind } } }
}`;

/** Every section, as the case screen asks: the restricted ones read are audited. */
const SECTIONS = `query($id: ID!) {
  caseSummary(id: $id) { caseCode overview investigation prosecution victimSupport readableSections }
}`;

const ACTION_ITEMS = `query($tf: ID!) {
  actionItems(taskForceId: $tf, first: 200) { nodes {
    title assigneeMember { displayName agency { name } } assigneeAgency { name } createdBy { displayName }
  } }
}`;

/**
 * Per-request loaders: the number of SQL statements for a task force's meetings with agendas,
 * attendance, decisions and action items does not grow with the number of meetings.
 */
describe('GraphQL relations go through per-request loaders', () => {
  let app: TestApp;
  let make: IdentityFactory;
  let taskForce: TaskForce;
  let token: string;
  let members: Member[];
  let agency: Agency;
  let summary: CaseSummary;

  beforeAll(async () => {
    app = await startTestApp();
    make = new IdentityFactory(app);
    taskForce = await make.taskForce();
    const coordinator = await make.signedIn(taskForce, TaskForceRole.COORDINATOR, { kind: AgencyKind.POLICE });
    token = coordinator.token;
    agency = await make.agency(AgencyKind.VICTIM_SUPPORT_NGO);
    members = [coordinator.member];
    for (let i = 0; i < 4; i++) {
      const member = await make.member({ agency: i % 2 ? agency : undefined });
      await make.membership(taskForce, member, TaskForceRole.MEMBER);
      members.push(member);
    }
    const em = app.em();
    summary = em.create(CaseSummary, {
      taskForce: em.getReference(TaskForce, taskForce.id),
      caseCode: 'LOAD-1',
      stage: CaseStage.INVESTIGATION,
      exploitationForms: [],
      createdBy: em.getReference(Member, members[0].id),
      updatedBy: em.getReference(Member, members[0].id),
    });
    await em.flush();
  });
  afterAll(() => app.close());

  /** Meetings written straight to the database: 3 agenda items, 2 attendances, notes, a decision and 2 action items each. */
  async function addMeetings(count: number, offset: number): Promise<void> {
    const em = app.em();
    const ref = <T extends object>(entity: new () => T, id: string) =>
      em.getReference(entity as never, id as never) as T;
    for (let n = 0; n < count; n++) {
      const start = new Date(Date.UTC(2026, 11, 1 + offset + n, 9));
      const meeting = em.create(Meeting, {
        taskForce: ref(TaskForce, taskForce.id),
        title: `Meeting ${offset + n}`,
        startsAt: start,
        endsAt: new Date(start.getTime() + 3600_000),
        status: MeetingStatus.LIVE,
        createdBy: ref(Member, members[0].id),
      });
      const items = [0, 1, 2].map((position) =>
        em.create(AgendaItem, {
          meeting,
          position,
          title: `Item ${position}`,
          presenter: ref(Member, members[position + 1].id),
          caseSummary: position === 0 ? ref(CaseSummary, summary.id) : null,
        }),
      );
      meeting.currentAgendaItemId = items[1].id;
      for (const member of members.slice(1, 3))
        em.create(Attendance, {
          meeting,
          member: ref(Member, member.id),
          mode: AttendanceMode.REMOTE,
          markedBy: ref(Member, members[0].id),
        });
      em.create(MinuteNote, { meeting, agendaItem: items[0], author: ref(Member, members[1].id), text: 'A note' });
      const decision = em.create(Decision, {
        meeting,
        agendaItem: items[0],
        text: 'A decision',
        caseSummary: ref(CaseSummary, summary.id),
        recordedBy: ref(Member, members[0].id),
      });
      em.create(ActionItem, {
        taskForce: ref(TaskForce, taskForce.id),
        title: 'For a member',
        dueOn: '2026-12-20',
        assigneeMember: ref(Member, members[1].id),
        meeting,
        decision,
        caseSummary: ref(CaseSummary, summary.id),
        createdBy: ref(Member, members[0].id),
      });
      em.create(ActionItem, {
        taskForce: ref(TaskForce, taskForce.id),
        title: 'For an agency',
        dueOn: '2026-12-21',
        assigneeAgency: ref(Agency, agency.id),
        meeting,
        createdBy: ref(Member, members[0].id),
      });
    }
    await em.flush();
  }

  /** One live meeting with `size` agenda items (a note each), attendances and action items. */
  async function addMeetingOfSize(size: number): Promise<string> {
    const em = app.em();
    const ref = <T extends object>(entity: new () => T, id: string) =>
      em.getReference(entity as never, id as never) as T;
    const start = new Date(Date.UTC(2027, 0, size, 9));
    const meeting = em.create(Meeting, {
      taskForce: ref(TaskForce, taskForce.id),
      title: `Meeting of ${size}`,
      startsAt: start,
      endsAt: new Date(start.getTime() + 3600_000),
      status: MeetingStatus.LIVE,
      createdBy: ref(Member, members[0].id),
    });
    const someone = (n: number) => ref(Member, members[n % members.length].id);
    for (let n = 0; n < size; n++) {
      const item = em.create(AgendaItem, { meeting, position: n, title: `Item ${n}`, presenter: someone(n) });
      em.create(MinuteNote, { meeting, agendaItem: item, author: someone(n + 1), text: `Note ${n}` });
      if (n % 3 === 0)
        em.create(Decision, { meeting, agendaItem: item, text: `Decision ${n}`, recordedBy: someone(0) });
      // A member who left and came back appears again: more attendances than members.
      em.create(Attendance, {
        meeting,
        member: someone(n),
        mode: AttendanceMode.IN_PERSON,
        markedBy: someone(0),
        leftAt: n < size - members.length ? new Date(start.getTime() + n * 60_000) : null,
      });
      em.create(ActionItem, {
        taskForce: ref(TaskForce, taskForce.id),
        title: `Item ${n}`,
        dueOn: '2027-01-20',
        ...(n % 2 ? { assigneeAgency: ref(Agency, agency.id) } : { assigneeMember: someone(n) }),
        meeting,
        createdBy: someone(0),
      });
    }
    await em.flush();
    return meeting.id;
  }

  async function statementsFor(
    query: string,
    variables: Record<string, unknown> = { tf: taskForce.id },
    as = token,
  ): Promise<{ statements: number; data: Record<string, any> }> {
    // Warm the actor cache first: what is counted is the read itself, as every request after a session's first pays it.
    await app.gql.data('{ me { id } }', {}, { token: as });
    // The audit records and transactions a read writes count here; only the background's tables are left out.
    const { statements, result } = await countStatements(
      app.orm,
      () => app.gql.data(query, variables, { token: as }),
      /domain_event|event_cursor/,
    );
    return { statements, data: result };
  }

  it('costs the same number of statements for 5 meetings as for 50', async () => {
    await addMeetings(5, 0);
    const five = await statementsFor(BOARD);
    await addMeetings(45, 5);
    const fifty = await statementsFor(BOARD);
    expect(five.data.meetings.nodes).toHaveLength(5);
    expect(fifty.data.meetings.nodes).toHaveLength(50);
    expect(fifty.statements).toBe(five.statements);
    // The page, then one per wave and relation: the task force, and the meetings' four lists (agenda,
    // attendance, decisions, action items) in one statement; case summaries, notes, the decisions' action
    // items. Members and agencies come joined in with the rows that name them (12 before that, 9 with the
    // four lists apart). Authentication comes from the actor cache, warmed above (2 more on a session's
    // first request).
    expect(five.statements).toBe(6);
  });

  it('reads a meeting in the same statements with 3 agenda items as with 30', async () => {
    const small = await statementsFor(MEETING, { id: await addMeetingOfSize(3) });
    const large = await statementsFor(MEETING, { id: await addMeetingOfSize(30) });
    expect(small.data.meeting.agenda).toHaveLength(3);
    expect(large.data.meeting.agenda).toHaveLength(30);
    expect(large.data.meeting.attendance).toHaveLength(30);
    expect(large.data.meeting.actionItems).toHaveLength(30);
    expect(large.data.meeting.agenda[29].notes[0].author.displayName).toBe(members[0].displayName);
    const forAgency = large.data.meeting.actionItems.filter((i: any) => i.assigneeAgency?.name === agency.name);
    expect(forAgency).toHaveLength(15);
    expect(large.statements).toBe(small.statements);
    // The meeting with its agenda, attendance, decisions and action items, and the members and agencies
    // they name, in one statement (5 before, then 2, the lists a wave after the meeting); then the notes.
    expect(small.statements).toBe(2);
  });

  it('brings the lists in with the meeting whether the query names them directly or through fragments', async () => {
    const id = await addMeetingOfSize(4);
    const query = `query($id: ID!) { meeting(id: $id) { id ...Board ... on Meeting { decisions { text } } } }
      fragment Board on Meeting { title currentAgendaItem { title } attendance { member { displayName } } ...Items }
      fragment Items on Meeting { actionItems { title assigneeAgency { name } } }`;
    const { statements, data } = await statementsFor(query, { id });
    expect(data.meeting.attendance).toHaveLength(4);
    // Same due date, same creation time: their order is by id, so compare them sorted.
    const items = [...data.meeting.actionItems].sort((a: any, b: any) => a.title.localeCompare(b.title));
    expect(items.map((i: any) => i.title)).toEqual(['Item 0', 'Item 1', 'Item 2', 'Item 3']);
    expect(items.map((i: any) => i.assigneeAgency?.name ?? null)).toEqual([null, agency.name, null, agency.name]);
    expect(data.meeting.decisions.map((d: any) => d.text).sort()).toEqual(['Decision 0', 'Decision 3']);
    // currentAgendaItem is found in the agenda the meeting brought in; this meeting has none under discussion.
    expect(data.meeting.currentAgendaItem).toBeNull();
    expect(statements).toBe(1);
    // Without any list, the meeting alone.
    expect((await statementsFor('query($id: ID!) { meeting(id: $id) { title } }', { id })).statements).toBe(1);
  });

  it('hands out no list of a meeting in a task force the reader is not in, however the query asks', async () => {
    const outsider = await make.signedIn(await make.taskForce(), TaskForceRole.COORDINATOR);
    const id = await addMeetingOfSize(2);
    const result = await app.gql.request(
      'query($id: ID!) { meeting(id: $id) { agenda { title } attendance { member { displayName } } actionItems { title } } }',
      { id },
      { token: outsider.token },
    );
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(JSON.stringify(result)).not.toContain('Item 0');
  });

  it('reads a case summary with who updated it in one statement after authentication', async () => {
    const { statements, data } = await statementsFor(CASE_SUMMARY, { id: summary.id });
    expect(data.caseSummary).toMatchObject({
      caseCode: 'LOAD-1',
      overview: expect.any(String),
      updatedBy: { displayName: members[0].displayName, agency: { kind: AgencyKind.POLICE } },
    });
    // The summary with its last editor and their agency joined in (3 before: the member, then their
    // agency, each a wave of its own).
    expect(statements).toBe(1);
  });

  it('reads the sections of a case summary, the restricted ones audited, in two statements', async () => {
    const audited = () =>
      app.em().count(AuditRecord, { subjectId: summary.id, action: 'caseSummary.sectionRead', actorId: members[0].id });
    const before = await audited();
    const { statements, data } = await statementsFor(SECTIONS, { id: summary.id });
    // A police coordinator: the table withholds victim support, and no referral shares it.
    expect(data.caseSummary).toMatchObject({ overview: expect.any(String), victimSupport: null });
    expect(data.caseSummary.readableSections).not.toContain('VICTIM_SUPPORT');
    const read = ['investigation', 'prosecution'].filter((section) => data.caseSummary[section] !== null);
    expect(read.length).toBeGreaterThan(0);
    expect(await audited()).toBe(before + read.length);
    // The summary with what referrals share with the reader (asked in a statement of its own before, once
    // for readableSections and the withheld section together, and twice before that); the audit records of
    // the restricted sections read as one INSERT (BEGIN, INSERT, COMMIT before).
    expect(statements).toBe(2);
  });

  it('lists a task force with 5 action items in the same statements as with 50', async () => {
    const other = await make.taskForce();
    const coordinator = await make.signedIn(other, TaskForceRole.COORDINATOR, { kind: AgencyKind.POLICE });
    const em = app.em();
    const addItems = async (count: number) => {
      for (let n = 0; n < count; n++)
        em.create(ActionItem, {
          taskForce: em.getReference(TaskForce, other.id),
          title: `Item ${n}`,
          dueOn: '2027-02-01',
          ...(n % 2
            ? { assigneeAgency: em.getReference(Agency, agency.id) }
            : { assigneeMember: em.getReference(Member, coordinator.member.id) }),
          createdBy: em.getReference(Member, coordinator.member.id),
        });
      await em.flush();
    };
    const list = () => statementsFor(ACTION_ITEMS, { tf: other.id }, coordinator.token);
    await addItems(5);
    const five = await list();
    await addItems(45);
    const fifty = await list();
    expect(five.data.actionItems.nodes).toHaveLength(5);
    expect(fifty.data.actionItems.nodes).toHaveLength(50);
    expect(fifty.statements).toBe(five.statements);
    // The page, the assigned members with their agencies, the assigned agencies.
    expect(five.statements).toBe(3);
  });

  /**
   * Fields resolved once per row take GraphQL's own arguments, undecorated, so that Nest hands the
   * method to GraphQL as it is (docs/architecture.md, "Field resolvers"): with @Parent() or @Context()
   * each call, per row, went through Nest's pipeline. A decorator added back turns the resolver into
   * Nest's wrapper, which this sees.
   */
  it("resolves the per-row relations of the lists without Nest's per-call pipeline", () => {
    const { schema } = app.app.get(GraphQLSchemaHost);
    const perRow: Record<string, string[]> = {
      Meeting: ['taskForce', 'agenda', 'attendance', 'decisions', 'actionItems'],
      AgendaItem: ['presenter', 'caseSummary', 'notes'],
      Attendance: ['member', 'markedBy'],
      MinuteNote: ['author'],
      Decision: ['recordedBy', 'caseSummary'],
      ActionItem: ['overdue', 'assigneeMember', 'assigneeAgency', 'createdBy', 'caseSummary'],
      Member: ['agency'],
      CaseSummary: ['overview', 'investigation', 'prosecution', 'victimSupport', 'readableSections', 'updatedBy'],
    };
    const wrapped = Object.entries(perRow).flatMap(([type, fields]) =>
      fields
        .map((field) => ({
          field: `${type}.${field}`,
          resolve: (schema.getType(type) as GraphQLObjectType).getFields()[field].resolve,
        }))
        // The method itself, bound (by Nest, then by the schema's builder): "bound bound member". Nest's
        // pipeline is a function of its own, "bound target".
        .filter(({ field, resolve }) => !new RegExp(`^(bound )+${field.split('.')[1]}$`).test(resolve?.name ?? ''))
        .map(({ field }) => field),
    );
    expect(wrapped).toEqual([]);
  });
});
