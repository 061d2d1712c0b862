import { type AbstractSqlConnection } from '@mikro-orm/knex';
import { AgencyKind, TaskForceRole } from '@hub/access';
import { ActionItem } from '@hub/action-items';
import { CaseStage, CaseSummary } from '@hub/case-summaries';
import { Agency, Member } from '@hub/identity';
import { AgendaItem, Attendance, AttendanceMode, Decision, Meeting, MeetingStatus, MinuteNote } from '@hub/meetings';
import { TaskForce } from '@hub/task-forces';
import { IdentityFactory } from '../factories/identity.factory';
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

  async function statementsFor(query: string): Promise<{ statements: number; meetings: number }> {
    const knex = (app.orm.em.getConnection() as AbstractSqlConnection).getKnex();
    let statements = 0;
    // The outbox relay and the event streams poll in the background; only the request's own statements count.
    const count = (q: { sql: string }) => {
      if (/domain_event|event_cursor/.test(q.sql)) return;
      statements++;
      if (process.env.SQL_TRACE) console.log(q.sql.slice(0, 110));
    };
    // Warm the actor cache first: what is counted is the read itself, as every request after a session's first pays it.
    await app.gql.data('{ me { id } }', {}, { token });
    knex.on('query', count);
    try {
      const { meetings } = await app.gql.data(query, { tf: taskForce.id }, { token });
      return { statements, meetings: meetings.nodes.length };
    } finally {
      knex.removeListener('query', count);
    }
  }

  it('costs the same number of statements for 5 meetings as for 50', async () => {
    await addMeetings(5, 0);
    const five = await statementsFor(BOARD);
    await addMeetings(45, 5);
    const fifty = await statementsFor(BOARD);
    expect(five.meetings).toBe(5);
    expect(fifty.meetings).toBe(50);
    expect(fifty.statements).toBe(five.statements);
    // The page and one per relation (authentication comes from the actor cache, warmed above; 2 more on a
    // session's first request): far fewer than one per meeting.
    expect(five.statements).toBeLessThan(20);
  });
});
