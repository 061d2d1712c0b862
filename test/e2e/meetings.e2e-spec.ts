import { AgencyKind, TaskForceRole } from '@hub/access';
import { AuditRecord } from '@hub/audit';
import { type CaseSummary } from '@hub/case-summaries';
import { ENTITIES } from '@hub/database';
import { Agency } from '@hub/identity';
import { AgendaItem, Attendance, Decision, Meeting, MeetingStatus, MinuteNote } from '@hub/meetings';
import { type TaskForce } from '@hub/task-forces';
import ICAL from 'ical.js';
import MarkdownIt from 'markdown-it';
import { invalidCnp, validCnp } from '../factories/cnp';
import { IdentityFactory } from '../factories/identity.factory';
import { day, type MeetingRows, MeetingsFactory } from '../factories/meetings.factory';
import { type GraphQLErrorBody } from '../utils/graphql-client';
import { startTestApp, type TestApp } from '../utils/test-app';

type SignedIn = Awaited<ReturnType<IdentityFactory['signedIn']>>;

// ---------------------------------------------------------------------------------------------
// Operations, as a client writes them
// ---------------------------------------------------------------------------------------------

const MEETING_FIELDS = `id title startsAt endsAt place callLink status startedAt endedAt cancelledAt cancelReason
  taskForce { id code }
  currentAgendaItem { id title startedAt }
  agenda { id position title timeBoxMinutes startedAt presenter { id } caseSummary { id caseCode } }`;
const MEETING = `query($id: ID!) { meeting(id: $id) {
  ${MEETING_FIELDS}
  agenda { id notes { id text createdAt agendaItemId author { id } } }
  attendance { id mode arrivedAt leftAt member { id } markedBy { id } }
  decisions { id text agendaItemId meetingId caseSummary { id caseCode } recordedBy { id } actionItems { id title } }
  actionItems { id title }
} }`;
const MEETINGS = `query($tf: ID!, $filter: MeetingFilterInput, $first: Int, $after: String) {
  meetings(taskForceId: $tf, filter: $filter, first: $first, after: $after) { nodes { id title startsAt status } pageInfo { endCursor hasNextPage } }
}`;
const MINUTES = `query($id: ID!, $language: String) { meetingMinutes(meetingId: $id, language: $language) { filename contentType content } }`;
const SCHEDULE = `mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { ${MEETING_FIELDS} } }`;
const EDIT = `mutation($input: EditMeetingInput!) { editMeeting(input: $input) { ${MEETING_FIELDS} } }`;
const CANCEL = `mutation($id: ID!, $reason: String) { cancelMeeting(meetingId: $id, reason: $reason) { id status cancelledAt cancelReason } }`;
const ADD_ITEM = `mutation($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { id position title timeBoxMinutes presenter { id } caseSummary { id } } }`;
const UPDATE_ITEM = `mutation($input: UpdateAgendaItemInput!) { updateAgendaItem(input: $input) { id position title timeBoxMinutes presenter { id } caseSummary { id caseCode } } }`;
const REMOVE_ITEM = `mutation($id: ID!) { removeAgendaItem(agendaItemId: $id) { id title } }`;
const REORDER = `mutation($id: ID!, $ids: [ID!]!) { reorderAgenda(meetingId: $id, agendaItemIds: $ids) { id position title } }`;
const START = `mutation($id: ID!) { startMeeting(meetingId: $id) { id status startedAt currentAgendaItem { id startedAt } } }`;
const ADVANCE = `mutation($id: ID!, $item: ID) { advanceAgenda(meetingId: $id, agendaItemId: $item) { id status currentAgendaItem { id startedAt } } }`;
const END = `mutation($id: ID!) { endMeeting(meetingId: $id) { id status endedAt currentAgendaItem { id } } }`;
const CHECK_IN = `mutation($id: ID!, $mode: AttendanceMode!, $member: ID) {
  checkIn(meetingId: $id, mode: $mode, memberId: $member) { id mode arrivedAt leftAt member { id } markedBy { id } }
}`;
const CHECK_OUT = `mutation($id: ID!, $member: ID) { checkOut(meetingId: $id, memberId: $member) { id mode arrivedAt leftAt member { id } markedBy { id } } }`;
const NOTE = `mutation($input: MinuteNoteInput!) { addMinuteNote(input: $input) { id text agendaItemId author { id } } }`;
const DECIDE = `mutation($input: DecisionInput!) { recordDecision(input: $input) { id text agendaItemId meetingId caseSummary { id caseCode } recordedBy { id } } }`;
const CREATE_ACTION = `mutation($input: CreateActionItemInput!) {
  createActionItem(input: $input) { id title dueOn priority status meeting { id } decision { id } }
}`;
const CREATE_FEED = 'mutation { createCalendarFeed { url } }';
const REVOKE_FEED = 'mutation { revokeCalendarFeed }';
const CREATE_CASE = `mutation($input: CreateCaseSummaryInput!) { createCaseSummary(input: $input) { id caseCode version } }`;
const UPDATE_CASE = `mutation($input: UpdateCaseSummaryInput!) { updateCaseSummary(input: $input) { id version } }`;

const MISSING = '00000000-0000-4000-8000-000000000000';

const CNP = validCnp();

async function rowCounts(app: TestApp): Promise<Record<string, number>> {
  const em = app.em();
  return Object.fromEntries(
    await Promise.all(ENTITIES.map(async (entity) => [entity.name, await em.count(entity, {})])),
  );
}

/** A call that must be refused: the first error's extensions exactly, no data, and not one row written. */
async function refused(
  app: TestApp,
  query: string,
  variables: Record<string, unknown>,
  token: string,
  extensions: Record<string, unknown>,
): Promise<GraphQLErrorBody> {
  const before = await rowCounts(app);
  const result = await app.gql.request(query, variables, { token });
  expect(result.errors?.[0]?.extensions).toEqual(extensions);
  expect(result.data ?? null).toBeNull();
  expect(JSON.stringify(result)).not.toMatch(/stack|sql|select |insert |at .*\.ts:/i);
  expect(await rowCounts(app)).toEqual(before);
  return result.errors![0];
}

const ids = (rows: { id: string }[]) => rows.map((row) => row.id);

// ---------------------------------------------------------------------------------------------
// Scheduling, agenda, live run, attendance, minutes, decisions, paging, screening, access
// ---------------------------------------------------------------------------------------------

describe('meetings: schedule, agenda, live run, attendance, minutes and decisions', () => {
  let app: TestApp;
  let make: IdentityFactory;
  let meetings: MeetingsFactory;
  let taskForce: TaskForce;
  let otherTaskForce: TaskForce;
  let coordinator: SignedIn;
  let police: SignedIn;
  let ngo: SignedIn;
  let observer: SignedIn;
  let outsider: SignedIn;
  let admin: SignedIn;
  let ourCase: CaseSummary;
  let theirCase: CaseSummary;

  const SECTIONS = {
    overview: 'Overview: a labour exploitation ring on farms near the border.',
    investigation: 'Investigation: wiretaps authorised on the recruiters, surveillance of the depot continues.',
    prosecution: 'Prosecution: indictment of the recruiters is being drafted.',
    victimSupport: 'Victim support: the four victims stay in the protected shelter of the NGO.',
  };

  beforeAll(async () => {
    app = await startTestApp();
    make = new IdentityFactory(app);
    meetings = new MeetingsFactory(app);
    taskForce = await make.taskForce();
    otherTaskForce = await make.taskForce();
    coordinator = await make.signedIn(taskForce, TaskForceRole.COORDINATOR, { kind: AgencyKind.NATIONAL_AGENCY });
    police = await make.signedIn(taskForce, TaskForceRole.MEMBER, { kind: AgencyKind.POLICE });
    ngo = await make.signedIn(taskForce, TaskForceRole.MEMBER, { kind: AgencyKind.VICTIM_SUPPORT_NGO });
    observer = await make.signedIn(taskForce, TaskForceRole.OBSERVER, { kind: AgencyKind.INTERNATIONAL_ORGANISATION });
    outsider = await make.signedIn(otherTaskForce, TaskForceRole.COORDINATOR, { kind: AgencyKind.POLICE });
    admin = await make.signedIn(null, TaskForceRole.MEMBER, { admin: true });
    ourCase = await meetings.caseSummary(taskForce, police.member, { caseCode: 'NV-2026-031', ...SECTIONS });
    theirCase = await meetings.caseSummary(otherTaskForce, outsider.member, { caseCode: 'XX-2026-900' });
  });
  afterAll(() => app.close());

  const scheduleInput = (overrides: Record<string, unknown> = {}) => ({
    taskForceId: taskForce.id,
    title: 'Monthly coordination',
    startsAt: day(10, 8).toISOString(),
    endsAt: day(10, 10).toISOString(),
    place: 'Sala de consiliu, etaj 2',
    callLink: 'https://meet.example.org/lupta-north',
    ...overrides,
  });

  const readMeeting = async (id: string, token = coordinator.token) =>
    (await app.gql.data(MEETING, { id }, { token })).meeting;

  describe('scheduling', () => {
    it('schedules a meeting with an ordered agenda, stored and readable by every role', async () => {
      const before = await rowCounts(app);
      const { scheduleMeeting: meeting } = await app.gql.data(
        SCHEDULE,
        {
          input: scheduleInput({
            agenda: [
              { title: 'Opening and attendance', timeBoxMinutes: 5 },
              { title: 'Case review', presenterId: police.member.id, caseSummaryId: ourCase.id, timeBoxMinutes: 30 },
              { title: 'Victim support update', presenterId: ngo.member.id },
            ],
          }),
        },
        { token: coordinator.token },
      );
      expect(meeting).toMatchObject({
        title: 'Monthly coordination',
        startsAt: day(10, 8).toISOString(),
        endsAt: day(10, 10).toISOString(),
        place: 'Sala de consiliu, etaj 2',
        callLink: 'https://meet.example.org/lupta-north',
        status: 'SCHEDULED',
        startedAt: null,
        endedAt: null,
        cancelledAt: null,
        taskForce: { id: taskForce.id, code: taskForce.code },
        currentAgendaItem: null,
      });
      expect(meeting.agenda).toEqual([
        {
          id: expect.any(String),
          position: 0,
          title: 'Opening and attendance',
          timeBoxMinutes: 5,
          startedAt: null,
          presenter: null,
          caseSummary: null,
        },
        {
          id: expect.any(String),
          position: 1,
          title: 'Case review',
          timeBoxMinutes: 30,
          startedAt: null,
          presenter: { id: police.member.id },
          caseSummary: { id: ourCase.id, caseCode: 'NV-2026-031' },
        },
        {
          id: expect.any(String),
          position: 2,
          title: 'Victim support update',
          timeBoxMinutes: null,
          startedAt: null,
          presenter: { id: ngo.member.id },
          caseSummary: null,
        },
      ]);
      const after = await rowCounts(app);
      expect(after.Meeting).toBe(before.Meeting + 1);
      expect(after.AgendaItem).toBe(before.AgendaItem + 3);
      const row = await app.em().findOneOrFail(Meeting, { id: meeting.id });
      expect(row).toMatchObject({ title: 'Monthly coordination', status: MeetingStatus.SCHEDULED });
      expect(row.createdBy.id).toBe(coordinator.member.id);
      expect(row.taskForce.id).toBe(taskForce.id);

      for (const reader of [police, ngo, observer]) {
        const seen = await readMeeting(meeting.id, reader.token);
        expect(seen).toMatchObject({
          id: meeting.id,
          title: 'Monthly coordination',
          attendance: [],
          decisions: [],
          actionItems: [],
        });
        expect(seen.agenda.map((a: { title: string }) => a.title)).toEqual([
          'Opening and attendance',
          'Case review',
          'Victim support update',
        ]);
      }
    });

    it('schedules a meeting without place, call link or agenda', async () => {
      const { scheduleMeeting } = await app.gql.data(
        SCHEDULE,
        { input: scheduleInput({ place: null, callLink: null }) },
        { token: coordinator.token },
      );
      expect(scheduleMeeting).toMatchObject({ place: null, callLink: null, agenda: [], status: 'SCHEDULED' });
    });

    const badSchedules: [string, () => Record<string, unknown>, Record<string, unknown>][] = [
      [
        'endsAt before startsAt',
        () => scheduleInput({ endsAt: day(10, 7).toISOString() }),
        { code: 'BAD_USER_INPUT', field: 'endsAt' },
      ],
      [
        'endsAt equal to startsAt',
        () => scheduleInput({ endsAt: day(10, 8).toISOString() }),
        { code: 'BAD_USER_INPUT', field: 'endsAt' },
      ],
      [
        'longer than a day',
        () => scheduleInput({ endsAt: day(12, 8).toISOString() }),
        { code: 'BAD_USER_INPUT', field: 'endsAt' },
      ],
      [
        'call link over http',
        () => scheduleInput({ callLink: 'http://meet.example.org/lupta-north' }),
        { code: 'BAD_USER_INPUT', field: 'callLink' },
      ],
      [
        'call link that is a script',
        () => scheduleInput({ callLink: 'javascript:alert(1)' }),
        { code: 'BAD_USER_INPUT', field: 'callLink' },
      ],
      [
        'call link that is not a link',
        () => scheduleInput({ callLink: 'meet me at the usual place' }),
        { code: 'BAD_USER_INPUT', field: 'callLink' },
      ],
      ['empty title', () => scheduleInput({ title: '' }), { code: 'BAD_USER_INPUT', field: 'title' }],
      ['title too long', () => scheduleInput({ title: 't'.repeat(201) }), { code: 'BAD_USER_INPUT', field: 'title' }],
      ['title of spaces only', () => scheduleInput({ title: '   ' }), { code: 'BAD_USER_INPUT', field: 'title' }],
      [
        'agenda item title of spaces only',
        () => scheduleInput({ agenda: [{ title: ' \t ' }] }),
        { code: 'BAD_USER_INPUT', field: 'agenda.0.title' },
      ],
      [
        'task force id not a UUID',
        () => scheduleInput({ taskForceId: 'BUC' }),
        { code: 'BAD_USER_INPUT', field: 'taskForceId' },
      ],
      [
        'presenter from another task force',
        () => scheduleInput({ agenda: [{ title: 'Opening' }, { title: 'Review', presenterId: outsider.member.id }] }),
        { code: 'BAD_USER_INPUT', field: 'agenda.1.presenterId' },
      ],
      [
        'presenter who does not exist',
        () => scheduleInput({ agenda: [{ title: 'Review', presenterId: MISSING }] }),
        { code: 'BAD_USER_INPUT', field: 'agenda.0.presenterId' },
      ],
      [
        'case summary of another task force',
        () =>
          scheduleInput({
            agenda: [{ title: 'Opening' }, { title: 'Review' }, { title: 'Case', caseSummaryId: theirCase.id }],
          }),
        { code: 'BAD_USER_INPUT', field: 'agenda.2.caseSummaryId' },
      ],
      [
        'case summary that does not exist',
        () => scheduleInput({ agenda: [{ title: 'Case', caseSummaryId: MISSING }] }),
        { code: 'BAD_USER_INPUT', field: 'agenda.0.caseSummaryId' },
      ],
      [
        'agenda item without a title',
        () => scheduleInput({ agenda: [{ title: 'Opening' }, { title: '' }] }),
        { code: 'BAD_USER_INPUT', field: 'agenda.1.title' },
      ],
      [
        'time box of zero minutes',
        () => scheduleInput({ agenda: [{ title: 'Opening', timeBoxMinutes: 0 }] }),
        { code: 'BAD_USER_INPUT', field: 'agenda.0.timeBoxMinutes' },
      ],
      [
        'time box over eight hours',
        () => scheduleInput({ agenda: [{ title: 'Opening', timeBoxMinutes: 481 }] }),
        { code: 'BAD_USER_INPUT', field: 'agenda.0.timeBoxMinutes' },
      ],
    ];

    it.each(badSchedules)(
      'refuses a schedule with %s, naming the field and writing nothing',
      async (_, input, extensions) => {
        const error = await refused(app, SCHEDULE, { input: input() }, coordinator.token, extensions);
        expect(error.message).toMatch(/^.{10,}[.)]$/);
      },
    );

    it('edits title, times, place and call link, and refuses an end before the start', async () => {
      const { meeting } = await meetings.meeting(taskForce, coordinator.member, {
        title: 'Draft title',
        startsAt: day(20, 8),
        endsAt: day(20, 9),
        place: 'Old room',
      });
      const { editMeeting } = await app.gql.data(
        EDIT,
        {
          input: {
            meetingId: meeting.id,
            title: '  Quarterly review  ',
            endsAt: day(20, 11).toISOString(),
            place: null,
            callLink: 'https://meet.example.org/q',
          },
        },
        { token: coordinator.token },
      );
      expect(editMeeting).toMatchObject({
        title: 'Quarterly review',
        startsAt: day(20, 8).toISOString(),
        endsAt: day(20, 11).toISOString(),
        place: null,
        callLink: 'https://meet.example.org/q',
        status: 'SCHEDULED',
      });
      const stored = await app.em().findOneOrFail(Meeting, { id: meeting.id });
      expect(stored).toMatchObject({ title: 'Quarterly review', place: null, callLink: 'https://meet.example.org/q' });
      expect(stored.endsAt.toISOString()).toBe(day(20, 11).toISOString());

      // An end before the (unchanged) start, a start after the (unchanged) end, and a plain-http link.
      await refused(
        app,
        EDIT,
        { input: { meetingId: meeting.id, endsAt: day(20, 7).toISOString() } },
        coordinator.token,
        { code: 'BAD_USER_INPUT', field: 'endsAt' },
      );
      await refused(
        app,
        EDIT,
        { input: { meetingId: meeting.id, startsAt: day(20, 12).toISOString() } },
        coordinator.token,
        { code: 'BAD_USER_INPUT', field: 'endsAt' },
      );
      await refused(
        app,
        EDIT,
        { input: { meetingId: meeting.id, callLink: 'http://meet.example.org/q' } },
        coordinator.token,
        { code: 'BAD_USER_INPUT', field: 'callLink' },
      );
      await refused(app, EDIT, { input: { meetingId: meeting.id, title: '' } }, coordinator.token, {
        code: 'BAD_USER_INPUT',
        field: 'title',
      });
      await refused(app, EDIT, { input: { meetingId: meeting.id, title: '   ' } }, coordinator.token, {
        code: 'BAD_USER_INPUT',
        field: 'title',
      });
      const unchanged = await app.em().findOneOrFail(Meeting, { id: meeting.id });
      expect(unchanged.title).toBe('Quarterly review');
      expect(unchanged.startsAt.toISOString()).toBe(day(20, 8).toISOString());
      expect(unchanged.endsAt.toISOString()).toBe(day(20, 11).toISOString());
      expect(unchanged.callLink).toBe('https://meet.example.org/q');

      const missing = await app.gql.error(
        EDIT,
        { input: { meetingId: MISSING, title: 'Ghost' } },
        { token: coordinator.token },
      );
      expect(missing.extensions).toEqual({ code: 'NOT_FOUND' });
    });

    it('cancels a scheduled meeting, and nothing but a scheduled one', async () => {
      const { meeting } = await meetings.meeting(taskForce, coordinator.member, { agenda: ['Opening'] });
      const { cancelMeeting } = await app.gql.data(
        CANCEL,
        { id: meeting.id, reason: 'The court hearing was moved to that morning.' },
        { token: coordinator.token },
      );
      expect(cancelMeeting).toMatchObject({
        id: meeting.id,
        status: 'CANCELLED',
        cancelReason: 'The court hearing was moved to that morning.',
      });
      expect(Date.parse(cancelMeeting.cancelledAt)).toBeGreaterThan(Date.now() - 60_000);
      expect((await app.em().findOneOrFail(Meeting, { id: meeting.id })).status).toBe(MeetingStatus.CANCELLED);

      // A cancelled meeting stays cancelled: no second cancel, no edits, no start, no attendance.
      const cancelled = { code: 'CONFLICT', status: 'CANCELLED' };
      await refused(app, CANCEL, { id: meeting.id }, coordinator.token, cancelled);
      await refused(app, EDIT, { input: { meetingId: meeting.id, title: 'Revived' } }, coordinator.token, cancelled);
      await refused(app, START, { id: meeting.id }, coordinator.token, cancelled);
      await refused(app, CHECK_IN, { id: meeting.id, mode: 'REMOTE' }, police.token, cancelled);
      await refused(
        app,
        ADD_ITEM,
        { input: { meetingId: meeting.id, title: 'Late item' } },
        coordinator.token,
        cancelled,
      );

      // A live or ended meeting cannot be cancelled either.
      const live = await meetings.meeting(taskForce, coordinator.member, {
        status: MeetingStatus.LIVE,
        agenda: ['Opening'],
      });
      await refused(app, CANCEL, { id: live.meeting.id }, coordinator.token, { code: 'CONFLICT', status: 'LIVE' });
      const ended = await meetings.meeting(taskForce, coordinator.member, { status: MeetingStatus.ENDED });
      await refused(app, CANCEL, { id: ended.meeting.id }, coordinator.token, { code: 'CONFLICT', status: 'ENDED' });
      await refused(
        app,
        EDIT,
        { input: { meetingId: ended.meeting.id, title: 'Rewritten history' } },
        coordinator.token,
        { code: 'CONFLICT', status: 'ENDED' },
      );
      expect((await app.em().findOneOrFail(Meeting, { id: live.meeting.id })).status).toBe(MeetingStatus.LIVE);
      expect((await app.em().findOneOrFail(Meeting, { id: ended.meeting.id })).status).toBe(MeetingStatus.ENDED);

      const missing = await app.gql.error(CANCEL, { id: MISSING }, { token: coordinator.token });
      expect(missing.extensions).toEqual({ code: 'NOT_FOUND' });
    });

    it('treats null for a field that cannot be empty as bad input or as no change, never as a server error', async () => {
      const { meeting, agenda } = await meetings.meeting(taskForce, coordinator.member, {
        title: 'Null probe',
        startsAt: day(25, 8),
        endsAt: day(25, 9),
        agenda: ['Kept title'],
      });
      const attempts: [string, string, Record<string, unknown>, string][] = [
        ['editMeeting title', EDIT, { input: { meetingId: meeting.id, title: null } }, 'title'],
        ['editMeeting startsAt', EDIT, { input: { meetingId: meeting.id, startsAt: null } }, 'startsAt'],
        ['editMeeting endsAt', EDIT, { input: { meetingId: meeting.id, endsAt: null } }, 'endsAt'],
        ['updateAgendaItem title', UPDATE_ITEM, { input: { agendaItemId: agenda[0].id, title: null } }, 'title'],
      ];
      const before = await rowCounts(app);
      const outcomes: Record<string, unknown>[] = [];
      const expected: Record<string, unknown>[] = [];
      for (const [what, query, variables, field] of attempts) {
        const result = await app.gql.request(query, variables, { token: coordinator.token });
        outcomes.push({ what, outcome: result.errors ? result.errors[0].extensions : 'unchanged' });
        expected.push({ what, outcome: result.errors ? { code: 'BAD_USER_INPUT', field } : 'unchanged' });
      }
      expect(outcomes).toEqual(expected);
      expect(await rowCounts(app)).toEqual(before);
      const stored = await app.em().findOneOrFail(Meeting, { id: meeting.id });
      expect(stored.title).toBe('Null probe');
      expect(stored.startsAt.toISOString()).toBe(day(25, 8).toISOString());
      expect(stored.endsAt.toISOString()).toBe(day(25, 9).toISOString());
      expect((await app.em().findOneOrFail(AgendaItem, { id: agenda[0].id })).title).toBe('Kept title');
    });

    it('refuses other malformed input with BAD_USER_INPUT', async () => {
      const { meeting } = await meetings.meeting(taskForce, coordinator.member, { agenda: ['Opening'] });
      await refused(
        app,
        SCHEDULE,
        { input: scheduleInput({ agenda: Array.from({ length: 51 }, (_, i) => ({ title: `Item ${i}` })) }) },
        coordinator.token,
        {
          code: 'BAD_USER_INPUT',
          field: 'agenda',
        },
      );
      await refused(app, CANCEL, { id: meeting.id, reason: 'r'.repeat(501) }, coordinator.token, {
        code: 'BAD_USER_INPUT',
        field: 'reason',
      });
      await refused(app, 'query($id: ID!) { meeting(id: $id) { id } }', { id: 'meeting-1' }, coordinator.token, {
        code: 'BAD_USER_INPUT',
        field: 'id',
      });
      await refused(app, START, { id: "1' or '1'='1" }, coordinator.token, {
        code: 'BAD_USER_INPUT',
        field: 'meetingId',
      });
      // A value of the wrong GraphQL type is refused before any resolver runs.
      const before = await rowCounts(app);
      const notADate = await app.gql.request(
        SCHEDULE,
        { input: scheduleInput({ startsAt: 'next tuesday' }) },
        { token: coordinator.token },
      );
      expect(notADate.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(notADate.errors?.[0].message).toContain('startsAt');
      const badMode = await app.gql.request(CHECK_IN, { id: meeting.id, mode: 'TELEPATHIC' }, { token: police.token });
      expect(badMode.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(await rowCounts(app)).toEqual(before);
    });
  });

  describe('concurrent requests', () => {
    it('records one presence when the same member checks in several times at once', async () => {
      const { meeting } = await meetings.meeting(taskForce, coordinator.member, {
        status: MeetingStatus.LIVE,
        agenda: ['Opening'],
      });
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          app.gql.request(CHECK_IN, { id: meeting.id, mode: 'REMOTE' }, { token: police.token }),
        ),
      );
      const codes = results.map((r) => (r.errors ? r.errors[0].extensions?.code : 'OK')).sort();
      expect(codes).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'OK']);
      expect(await app.em().count(Attendance, { meeting: meeting.id, member: police.member.id, leftAt: null })).toBe(1);
    });

    it('keeps agenda positions distinct when items are added at the same time', async () => {
      const { meeting } = await meetings.meeting(taskForce, coordinator.member, { agenda: ['Opening'] });
      const results = await Promise.all(
        ['Two', 'Three', 'Four', 'Five'].map((title) =>
          app.gql.request(ADD_ITEM, { input: { meetingId: meeting.id, title } }, { token: coordinator.token }),
        ),
      );
      // Each request either succeeds or is refused (e.g. CONFLICT, try again); none is a server error.
      for (const result of results) if (result.errors) expect(result.errors[0].extensions?.code).toBe('CONFLICT');
      const positions = (
        await app.em().find(AgendaItem, { meeting: meeting.id }, { orderBy: { position: 'asc' } })
      ).map((a) => a.position);
      expect(positions).toEqual(positions.map((_, i) => i));
      expect(positions.length).toBe(1 + results.filter((r) => !r.errors).length);
    });
  });

  describe('agenda', () => {
    const agendaOf = async (meetingId: string) =>
      (await app.em().find(AgendaItem, { meeting: meetingId }, { orderBy: { position: 'asc' } })).map((a) => ({
        title: a.title,
        position: a.position,
      }));

    it('adds an item at a position or at the end, updates it, and removes one, keeping positions contiguous', async () => {
      const { meeting, agenda } = await meetings.meeting(taskForce, coordinator.member, {
        agenda: ['Alpha', 'Bravo', 'Charlie'],
      });
      const { addAgendaItem: inserted } = await app.gql.data(
        ADD_ITEM,
        {
          input: {
            meetingId: meeting.id,
            position: 1,
            title: 'Inserted',
            presenterId: police.member.id,
            caseSummaryId: ourCase.id,
            timeBoxMinutes: 15,
          },
        },
        { token: coordinator.token },
      );
      expect(inserted).toEqual({
        id: expect.any(String),
        position: 1,
        title: 'Inserted',
        timeBoxMinutes: 15,
        presenter: { id: police.member.id },
        caseSummary: { id: ourCase.id },
      });
      const { addAgendaItem: last } = await app.gql.data(
        ADD_ITEM,
        { input: { meetingId: meeting.id, title: 'Any other business' } },
        { token: coordinator.token },
      );
      expect(last.position).toBe(4);
      const { addAgendaItem: first } = await app.gql.data(
        ADD_ITEM,
        { input: { meetingId: meeting.id, title: 'Welcome', position: 0 } },
        { token: coordinator.token },
      );
      expect(first.position).toBe(0);
      expect(await agendaOf(meeting.id)).toEqual(
        ['Welcome', 'Alpha', 'Inserted', 'Bravo', 'Charlie', 'Any other business'].map((title, position) => ({
          title,
          position,
        })),
      );
      const seen = await readMeeting(meeting.id);
      expect(seen.agenda.map((a: { title: string; position: number }) => [a.position, a.title])).toEqual([
        [0, 'Welcome'],
        [1, 'Alpha'],
        [2, 'Inserted'],
        [3, 'Bravo'],
        [4, 'Charlie'],
        [5, 'Any other business'],
      ]);

      // A position past the end, or negative, is refused.
      await refused(
        app,
        ADD_ITEM,
        { input: { meetingId: meeting.id, title: 'Too far', position: 7 } },
        coordinator.token,
        { code: 'BAD_USER_INPUT', field: 'position' },
      );
      await refused(
        app,
        ADD_ITEM,
        { input: { meetingId: meeting.id, title: 'Negative', position: -1 } },
        coordinator.token,
        { code: 'BAD_USER_INPUT', field: 'position' },
      );
      await refused(
        app,
        ADD_ITEM,
        { input: { meetingId: meeting.id, title: 'Foreign', presenterId: outsider.member.id } },
        coordinator.token,
        {
          code: 'BAD_USER_INPUT',
          field: 'item.presenterId',
        },
      );
      await refused(
        app,
        ADD_ITEM,
        { input: { meetingId: meeting.id, title: 'Foreign', caseSummaryId: theirCase.id } },
        coordinator.token,
        {
          code: 'BAD_USER_INPUT',
          field: 'item.caseSummaryId',
        },
      );
      expect(await agendaOf(meeting.id)).toHaveLength(6);

      // Update: every field, then clearing the links.
      const { updateAgendaItem: updated } = await app.gql.data(
        UPDATE_ITEM,
        {
          input: {
            agendaItemId: agenda[0].id,
            title: 'Alpha, revised',
            presenterId: ngo.member.id,
            caseSummaryId: ourCase.id,
            timeBoxMinutes: 45,
          },
        },
        { token: coordinator.token },
      );
      expect(updated).toEqual({
        id: agenda[0].id,
        position: 1,
        title: 'Alpha, revised',
        timeBoxMinutes: 45,
        presenter: { id: ngo.member.id },
        caseSummary: { id: ourCase.id, caseCode: ourCase.caseCode },
      });
      const { updateAgendaItem: cleared } = await app.gql.data(
        UPDATE_ITEM,
        { input: { agendaItemId: agenda[0].id, presenterId: null, caseSummaryId: null } },
        { token: coordinator.token },
      );
      expect(cleared).toMatchObject({
        title: 'Alpha, revised',
        timeBoxMinutes: 45,
        presenter: null,
        caseSummary: null,
      });
      await refused(
        app,
        UPDATE_ITEM,
        { input: { agendaItemId: agenda[0].id, presenterId: outsider.member.id } },
        coordinator.token,
        {
          code: 'BAD_USER_INPUT',
          field: 'item.presenterId',
        },
      );
      await refused(
        app,
        UPDATE_ITEM,
        { input: { agendaItemId: agenda[0].id, caseSummaryId: theirCase.id } },
        coordinator.token,
        {
          code: 'BAD_USER_INPUT',
          field: 'item.caseSummaryId',
        },
      );
      await refused(app, UPDATE_ITEM, { input: { agendaItemId: agenda[0].id, timeBoxMinutes: 0 } }, coordinator.token, {
        code: 'BAD_USER_INPUT',
        field: 'timeBoxMinutes',
      });
      const stored = await app.em().findOneOrFail(AgendaItem, { id: agenda[0].id });
      expect(stored).toMatchObject({ title: 'Alpha, revised', timeBoxMinutes: 45, presenter: null, caseSummary: null });

      // Remove: later items move up.
      const { removeAgendaItem } = await app.gql.data(REMOVE_ITEM, { id: agenda[1].id }, { token: coordinator.token });
      expect(removeAgendaItem).toEqual({ id: agenda[1].id, title: 'Bravo' });
      expect(await app.em().count(AgendaItem, { id: agenda[1].id })).toBe(0);
      expect(await agendaOf(meeting.id)).toEqual(
        ['Welcome', 'Alpha, revised', 'Inserted', 'Charlie', 'Any other business'].map((title, position) => ({
          title,
          position,
        })),
      );

      const gone = await app.gql.error(REMOVE_ITEM, { id: agenda[1].id }, { token: coordinator.token });
      expect(gone.extensions).toEqual({ code: 'NOT_FOUND' });
      expect(
        (
          await app.gql.error(
            UPDATE_ITEM,
            { input: { agendaItemId: MISSING, title: 'Ghost' } },
            { token: coordinator.token },
          )
        ).extensions,
      ).toEqual({ code: 'NOT_FOUND' });
    });

    it('keeps an item with notes or decisions, and the one under discussion, on the agenda', async () => {
      const { meeting, agenda } = await meetings.meeting(taskForce, coordinator.member, {
        status: MeetingStatus.LIVE,
        agenda: ['Discussed', 'Decided', 'Current', 'Untouched'],
      });
      await app.gql.data(
        NOTE,
        {
          input: {
            meetingId: meeting.id,
            agendaItemId: agenda[0].id,
            text: 'The labour inspectorate visited two farms.',
          },
        },
        { token: police.token },
      );
      await app.gql.data(
        DECIDE,
        { input: { meetingId: meeting.id, agendaItemId: agenda[1].id, text: 'Ask the prosecutor for a joint team.' } },
        { token: coordinator.token },
      );
      await app.gql.data(ADVANCE, { id: meeting.id, item: agenda[2].id }, { token: coordinator.token });

      const withNotes = await refused(app, REMOVE_ITEM, { id: agenda[0].id }, coordinator.token, {
        code: 'CONFLICT',
        field: 'agendaItemId',
      });
      expect(withNotes.message).toMatch(/minutes or decisions/);
      await refused(app, REMOVE_ITEM, { id: agenda[1].id }, coordinator.token, {
        code: 'CONFLICT',
        field: 'agendaItemId',
      });
      await refused(app, REMOVE_ITEM, { id: agenda[2].id }, coordinator.token, {
        code: 'CONFLICT',
        field: 'agendaItemId',
      });
      expect(await app.em().count(AgendaItem, { meeting: meeting.id })).toBe(4);

      await app.gql.data(REMOVE_ITEM, { id: agenda[3].id }, { token: coordinator.token });
      expect(await agendaOf(meeting.id)).toEqual(
        ['Discussed', 'Decided', 'Current'].map((title, position) => ({ title, position })),
      );
    });

    it('reorders the agenda only when the list names every item exactly once', async () => {
      const { meeting, agenda } = await meetings.meeting(taskForce, coordinator.member, {
        agenda: ['A', 'B', 'C', 'D'],
      });
      const [a, b, c, d] = ids(agenda);
      const { reorderAgenda } = await app.gql.data(
        REORDER,
        { id: meeting.id, ids: [c, a, d, b] },
        { token: coordinator.token },
      );
      expect(reorderAgenda).toEqual([
        { id: c, position: 0, title: 'C' },
        { id: a, position: 1, title: 'A' },
        { id: d, position: 2, title: 'D' },
        { id: b, position: 3, title: 'B' },
      ]);
      expect(ids((await readMeeting(meeting.id)).agenda)).toEqual([c, a, d, b]);

      const foreign = await meetings.meeting(taskForce, coordinator.member, { agenda: ['Elsewhere'] });
      const wrongLists = [
        [c, a, d], // one missing
        [c, a, d, b, a], // one twice
        [c, a, d, a], // a duplicate in place of one
        [c, a, d, foreign.agenda[0].id], // an item of another meeting
        [c, a, d, b, MISSING], // one that does not exist
        [],
      ];
      for (const list of wrongLists) {
        const error = await refused(app, REORDER, { id: meeting.id, ids: list }, coordinator.token, {
          code: 'BAD_USER_INPUT',
          field: 'agendaItemIds',
        });
        expect(error.message).toContain('exactly once');
      }
      await refused(app, REORDER, { id: meeting.id, ids: [c, a, d, 'not-a-uuid'] }, coordinator.token, {
        code: 'BAD_USER_INPUT',
        field: 'agendaItemIds',
      });
      expect(await agendaOf(meeting.id)).toEqual(['C', 'A', 'D', 'B'].map((title, position) => ({ title, position })));

      const ended = await meetings.meeting(taskForce, coordinator.member, {
        status: MeetingStatus.ENDED,
        agenda: ['X', 'Y'],
      });
      await refused(
        app,
        REORDER,
        { id: ended.meeting.id, ids: [ended.agenda[1].id, ended.agenda[0].id] },
        coordinator.token,
        { code: 'CONFLICT', status: 'ENDED' },
      );
    });
  });

  describe('live run', () => {
    it('starts on the first item, moves to the next and to a chosen one, refuses to go past the last, and ends', async () => {
      const { meeting, agenda } = await meetings.meeting(taskForce, coordinator.member, {
        agenda: ['Opening', 'Cases', 'Shelters', 'Closing'],
      });
      const [opening, cases, shelters, closing] = ids(agenda);
      await refused(app, ADVANCE, { id: meeting.id }, coordinator.token, { code: 'CONFLICT', status: 'SCHEDULED' });
      await refused(app, END, { id: meeting.id }, coordinator.token, { code: 'CONFLICT', status: 'SCHEDULED' });
      // Someone arrives before the start, someone comes and goes.
      await app.gql.data(CHECK_IN, { id: meeting.id, mode: 'IN_PERSON' }, { token: police.token });
      await app.gql.data(CHECK_IN, { id: meeting.id, mode: 'REMOTE' }, { token: ngo.token });
      const { checkOut: leftEarly } = await app.gql.data(CHECK_OUT, { id: meeting.id }, { token: ngo.token });

      const beforeStart = Date.now();
      const { startMeeting } = await app.gql.data(START, { id: meeting.id }, { token: coordinator.token });
      expect(startMeeting).toMatchObject({ status: 'LIVE', currentAgendaItem: { id: opening } });
      expect(Date.parse(startMeeting.startedAt)).toBeGreaterThanOrEqual(beforeStart - 1000);
      expect(startMeeting.currentAgendaItem.startedAt).not.toBeNull();
      await refused(app, START, { id: meeting.id }, coordinator.token, { code: 'CONFLICT', status: 'LIVE' });

      const { advanceAgenda: next } = await app.gql.data(ADVANCE, { id: meeting.id }, { token: coordinator.token });
      expect(next).toMatchObject({ status: 'LIVE', currentAgendaItem: { id: cases } });
      const { advanceAgenda: chosen } = await app.gql.data(
        ADVANCE,
        { id: meeting.id, item: closing },
        { token: coordinator.token },
      );
      expect(chosen.currentAgendaItem.id).toBe(closing);
      const pastLast = await refused(app, ADVANCE, { id: meeting.id }, coordinator.token, { code: 'CONFLICT' });
      expect(pastLast.message).toMatch(/last agenda item/);
      const { advanceAgenda: back } = await app.gql.data(
        ADVANCE,
        { id: meeting.id, item: shelters },
        { token: coordinator.token },
      );
      expect(back.currentAgendaItem.id).toBe(shelters);
      const { advanceAgenda: afterBack } = await app.gql.data(
        ADVANCE,
        { id: meeting.id },
        { token: coordinator.token },
      );
      expect(afterBack.currentAgendaItem.id).toBe(closing);

      // An item of another meeting, or one that does not exist, is not on this agenda.
      const foreign = await meetings.meeting(taskForce, coordinator.member, { agenda: ['Elsewhere'] });
      await refused(app, ADVANCE, { id: meeting.id, item: foreign.agenda[0].id }, coordinator.token, {
        code: 'BAD_USER_INPUT',
        field: 'agendaItemId',
      });
      await refused(app, ADVANCE, { id: meeting.id, item: MISSING }, coordinator.token, {
        code: 'BAD_USER_INPUT',
        field: 'agendaItemId',
      });
      await refused(app, ADVANCE, { id: meeting.id, item: 'first' }, coordinator.token, {
        code: 'BAD_USER_INPUT',
        field: 'agendaItemId',
      });
      expect((await app.em().findOneOrFail(Meeting, { id: meeting.id })).currentAgendaItemId).toBe(closing);

      const live = await readMeeting(meeting.id, observer.token);
      expect(live).toMatchObject({ status: 'LIVE', currentAgendaItem: { id: closing, title: 'Closing' } });
      expect(live.agenda.every((a: { startedAt: string | null }) => a.startedAt !== null)).toBe(true);

      const { endMeeting } = await app.gql.data(END, { id: meeting.id }, { token: coordinator.token });
      expect(endMeeting).toMatchObject({ status: 'ENDED', currentAgendaItem: null });
      const endedAt = endMeeting.endedAt as string;
      expect(Date.parse(endedAt)).toBeGreaterThanOrEqual(Date.parse(startMeeting.startedAt));

      // Whoever was still in the room left when it ended; the earlier departure keeps its time.
      const attendance = (await readMeeting(meeting.id)).attendance;
      expect(attendance).toHaveLength(2);
      const policeRow = attendance.find((a: { member: { id: string } }) => a.member.id === police.member.id);
      const ngoRow = attendance.find((a: { member: { id: string } }) => a.member.id === ngo.member.id);
      expect(policeRow.leftAt).toBe(endedAt);
      expect(ngoRow.leftAt).toBe(leftEarly.leftAt);
      expect(await app.em().count(Attendance, { meeting: meeting.id, leftAt: null })).toBe(0);

      await refused(app, END, { id: meeting.id }, coordinator.token, { code: 'CONFLICT', status: 'ENDED' });
      await refused(app, ADVANCE, { id: meeting.id }, coordinator.token, { code: 'CONFLICT', status: 'ENDED' });
      await refused(app, START, { id: meeting.id }, coordinator.token, { code: 'CONFLICT', status: 'ENDED' });
      await refused(app, CHECK_IN, { id: meeting.id, mode: 'REMOTE' }, police.token, {
        code: 'CONFLICT',
        status: 'ENDED',
      });
    });

    it('follows the new order after the agenda is reordered or added to while live', async () => {
      const { meeting, agenda } = await meetings.meeting(taskForce, coordinator.member, {
        status: MeetingStatus.LIVE,
        agenda: ['A', 'B', 'C'],
      });
      const [a, b, c] = ids(agenda);
      await app.gql.data(REORDER, { id: meeting.id, ids: [a, c, b] }, { token: coordinator.token });
      expect(
        (await app.gql.data(ADVANCE, { id: meeting.id }, { token: coordinator.token })).advanceAgenda.currentAgendaItem
          .id,
      ).toBe(c);
      const { addAgendaItem } = await app.gql.data(
        ADD_ITEM,
        { input: { meetingId: meeting.id, title: 'Urgent', position: 2 } },
        { token: coordinator.token },
      );
      expect(
        (await app.gql.data(ADVANCE, { id: meeting.id }, { token: coordinator.token })).advanceAgenda.currentAgendaItem
          .id,
      ).toBe(addAgendaItem.id);
      expect(
        (await app.gql.data(ADVANCE, { id: meeting.id }, { token: coordinator.token })).advanceAgenda.currentAgendaItem
          .id,
      ).toBe(b);
      await refused(app, ADVANCE, { id: meeting.id }, coordinator.token, { code: 'CONFLICT' });
    });

    it('starts a meeting with an empty agenda with no current item, and cannot advance it', async () => {
      const { meeting } = await meetings.meeting(taskForce, coordinator.member);
      const { startMeeting } = await app.gql.data(START, { id: meeting.id }, { token: coordinator.token });
      expect(startMeeting).toMatchObject({ status: 'LIVE', currentAgendaItem: null });
      const empty = await refused(app, ADVANCE, { id: meeting.id }, coordinator.token, { code: 'CONFLICT' });
      expect(empty.message).toMatch(/empty/);
    });
  });

  describe('attendance', () => {
    it('keeps each arrival and departure with its time: check in remotely, leave, come back in person', async () => {
      const { meeting } = await meetings.meeting(taskForce, coordinator.member, {
        status: MeetingStatus.LIVE,
        agenda: ['Opening'],
      });
      const { checkIn: first } = await app.gql.data(
        CHECK_IN,
        { id: meeting.id, mode: 'REMOTE' },
        { token: police.token },
      );
      expect(first).toMatchObject({
        mode: 'REMOTE',
        leftAt: null,
        member: { id: police.member.id },
        markedBy: { id: police.member.id },
      });

      const twice = await refused(app, CHECK_IN, { id: meeting.id, mode: 'IN_PERSON' }, police.token, {
        code: 'CONFLICT',
        field: 'memberId',
      });
      expect(twice.message).toMatch(/Already checked in/);

      const { checkOut } = await app.gql.data(CHECK_OUT, { id: meeting.id }, { token: police.token });
      expect(checkOut).toMatchObject({ id: first.id, mode: 'REMOTE', arrivedAt: first.arrivedAt });
      expect(checkOut.leftAt).not.toBeNull();
      await refused(app, CHECK_OUT, { id: meeting.id }, police.token, { code: 'CONFLICT', field: 'memberId' });

      const { checkIn: second } = await app.gql.data(
        CHECK_IN,
        { id: meeting.id, mode: 'IN_PERSON' },
        { token: police.token },
      );
      expect(second.id).not.toBe(first.id);
      expect(second).toMatchObject({ mode: 'IN_PERSON', leftAt: null });

      const records = (await readMeeting(meeting.id, ngo.token)).attendance;
      expect(records).toEqual([
        {
          id: first.id,
          mode: 'REMOTE',
          arrivedAt: first.arrivedAt,
          leftAt: checkOut.leftAt,
          member: { id: police.member.id },
          markedBy: { id: police.member.id },
        },
        {
          id: second.id,
          mode: 'IN_PERSON',
          arrivedAt: second.arrivedAt,
          leftAt: null,
          member: { id: police.member.id },
          markedBy: { id: police.member.id },
        },
      ]);
      expect(Date.parse(first.arrivedAt)).toBeLessThanOrEqual(Date.parse(checkOut.leftAt));
      expect(Date.parse(checkOut.leftAt)).toBeLessThanOrEqual(Date.parse(second.arrivedAt));
      const rows = await app
        .em()
        .find(Attendance, { meeting: meeting.id, member: police.member.id }, { orderBy: { arrivedAt: 'asc' } });
      expect(rows.map((r) => [r.mode, r.arrivedAt.toISOString(), r.leftAt?.toISOString() ?? null])).toEqual([
        ['REMOTE', first.arrivedAt, checkOut.leftAt],
        ['IN_PERSON', second.arrivedAt, null],
      ]);
    });

    it('lets the coordinator mark others in and out, but not a member, and only members of the task force', async () => {
      const { meeting } = await meetings.meeting(taskForce, coordinator.member, { agenda: ['Opening'] });
      const { checkIn } = await app.gql.data(
        CHECK_IN,
        { id: meeting.id, mode: 'IN_PERSON', member: ngo.member.id },
        { token: coordinator.token },
      );
      expect(checkIn).toMatchObject({
        mode: 'IN_PERSON',
        member: { id: ngo.member.id },
        markedBy: { id: coordinator.member.id },
      });
      await refused(app, CHECK_IN, { id: meeting.id, mode: 'REMOTE', member: ngo.member.id }, coordinator.token, {
        code: 'CONFLICT',
        field: 'memberId',
      });

      // A member may not record someone else, in or out.
      await refused(app, CHECK_IN, { id: meeting.id, mode: 'REMOTE', member: observer.member.id }, police.token, {
        code: 'FORBIDDEN',
      });
      await refused(app, CHECK_OUT, { id: meeting.id, member: ngo.member.id }, police.token, { code: 'FORBIDDEN' });
      expect((await app.em().findOneOrFail(Attendance, { id: checkIn.id })).leftAt).toBeNull();

      // Someone outside the task force, or no one at all, cannot be marked.
      await refused(app, CHECK_IN, { id: meeting.id, mode: 'REMOTE', member: outsider.member.id }, coordinator.token, {
        code: 'BAD_USER_INPUT',
        field: 'memberId',
      });
      await refused(app, CHECK_IN, { id: meeting.id, mode: 'REMOTE', member: MISSING }, coordinator.token, {
        code: 'BAD_USER_INPUT',
        field: 'memberId',
      });
      await refused(app, CHECK_IN, { id: meeting.id, mode: 'REMOTE', member: 'ngo' }, coordinator.token, {
        code: 'BAD_USER_INPUT',
        field: 'memberId',
      });

      const { checkOut } = await app.gql.data(
        CHECK_OUT,
        { id: meeting.id, member: ngo.member.id },
        { token: coordinator.token },
      );
      expect(checkOut).toMatchObject({ id: checkIn.id, member: { id: ngo.member.id } });
      expect(checkOut.leftAt).not.toBeNull();

      // An observer checks themselves in.
      const { checkIn: observed } = await app.gql.data(
        CHECK_IN,
        { id: meeting.id, mode: 'REMOTE' },
        { token: observer.token },
      );
      expect(observed).toMatchObject({
        mode: 'REMOTE',
        member: { id: observer.member.id },
        markedBy: { id: observer.member.id },
      });
      expect(await app.em().count(Attendance, { meeting: meeting.id })).toBe(2);
    });
  });

  describe('minutes and decisions', () => {
    it('collects notes from several people, decisions linking a case summary, and the action items they give rise to', async () => {
      const { meeting, agenda } = await meetings.meeting(taskForce, coordinator.member, {
        agenda: ['Case review', 'Shelters'],
      });
      const [review, shelters] = ids(agenda);
      await refused(
        app,
        NOTE,
        { input: { meetingId: meeting.id, agendaItemId: review, text: 'Too early.' } },
        police.token,
        { code: 'CONFLICT', status: 'SCHEDULED' },
      );
      await refused(
        app,
        DECIDE,
        { input: { meetingId: meeting.id, agendaItemId: review, text: 'Too early.' } },
        coordinator.token,
        { code: 'CONFLICT', status: 'SCHEDULED' },
      );
      await app.gql.data(START, { id: meeting.id }, { token: coordinator.token });

      const { addMinuteNote: one } = await app.gql.data(
        NOTE,
        { input: { meetingId: meeting.id, agendaItemId: review, text: 'Two recruiters identified.' } },
        { token: police.token },
      );
      expect(one).toEqual({
        id: expect.any(String),
        text: 'Two recruiters identified.',
        agendaItemId: review,
        author: { id: police.member.id },
      });
      const { addMinuteNote: two } = await app.gql.data(
        NOTE,
        { input: { meetingId: meeting.id, agendaItemId: review, text: 'Victims agree to testify.' } },
        { token: ngo.token },
      );
      const { addMinuteNote: three } = await app.gql.data(
        NOTE,
        { input: { meetingId: meeting.id, agendaItemId: review, text: 'Follow up next month.' } },
        { token: coordinator.token },
      );
      await refused(
        app,
        NOTE,
        { input: { meetingId: meeting.id, agendaItemId: MISSING, text: 'Lost note.' } },
        police.token,
        { code: 'BAD_USER_INPUT', field: 'agendaItemId' },
      );
      const foreign = await meetings.meeting(taskForce, coordinator.member, { agenda: ['Elsewhere'] });
      await refused(
        app,
        NOTE,
        { input: { meetingId: meeting.id, agendaItemId: foreign.agenda[0].id, text: 'Wrong meeting.' } },
        police.token,
        {
          code: 'BAD_USER_INPUT',
          field: 'agendaItemId',
        },
      );
      await refused(app, NOTE, { input: { meetingId: meeting.id, agendaItemId: review, text: '' } }, police.token, {
        code: 'BAD_USER_INPUT',
        field: 'text',
      });
      await refused(
        app,
        NOTE,
        { input: { meetingId: meeting.id, agendaItemId: review, text: '  \n ' } },
        police.token,
        { code: 'BAD_USER_INPUT', field: 'text' },
      );
      await refused(
        app,
        NOTE,
        { input: { meetingId: meeting.id, agendaItemId: review, text: 'x'.repeat(5001) } },
        police.token,
        { code: 'BAD_USER_INPUT', field: 'text' },
      );

      const { recordDecision: decision } = await app.gql.data(
        DECIDE,
        {
          input: {
            meetingId: meeting.id,
            agendaItemId: review,
            text: 'Request a joint investigation team.',
            caseSummaryId: ourCase.id,
          },
        },
        { token: coordinator.token },
      );
      expect(decision).toEqual({
        id: expect.any(String),
        text: 'Request a joint investigation team.',
        agendaItemId: review,
        meetingId: meeting.id,
        caseSummary: { id: ourCase.id, caseCode: ourCase.caseCode },
        recordedBy: { id: coordinator.member.id },
      });
      const { recordDecision: plain } = await app.gql.data(
        DECIDE,
        { input: { meetingId: meeting.id, agendaItemId: shelters, text: 'Keep the shelter places open.' } },
        { token: coordinator.token },
      );
      expect(plain.caseSummary).toBeNull();
      await refused(
        app,
        DECIDE,
        { input: { meetingId: meeting.id, agendaItemId: review, text: 'Foreign case.', caseSummaryId: theirCase.id } },
        coordinator.token,
        {
          code: 'BAD_USER_INPUT',
          field: 'caseSummaryId',
        },
      );
      await refused(
        app,
        DECIDE,
        { input: { meetingId: meeting.id, agendaItemId: review, text: '   ' } },
        coordinator.token,
        { code: 'BAD_USER_INPUT', field: 'text' },
      );
      await refused(
        app,
        DECIDE,
        { input: { meetingId: meeting.id, agendaItemId: foreign.agenda[0].id, text: 'Wrong item.' } },
        coordinator.token,
        {
          code: 'BAD_USER_INPUT',
          field: 'agendaItemId',
        },
      );

      // An action item that arose from the decision belongs to it and to its meeting.
      const dueOn = day(30).toISOString().slice(0, 10);
      const { createActionItem: action } = await app.gql.data(
        CREATE_ACTION,
        {
          input: {
            taskForceId: taskForce.id,
            title: 'Draft the joint team request',
            dueOn,
            assignee: { memberId: police.member.id },
            decisionId: decision.id,
          },
        },
        { token: coordinator.token },
      );
      expect(action).toMatchObject({
        title: 'Draft the joint team request',
        dueOn,
        meeting: { id: meeting.id },
        decision: { id: decision.id },
      });
      await refused(
        app,
        CREATE_ACTION,
        {
          input: {
            taskForceId: taskForce.id,
            title: 'Mismatched',
            dueOn,
            assignee: { memberId: police.member.id },
            decisionId: decision.id,
            meetingId: foreign.meeting.id,
          },
        },
        coordinator.token,
        { code: 'BAD_USER_INPUT', field: 'meetingId' },
      );
      // A decision of another task force cannot be linked from there.
      await refused(
        app,
        CREATE_ACTION,
        {
          input: {
            taskForceId: otherTaskForce.id,
            title: 'Borrowed decision',
            dueOn,
            assignee: { memberId: outsider.member.id },
            decisionId: decision.id,
          },
        },
        outsider.token,
        { code: 'BAD_USER_INPUT', field: 'decisionId' },
      );

      // Notes can still be appended once the meeting has ended.
      await app.gql.data(END, { id: meeting.id }, { token: coordinator.token });
      const { addMinuteNote: late } = await app.gql.data(
        NOTE,
        { input: { meetingId: meeting.id, agendaItemId: shelters, text: 'Shelter confirmed after the meeting.' } },
        { token: ngo.token },
      );

      const seen = await readMeeting(meeting.id, ngo.token);
      const reviewItem = seen.agenda.find((a: { id: string }) => a.id === review);
      expect(
        reviewItem.notes.map((n: { id: string; text: string; author: { id: string } }) => [n.id, n.text, n.author.id]),
      ).toEqual([
        [one.id, 'Two recruiters identified.', police.member.id],
        [two.id, 'Victims agree to testify.', ngo.member.id],
        [three.id, 'Follow up next month.', coordinator.member.id],
      ]);
      const noteTimes = reviewItem.notes.map((n: { createdAt: string }) => Date.parse(n.createdAt));
      expect([...noteTimes].sort((x, y) => x - y)).toEqual(noteTimes);
      expect(seen.agenda.find((a: { id: string }) => a.id === shelters).notes.map((n: { id: string }) => n.id)).toEqual(
        [late.id],
      );
      expect(seen.decisions).toEqual([
        {
          id: decision.id,
          text: 'Request a joint investigation team.',
          agendaItemId: review,
          meetingId: meeting.id,
          caseSummary: { id: ourCase.id, caseCode: ourCase.caseCode },
          recordedBy: { id: coordinator.member.id },
          actionItems: [{ id: action.id, title: 'Draft the joint team request' }],
        },
        {
          id: plain.id,
          text: 'Keep the shelter places open.',
          agendaItemId: shelters,
          meetingId: meeting.id,
          caseSummary: null,
          recordedBy: { id: coordinator.member.id },
          actionItems: [],
        },
      ]);
      expect(seen.actionItems).toEqual([{ id: action.id, title: 'Draft the joint team request' }]);
      expect(await app.em().count(MinuteNote, { meeting: meeting.id })).toBe(4);
      expect(await app.em().count(Decision, { meeting: meeting.id })).toBe(2);
    });

    it('applies the section policy to case summaries reached through agenda items and decisions', async () => {
      const { meeting, agenda } = await meetings.meeting(taskForce, coordinator.member, {
        status: MeetingStatus.LIVE,
        agenda: [{ title: 'Case review', caseSummary: ourCase }],
      });
      await app.gql.data(
        DECIDE,
        {
          input: {
            meetingId: meeting.id,
            agendaItemId: agenda[0].id,
            text: 'Move to prosecution.',
            caseSummaryId: ourCase.id,
          },
        },
        { token: coordinator.token },
      );
      const query = `query($id: ID!) { meeting(id: $id) {
        agenda { caseSummary { caseCode overview investigation prosecution victimSupport readableSections } }
        decisions { caseSummary { caseCode overview investigation prosecution victimSupport } }
      } }`;
      const expectations: [string, SignedIn, Record<string, string | null>][] = [
        [
          'police',
          police,
          {
            overview: SECTIONS.overview,
            investigation: SECTIONS.investigation,
            prosecution: SECTIONS.prosecution,
            victimSupport: null,
          },
        ],
        [
          'victim-support NGO',
          ngo,
          {
            overview: SECTIONS.overview,
            investigation: null,
            prosecution: null,
            victimSupport: SECTIONS.victimSupport,
          },
        ],
        [
          'international organisation (observer)',
          observer,
          {
            overview: SECTIONS.overview,
            investigation: null,
            prosecution: null,
            victimSupport: SECTIONS.victimSupport,
          },
        ],
        [
          'national agency (coordinator)',
          coordinator,
          {
            overview: SECTIONS.overview,
            investigation: null,
            prosecution: SECTIONS.prosecution,
            victimSupport: SECTIONS.victimSupport,
          },
        ],
      ];
      for (const [who, reader, sections] of expectations) {
        const { meeting: seen } = await app.gql.data(query, { id: meeting.id }, { token: reader.token });
        expect({ who, agenda: seen.agenda[0].caseSummary }).toEqual({
          who,
          agenda: { caseCode: ourCase.caseCode, ...sections, readableSections: expect.any(Array) },
        });
        expect({ who, decision: seen.decisions[0].caseSummary }).toEqual({
          who,
          decision: { caseCode: ourCase.caseCode, ...sections },
        });
        const readable = Object.entries(sections)
          .filter(([, text]) => text !== null)
          .map(
            ([section]) =>
              ({
                overview: 'OVERVIEW',
                investigation: 'INVESTIGATION',
                prosecution: 'PROSECUTION',
                victimSupport: 'VICTIM_SUPPORT',
              })[section],
          );
        expect([...seen.agenda[0].caseSummary.readableSections].sort()).toEqual([...readable].sort());
      }
      // Reading a restricted section through a meeting is audited like any other read.
      const reads = await app
        .em()
        .find(AuditRecord, { action: 'caseSummary.sectionRead', actorId: police.member.id, subjectId: ourCase.id });
      expect(reads.map((r) => r.details)).toEqual(
        expect.arrayContaining([expect.objectContaining({ section: 'INVESTIGATION' })]),
      );
    });
  });

  describe('listing', () => {
    it('pages through a task force’s meetings in start order, each seen once', async () => {
      const pages = await make.taskForce();
      const boss = await make.signedIn(pages, TaskForceRole.COORDINATOR);
      const starts = [day(3), day(1), day(2), day(2), day(5), day(4), day(2)];
      const created: Meeting[] = [];
      for (const [i, startsAt] of starts.entries()) {
        created.push(
          (
            await meetings.meeting(pages, boss.member, {
              title: `Meeting ${String.fromCharCode(65 + i)}`,
              startsAt,
              status: i === 4 ? MeetingStatus.CANCELLED : undefined,
            })
          ).meeting,
        );
      }
      // Another task force's meetings never show.
      await meetings.meeting(taskForce, coordinator.member, { startsAt: day(2) });
      const expected = [...created]
        .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((m) => m.id);

      const seen: string[] = [];
      let after: string | null = null;
      let calls = 0;
      do {
        const result: {
          meetings: { nodes: { id: string }[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } };
        } = await app.gql.data(MEETINGS, { tf: pages.id, first: 3, after }, { token: boss.token });
        expect(result.meetings.nodes.length).toBeLessThanOrEqual(3);
        seen.push(...ids(result.meetings.nodes));
        after = result.meetings.pageInfo.hasNextPage ? result.meetings.pageInfo.endCursor : null;
        calls++;
      } while (after && calls < 10);
      expect(calls).toBe(3);
      expect(seen).toEqual(expected);

      const { meetings: everything } = await app.gql.data(MEETINGS, { tf: pages.id }, { token: boss.token });
      expect(ids(everything.nodes)).toEqual(expected);
      expect(everything.pageInfo.hasNextPage).toBe(false);

      const { meetings: cancelled } = await app.gql.data(
        MEETINGS,
        { tf: pages.id, filter: { status: 'CANCELLED' } },
        { token: boss.token },
      );
      expect(ids(cancelled.nodes)).toEqual([created[4].id]);
      const { meetings: window } = await app.gql.data(
        MEETINGS,
        { tf: pages.id, filter: { from: day(2).toISOString(), to: day(3).toISOString() } },
        { token: boss.token },
      );
      expect(ids(window.nodes)).toEqual(
        expected.filter((id) =>
          [day(2), day(3)].some((d) => created.find((m) => m.id === id)!.startsAt.getTime() === d.getTime()),
        ),
      );
      expect(window.nodes).toHaveLength(4);

      const badCursor = await app.gql.error(
        MEETINGS,
        { tf: pages.id, after: 'bm90LWEtY3Vyc29y' },
        { token: boss.token },
      );
      expect(badCursor.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
      expect((await app.gql.error(MEETINGS, { tf: pages.id, first: 0 }, { token: boss.token })).extensions).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'first',
      });
      expect((await app.gql.error(MEETINGS, { tf: pages.id, first: 201 }, { token: boss.token })).extensions).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'first',
      });
    });
  });

  describe('identifier screen on meeting free text', () => {
    let scheduled: MeetingRows;
    let live: MeetingRows;

    beforeAll(async () => {
      scheduled = await meetings.meeting(taskForce, coordinator.member, { agenda: ['Opening'] });
      live = await meetings.meeting(taskForce, coordinator.member, { status: MeetingStatus.LIVE, agenda: ['Opening'] });
    });

    const cases: [string, string, () => Record<string, unknown>, () => string, string][] = [
      [
        'a meeting title',
        SCHEDULE,
        () => ({ input: scheduleInput({ title: `Review of the case of ${CNP}` }) }),
        () => coordinator.token,
        'title',
      ],
      [
        'a meeting place',
        SCHEDULE,
        () => ({ input: scheduleInput({ place: `Home of CNP ${CNP}` }) }),
        () => coordinator.token,
        'place',
      ],
      [
        'an agenda item title when scheduling',
        SCHEDULE,
        () => ({ input: scheduleInput({ agenda: [{ title: 'Opening' }, { title: `Victim ${CNP}` }] }) }),
        () => coordinator.token,
        'agenda.1.title',
      ],
      [
        'an edited title',
        EDIT,
        () => ({ input: { meetingId: scheduled.meeting.id, title: `Case ${CNP}` } }),
        () => coordinator.token,
        'title',
      ],
      [
        'a new agenda item',
        ADD_ITEM,
        () => ({ input: { meetingId: scheduled.meeting.id, title: `Hearing of ${CNP}` } }),
        () => coordinator.token,
        'item.title',
      ],
      [
        'an updated agenda item',
        UPDATE_ITEM,
        () => ({ input: { agendaItemId: scheduled.agenda[0].id, title: `CNP:${CNP}` } }),
        () => coordinator.token,
        'item.title',
      ],
      [
        'a cancellation reason',
        CANCEL,
        () => ({ id: scheduled.meeting.id, reason: `Witness ${CNP} unavailable` }),
        () => coordinator.token,
        'reason',
      ],
      [
        'a minutes note',
        NOTE,
        () => ({
          input: { meetingId: live.meeting.id, agendaItemId: live.agenda[0].id, text: `The victim (${CNP}) agreed.` },
        }),
        () => police.token,
        'text',
      ],
      [
        'a decision',
        DECIDE,
        () => ({
          input: { meetingId: live.meeting.id, agendaItemId: live.agenda[0].id, text: `Protect witness ${CNP}.` },
        }),
        () => coordinator.token,
        'text',
      ],
    ];

    it.each(cases)(
      'refuses a CNP in %s, naming the field and kind, never echoing it, writing nothing',
      async (_, query, variables, token, field) => {
        const before = await rowCounts(app);
        const result = await app.gql.request(query, variables(), { token: token() });
        const error = result.errors?.[0];
        expect(error?.extensions).toEqual({ code: 'BAD_USER_INPUT', field, identifier: 'CNP' });
        expect(error?.message).toContain('personal identification number');
        expect(error?.message).not.toMatch(/\d{6,}/);
        expect(JSON.stringify(result)).not.toContain(CNP);
        expect(result.data ?? null).toBeNull();
        expect(await rowCounts(app)).toEqual(before);
      },
    );

    it('leaves the screened meeting and agenda as they were', async () => {
      const stored = await app.em().findOneOrFail(Meeting, { id: scheduled.meeting.id });
      expect(stored).toMatchObject({
        title: scheduled.meeting.title,
        status: MeetingStatus.SCHEDULED,
        cancelReason: null,
      });
      expect((await app.em().findOneOrFail(AgendaItem, { id: scheduled.agenda[0].id })).title).toBe('Opening');
      expect(await app.em().count(MinuteNote, { meeting: live.meeting.id })).toBe(0);
      expect(await app.em().count(Decision, { meeting: live.meeting.id })).toBe(0);
    });

    it('accepts the same digits when they are not a valid CNP', async () => {
      const invalid = invalidCnp();
      const { scheduleMeeting } = await app.gql.data(
        SCHEDULE,
        { input: scheduleInput({ title: `Batch ${invalid}` }) },
        { token: coordinator.token },
      );
      expect(scheduleMeeting.title).toBe(`Batch ${invalid}`);
    });
  });

  describe('access', () => {
    let target: MeetingRows;
    let decisionId: string;

    beforeAll(async () => {
      target = await meetings.meeting(taskForce, coordinator.member, {
        title: 'Confidential coordination',
        status: MeetingStatus.LIVE,
        agenda: ['First', 'Second'],
      });
      decisionId = (
        await app.gql.data(
          DECIDE,
          { input: { meetingId: target.meeting.id, agendaItemId: target.agenda[0].id, text: 'Keep it quiet.' } },
          { token: coordinator.token },
        )
      ).recordDecision.id;
      await app.gql.data(CHECK_IN, { id: target.meeting.id, mode: 'REMOTE' }, { token: police.token });
    });

    const onTarget = (): [string, string, Record<string, unknown>][] => {
      const meetingId = target.meeting.id;
      const [first, second] = ids(target.agenda);
      return [
        ['read the meeting', 'query($id: ID!) { meeting(id: $id) { id title } }', { id: meetingId }],
        ['read its minutes', MINUTES, { id: meetingId }],
        ['edit it', EDIT, { input: { meetingId, title: 'Hijacked' } }],
        ['cancel it', CANCEL, { id: meetingId }],
        ['add an agenda item', ADD_ITEM, { input: { meetingId, title: 'Intruder item' } }],
        ['update an agenda item', UPDATE_ITEM, { input: { agendaItemId: first, title: 'Hijacked' } }],
        ['remove an agenda item', REMOVE_ITEM, { id: second }],
        ['reorder the agenda', REORDER, { id: meetingId, ids: [second, first] }],
        ['start it', START, { id: meetingId }],
        ['advance it', ADVANCE, { id: meetingId }],
        ['advance it to a chosen item', ADVANCE, { id: meetingId, item: second }],
        ['end it', END, { id: meetingId }],
        ['check in', CHECK_IN, { id: meetingId, mode: 'REMOTE' }],
        ['check someone out', CHECK_OUT, { id: meetingId, member: police.member.id }],
        ['add a minutes note', NOTE, { input: { meetingId, agendaItemId: first, text: 'Intruder note.' } }],
        ['record a decision', DECIDE, { input: { meetingId, agendaItemId: first, text: 'Intruder decision.' } }],
      ];
    };

    const untouched = async () => {
      const meeting = await app.em().findOneOrFail(Meeting, { id: target.meeting.id });
      expect(meeting).toMatchObject({
        title: 'Confidential coordination',
        status: MeetingStatus.LIVE,
        currentAgendaItemId: target.agenda[0].id,
      });
      const agenda = await app.em().find(AgendaItem, { meeting: target.meeting.id }, { orderBy: { position: 'asc' } });
      expect(agenda.map((a) => [a.id, a.title])).toEqual([
        [target.agenda[0].id, 'First'],
        [target.agenda[1].id, 'Second'],
      ]);
      expect(await app.em().count(Attendance, { meeting: target.meeting.id, leftAt: null })).toBe(1);
    };

    it('answers NOT_FOUND to a member of another task force for every query and mutation on a meeting, and changes nothing', async () => {
      for (const [what, query, variables] of onTarget()) {
        const before = await rowCounts(app);
        const result = await app.gql.request(query, variables, { token: outsider.token });
        expect({ what, code: result.errors?.[0]?.extensions?.code }).toEqual({ what, code: 'NOT_FOUND' });
        expect(result.data ?? null).toBeNull();
        expect(JSON.stringify(result)).not.toContain('Confidential');
        expect(await rowCounts(app)).toEqual(before);
      }
      await untouched();
      // Nor can they list or schedule this task force's meetings.
      expect((await app.gql.error(MEETINGS, { tf: taskForce.id }, { token: outsider.token })).extensions?.code).toBe(
        'NOT_FOUND',
      );
      await refused(app, SCHEDULE, { input: scheduleInput() }, outsider.token, { code: 'NOT_FOUND' });
    });

    it('cannot tell a meeting that exists from one that does not', async () => {
      const query = 'query($id: ID!) { meeting(id: $id) { id } }';
      const existing = await app.gql.error(query, { id: target.meeting.id }, { token: outsider.token });
      const missing = await app.gql.error(query, { id: MISSING }, { token: outsider.token });
      expect(existing).toEqual({ ...missing, path: existing.path });
      const minutesExisting = await app.gql.error(MINUTES, { id: target.meeting.id }, { token: outsider.token });
      const minutesMissing = await app.gql.error(MINUTES, { id: MISSING }, { token: coordinator.token });
      expect(minutesExisting).toEqual({ ...minutesMissing, path: minutesExisting.path });
      expect(minutesMissing.extensions).toEqual({ code: 'NOT_FOUND' });
    });

    it('refuses a member the coordinator’s operations with FORBIDDEN', async () => {
      const meetingId = target.meeting.id;
      const [first, second] = ids(target.agenda);
      const coordinatorOnly: [string, string, Record<string, unknown>][] = [
        ['schedule', SCHEDULE, { input: scheduleInput() }],
        ['edit', EDIT, { input: { meetingId, title: 'Hijacked' } }],
        ['cancel', CANCEL, { id: meetingId }],
        ['add an agenda item', ADD_ITEM, { input: { meetingId, title: 'Member item' } }],
        ['update an agenda item', UPDATE_ITEM, { input: { agendaItemId: first, title: 'Hijacked' } }],
        ['remove an agenda item', REMOVE_ITEM, { id: second }],
        ['reorder', REORDER, { id: meetingId, ids: [second, first] }],
        ['start', START, { id: meetingId }],
        ['advance', ADVANCE, { id: meetingId }],
        ['advance to a chosen item', ADVANCE, { id: meetingId, item: second }],
        ['end', END, { id: meetingId }],
        ['record a decision', DECIDE, { input: { meetingId, agendaItemId: first, text: 'Member decision.' } }],
        ['mark someone else in', CHECK_IN, { id: meetingId, mode: 'IN_PERSON', member: coordinator.member.id }],
        ['mark someone else out', CHECK_OUT, { id: meetingId, member: police.member.id }],
      ];
      for (const reader of [ngo, observer]) {
        for (const [what, query, variables] of coordinatorOnly) {
          const before = await rowCounts(app);
          const result = await app.gql.request(query, variables, { token: reader.token });
          expect({ what, extensions: result.errors?.[0]?.extensions }).toEqual({
            what,
            extensions: { code: 'FORBIDDEN' },
          });
          expect(result.data ?? null).toBeNull();
          expect(await rowCounts(app)).toEqual(before);
        }
      }
      await untouched();
      expect(await app.em().count(Decision, { meeting: meetingId })).toBe(1);
    });

    it('lets an observer read and check in, but not add minutes notes', async () => {
      const error = await refused(
        app,
        NOTE,
        { input: { meetingId: target.meeting.id, agendaItemId: target.agenda[0].id, text: 'Observer note.' } },
        observer.token,
        { code: 'FORBIDDEN' },
      );
      expect(error.message).toMatch(/meeting\.minutes/);
      const seen = await readMeeting(target.meeting.id, observer.token);
      expect(seen).toMatchObject({ title: 'Confidential coordination', decisions: [{ id: decisionId }] });
      const { meetingMinutes } = await app.gql.data(MINUTES, { id: target.meeting.id }, { token: observer.token });
      expect(meetingMinutes.content).toContain('Confidential coordination');
      // A member may add notes.
      await app.gql.data(
        NOTE,
        { input: { meetingId: target.meeting.id, agendaItemId: target.agenda[0].id, text: 'Member note.' } },
        { token: ngo.token },
      );
    });

    it('refuses a platform administrator who is not a member', async () => {
      await refused(app, MEETINGS, { tf: taskForce.id }, admin.token, { code: 'FORBIDDEN' });
      await refused(app, SCHEDULE, { input: scheduleInput() }, admin.token, { code: 'FORBIDDEN' });
      for (const [what, query, variables] of onTarget()) {
        const result = await app.gql.request(query, variables, { token: admin.token });
        expect({ what, code: result.errors?.[0]?.extensions?.code }).toEqual({
          what,
          code: expect.stringMatching(/^(FORBIDDEN|NOT_FOUND)$/),
        });
        expect(result.data ?? null).toBeNull();
        expect(JSON.stringify(result)).not.toContain('Confidential');
      }
      await untouched();
    });

    it('answers NOT_FOUND for what does not exist, and UNAUTHENTICATED without a token', async () => {
      for (const [what, query, variables] of [
        ['meeting', 'query($id: ID!) { meeting(id: $id) { id } }', { id: MISSING }],
        ['start', START, { id: MISSING }],
        ['check in', CHECK_IN, { id: MISSING, mode: 'REMOTE' }],
        ['note', NOTE, { input: { meetingId: MISSING, agendaItemId: MISSING, text: 'Nowhere.' } }],
        ['decision', DECIDE, { input: { meetingId: MISSING, agendaItemId: MISSING, text: 'Nowhere.' } }],
        ['remove item', REMOVE_ITEM, { id: MISSING }],
        ['reorder', REORDER, { id: MISSING, ids: [] }],
      ] as [string, string, Record<string, unknown>][]) {
        const error = await app.gql.error(query, variables, { token: coordinator.token });
        expect({ what, extensions: error.extensions }).toEqual({ what, extensions: { code: 'NOT_FOUND' } });
      }
      const anonymous = await app.gql.error('query($id: ID!) { meeting(id: $id) { id } }', { id: target.meeting.id });
      expect(anonymous.extensions?.code).toBe('UNAUTHENTICATED');
      expect((await app.gql.error(CREATE_FEED)).extensions?.code).toBe('UNAUTHENTICATED');
    });
  });
});

// ---------------------------------------------------------------------------------------------
// After the meeting: the minutes document and the calendar feed, parsed with real parsers
// ---------------------------------------------------------------------------------------------

type MdToken = ReturnType<MarkdownIt['parse']>[number];

/** The plain text of an inline token, as a reader sees it (escapes resolved). */
function plain(token: MdToken | undefined): string {
  return (token?.children ?? [])
    .filter((child) => child.type === 'text' || child.type === 'code_inline')
    .map((child) => child.content)
    .join('');
}

function headings(tokens: MdToken[]): { level: string; text: string; index: number }[] {
  return tokens.flatMap((token, index) =>
    token.type === 'heading_open' ? [{ level: token.tag, text: plain(tokens[index + 1]), index }] : [],
  );
}

/** The table right after the heading at `headingIndex` (heading_open, inline, heading_close, table_open…): rows of cell texts. */
function tableAfter(tokens: MdToken[], headingIndex: number): string[][] | undefined {
  if (tokens[headingIndex + 3]?.type !== 'table_open') return undefined;
  const rows: string[][] = [];
  for (let i = headingIndex + 4; i < tokens.length && tokens[i].type !== 'table_close'; i++) {
    if (tokens[i].type === 'tr_open') rows.push([]);
    if (tokens[i].type === 'inline') rows[rows.length - 1].push(plain(tokens[i]));
  }
  return rows;
}

interface FeedEvent {
  uid: string;
  summary: string;
  start: string;
  end: string;
  status: string | null;
  location: string | null;
  url: string | null;
}

function parseFeed(text: string): FeedEvent[] {
  const calendar = new ICAL.Component(ICAL.parse(text));
  expect(calendar.name).toBe('vcalendar');
  return calendar.getAllSubcomponents('vevent').map((vevent) => {
    const event = new ICAL.Event(vevent);
    const value = (name: string) => {
      const v = vevent.getFirstPropertyValue(name);
      return v === null || v === undefined ? null : String(v);
    };
    return {
      uid: event.uid,
      summary: event.summary,
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      status: value('status'),
      location: event.location ?? null,
      url: value('url'),
    };
  });
}

describe('meetings: the minutes document and the calendar feed', () => {
  let app: TestApp;
  let make: IdentityFactory;
  let meetings: MeetingsFactory;
  let taskForce: TaskForce;
  let otherTaskForce: TaskForce;
  let coordinator: SignedIn;
  let police: SignedIn;
  let ngo: SignedIn;
  let outsider: SignedIn;
  let admin: SignedIn;
  let meetingId: string;
  let caseCode: string;
  let actionDueOn: string;
  let minutes: { filename: string; contentType: string; content: string };

  const TITLE = 'Monthly coordination *North* [draft] #2';
  const STARTS = day(-1, 8);
  const ENDS = day(-1, 10, 30);
  const OVERVIEW_TEXT = 'Overview text: seasonal workers recruited through a fake agency.';
  const INVESTIGATION_TEXT = 'Investigation text: undercover officer placed in the transport company.';
  const VICTIM_TEXT = 'Victim support text: safe house in the mountains, counselling twice a week.';

  beforeAll(async () => {
    app = await startTestApp();
    make = new IdentityFactory(app);
    meetings = new MeetingsFactory(app);
    taskForce = await make.taskForce();
    otherTaskForce = await make.taskForce();
    coordinator = await make.signedIn(taskForce, TaskForceRole.COORDINATOR, { kind: AgencyKind.NATIONAL_AGENCY });
    police = await make.signedIn(taskForce, TaskForceRole.MEMBER, { kind: AgencyKind.POLICE });
    ngo = await make.signedIn(taskForce, TaskForceRole.MEMBER, { kind: AgencyKind.VICTIM_SUPPORT_NGO });
    outsider = await make.signedIn(otherTaskForce, TaskForceRole.MEMBER, { kind: AgencyKind.POLICE });
    admin = await make.signedIn(null, TaskForceRole.MEMBER, { admin: true });

    // The case summary, written by those who may write each section.
    const { createCaseSummary } = await app.gql.data(
      CREATE_CASE,
      {
        input: {
          taskForceId: taskForce.id,
          caseCode: 'ct-2026-071',
          stage: 'INVESTIGATION',
          sections: { overview: OVERVIEW_TEXT, investigation: INVESTIGATION_TEXT },
        },
      },
      { token: police.token },
    );
    caseCode = createCaseSummary.caseCode;
    expect(caseCode).toBe('CT-2026-071');
    await app.gql.data(
      UPDATE_CASE,
      { input: { id: createCaseSummary.id, baseVersion: 1, sections: { victimSupport: VICTIM_TEXT } } },
      { token: ngo.token },
    );

    // The meeting, run through the API from start to end.
    const { scheduleMeeting } = await app.gql.data(
      SCHEDULE,
      {
        input: {
          taskForceId: taskForce.id,
          title: TITLE,
          startsAt: STARTS.toISOString(),
          endsAt: ENDS.toISOString(),
          place: 'Sala de consiliu',
          callLink: 'https://meet.example.org/north',
          agenda: [
            { title: 'Opening and attendance', timeBoxMinutes: 5 },
            {
              title: 'Case review',
              presenterId: police.member.id,
              caseSummaryId: createCaseSummary.id,
              timeBoxMinutes: 30,
            },
            { title: 'Victim support update', presenterId: ngo.member.id },
          ],
        },
      },
      { token: coordinator.token },
    );
    meetingId = scheduleMeeting.id;
    const [, review, support] = ids(scheduleMeeting.agenda);
    await app.gql.data(START, { id: meetingId }, { token: coordinator.token });
    await app.gql.data(CHECK_IN, { id: meetingId, mode: 'IN_PERSON' }, { token: coordinator.token });
    await app.gql.data(CHECK_IN, { id: meetingId, mode: 'REMOTE' }, { token: police.token });
    await app.gql.data(
      CHECK_IN,
      { id: meetingId, mode: 'IN_PERSON', member: ngo.member.id },
      { token: coordinator.token },
    );
    await app.gql.data(ADVANCE, { id: meetingId }, { token: coordinator.token });
    await app.gql.data(
      NOTE,
      { input: { meetingId, agendaItemId: review, text: 'Surveillance report filed.' } },
      { token: police.token },
    );
    await app.gql.data(
      NOTE,
      { input: { meetingId, agendaItemId: review, text: 'Victims were informed.\n# Injected heading\n| a | table |' } },
      { token: ngo.token },
    );
    const { recordDecision } = await app.gql.data(
      DECIDE,
      {
        input: {
          meetingId,
          agendaItemId: review,
          text: 'Request a joint investigation team',
          caseSummaryId: createCaseSummary.id,
        },
      },
      { token: coordinator.token },
    );
    actionDueOn = day(30).toISOString().slice(0, 10);
    await app.gql.data(
      CREATE_ACTION,
      {
        input: {
          taskForceId: taskForce.id,
          title: 'Draft the JIT request',
          dueOn: actionDueOn,
          assignee: { memberId: police.member.id },
          decisionId: recordDecision.id,
        },
      },
      { token: coordinator.token },
    );
    await app.gql.data(ADVANCE, { id: meetingId, item: support }, { token: coordinator.token });
    await app.gql.data(CHECK_OUT, { id: meetingId }, { token: police.token });
    await app.gql.data(END, { id: meetingId }, { token: coordinator.token });
  });
  afterAll(() => app.close());

  describe('minutes document', () => {
    it('is a Markdown document with the title, attendance, the agenda in order, decisions and action items', async () => {
      minutes = (await app.gql.data(MINUTES, { id: meetingId, language: 'en' }, { token: ngo.token })).meetingMinutes;
      // Named after the day it was held (today, in Bucharest), not the day it was scheduled for.
      const heldDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Bucharest' }).format(new Date());
      expect(minutes.filename).toBe(`minutes-${taskForce.code.toLowerCase()}-${heldDay}.md`);
      expect(minutes.contentType).toBe('text/markdown; charset=utf-8');

      const tokens = new MarkdownIt().parse(minutes.content, {});
      const all = headings(tokens);
      const h1 = all.filter((h) => h.level === 'h1');
      // The title is text: its Markdown characters are escaped, not rendered.
      expect(h1.map((h) => h.text)).toEqual([`Minutes: ${TITLE}`]);
      expect(all.some((h) => h.text.includes('Injected heading'))).toBe(false);

      const attendance = all.find((h) => h.level === 'h2' && h.text === 'Attendance');
      expect(attendance).toBeDefined();
      const rows = tableAfter(tokens, attendance!.index);
      expect(rows).toBeDefined();
      expect(rows![0]).toEqual(['Agency', 'Member', 'Attendance', 'Arrived', 'Left']);
      const byName = new Map(rows!.slice(1).map((row) => [row[1], row]));
      expect(new Set(byName.keys())).toEqual(
        new Set([coordinator.member.displayName, police.member.displayName, ngo.member.displayName]),
      );
      expect(byName.get(police.member.displayName)![2]).toBe('remote');
      expect(byName.get(ngo.member.displayName)![2]).toBe('in person');
      expect(byName.get(coordinator.member.displayName)![2]).toBe('in person');
      expect(byName.get(police.member.displayName)![0]).toBe(
        (await app.em().findOneOrFail(Agency, { id: police.member.agency.id })).name,
      );
      for (const row of rows!.slice(1)) {
        expect(row[3]).toMatch(/^\d{2}:\d{2}$/);
        expect(row[4]).toMatch(/^\d{2}:\d{2}$/); // everyone has left: the meeting ended
      }

      const h2 = all.filter((h) => h.level === 'h2').map((h) => h.text);
      expect(h2).toEqual(['Attendance', 'Agenda', 'Action items created in this meeting']);
      const agenda = all.filter((h) => h.level === 'h3');
      expect(agenda.map((h) => h.text)).toEqual([
        '1. Opening and attendance',
        '2. Case review',
        '3. Victim support update',
      ]);
      const agendaStart = all.find((h) => h.text === 'Agenda')!.index;
      expect(agenda.every((h) => h.index > agendaStart)).toBe(true);

      const inlineTexts = tokens.filter((t) => t.type === 'inline').map(plain);
      expect(inlineTexts).toContain(`Request a joint investigation team (case ${caseCode})`);
      expect(inlineTexts.some((t) => t.endsWith(`${police.member.displayName}: Surveillance report filed.`))).toBe(
        true,
      );
      expect(
        inlineTexts.some((t) =>
          t.endsWith(`${ngo.member.displayName}: Victims were informed. # Injected heading | a | table |`),
        ),
      ).toBe(true);
      expect(inlineTexts).toContain(`presented by ${police.member.displayName}; case ${caseCode}; 30 min`);
      // The decision sits under its agenda item.
      const decisionIndex = tokens.findIndex(
        (t) => t.type === 'inline' && plain(t).startsWith('Request a joint investigation team'),
      );
      expect(decisionIndex).toBeGreaterThan(agenda[1].index);
      expect(decisionIndex).toBeLessThan(agenda[2].index);

      const actions = all.find((h) => h.text === 'Action items created in this meeting')!;
      const actionRows = tableAfter(tokens, actions.index);
      expect(actionRows).toEqual([
        ['Action item', 'Assigned to', 'Due', 'Priority', 'Status'],
        [
          'Draft the JIT request',
          police.member.displayName,
          new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: 'medium' }).format(new Date(actionDueOn)),
          'Normal',
          'Open',
        ],
      ]);
    });

    it('names linked case summaries by code only, never their sections', async () => {
      expect(minutes.content).toContain(caseCode);
      for (const text of [OVERVIEW_TEXT, INVESTIGATION_TEXT, VICTIM_TEXT]) {
        expect(minutes.content).not.toContain(text);
        expect(minutes.content).not.toContain(text.slice(text.indexOf(':') + 2, text.indexOf(':') + 30));
      }
      // The same for someone who may read every one of those sections.
      const { meetingMinutes } = await app.gql.data(MINUTES, { id: meetingId }, { token: police.token });
      expect(meetingMinutes.content).toContain(`Proces-verbal: `); // Romanian unless asked otherwise
      expect(meetingMinutes.content).not.toContain(INVESTIGATION_TEXT);
    });

    it('downloads the same document over HTTP with a token, and records the export', async () => {
      const before = await app.em().count(AuditRecord, { action: 'minutes.exported', subjectId: meetingId });
      const response = await fetch(`${app.url}/meetings/${meetingId}/minutes.md?lang=en`, {
        headers: { authorization: `Bearer ${ngo.token}` },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/markdown/);
      expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${minutes.filename}"`);
      const body = await response.text();
      expect(body).toBe(minutes.content);
      const tokens = new MarkdownIt().parse(body, {});
      expect(
        headings(tokens)
          .filter((h) => h.level === 'h1')
          .map((h) => h.text),
      ).toEqual([`Minutes: ${TITLE}`]);
      expect(
        await app.em().count(AuditRecord, { action: 'minutes.exported', subjectId: meetingId, actorId: ngo.member.id }),
      ).toBeGreaterThanOrEqual(1);
      expect(await app.em().count(AuditRecord, { action: 'minutes.exported', subjectId: meetingId })).toBe(before + 1);
    });

    it('downloads the PDF (Romanian by default) and refuses a language it does not write', async () => {
      const pdf = await fetch(`${app.url}/meetings/${meetingId}/minutes.pdf`, {
        headers: { authorization: `Bearer ${ngo.token}` },
      });
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      expect(pdf.headers.get('content-language')).toBe('ro');
      expect(pdf.headers.get('content-disposition')).toMatch(/^attachment; filename="proces-verbal-.+\.pdf"$/);
      expect(
        Buffer.from(await pdf.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');

      for (const lang of ['fr', 'en&lang=ro']) {
        const refused = await fetch(`${app.url}/meetings/${meetingId}/minutes.md?lang=${lang}`, {
          headers: { authorization: `Bearer ${ngo.token}` },
        });
        expect(refused.status).toBe(400);
        expect(await refused.json()).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lang' });
      }
      const graphql = await app.gql.error(MINUTES, { id: meetingId, language: 'fr' }, { token: ngo.token });
      expect(graphql.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'language' });
    });

    it('refuses the download without a token (401), to another task force (404), and for what does not exist', async () => {
      const url = `${app.url}/meetings/${meetingId}/minutes.md`;
      const anonymous = await fetch(url);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('content-type')).toMatch(/json/);
      expect(((await anonymous.json()) as { code: string }).code).toBe('UNAUTHENTICATED');

      const forged = await fetch(url, { headers: { authorization: 'Bearer not-a-real-token' } });
      expect(forged.status).toBe(401);
      expect(((await forged.json()) as { code: string }).code).toBe('UNAUTHENTICATED');

      const foreign = await fetch(url, { headers: { authorization: `Bearer ${outsider.token}` } });
      expect(foreign.status).toBe(404);
      const foreignBody = await foreign.text();
      expect((JSON.parse(foreignBody) as { code: string }).code).toBe('NOT_FOUND');
      expect(foreignBody).not.toContain('Monthly coordination');

      const missing = await fetch(`${app.url}/meetings/${MISSING}/minutes.md`, {
        headers: { authorization: `Bearer ${ngo.token}` },
      });
      expect(missing.status).toBe(404);
      expect(JSON.parse(await missing.text())).toEqual(JSON.parse(foreignBody));

      const malformed = await fetch(`${app.url}/meetings/not-a-uuid/minutes.md`, {
        headers: { authorization: `Bearer ${ngo.token}` },
      });
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });

      const adminDownload = await fetch(url, { headers: { authorization: `Bearer ${admin.token}` } });
      expect([403, 404]).toContain(adminDownload.status);
      expect(await adminDownload.text()).not.toContain('Monthly coordination');
    });

    it.each([
      ['a line feed', '\n'],
      ['CR LF', '\r\n'],
      ['a lone carriage return', '\r'],
    ])('keeps text typed by people as text when it holds %s: no broken heading, list or table', async (_, br) => {
      const quiet = await make.taskForce();
      const boss = await make.signedIn(quiet, TaskForceRole.COORDINATOR);
      const { scheduleMeeting } = await app.gql.data(
        SCHEDULE,
        {
          input: {
            taskForceId: quiet.id,
            title: `Weekly${br}# Injected title`,
            startsAt: day(4, 8).toISOString(),
            endsAt: day(4, 9).toISOString(),
            agenda: [{ title: `Item${br}## Injected item` }],
          },
        },
        { token: boss.token },
      );
      const id = scheduleMeeting.id;
      await app.gql.data(START, { id }, { token: boss.token });
      await app.gql.data(CHECK_IN, { id, mode: 'IN_PERSON' }, { token: boss.token });
      await app.gql.data(
        NOTE,
        {
          input: {
            meetingId: id,
            agendaItemId: scheduleMeeting.agenda[0].id,
            text: `Line${br}| injected | row |${br}# Injected note`,
          },
        },
        { token: boss.token },
      );
      await app.gql.data(
        CREATE_ACTION,
        {
          input: {
            taskForceId: quiet.id,
            title: `Draft${br}the request`,
            dueOn: day(20).toISOString().slice(0, 10),
            assignee: { memberId: boss.member.id },
            meetingId: id,
          },
        },
        { token: boss.token },
      );
      await app.gql.data(END, { id }, { token: boss.token });
      const { meetingMinutes } = await app.gql.data(MINUTES, { id, language: 'en' }, { token: boss.token });
      const tokens = new MarkdownIt().parse(meetingMinutes.content, {});
      const all = headings(tokens);
      const section = (text: string) => all.find((h) => h.text === text);
      const note = tokens
        .filter((t) => t.type === 'inline')
        .map(plain)
        .find((t) => t.includes('Line'));
      expect({
        headings: all.map((h) => `${h.level} ${h.text}`),
        attendanceRows: section('Attendance') && tableAfter(tokens, section('Attendance')!.index)?.length,
        actionTitles:
          section('Action items created in this meeting') &&
          tableAfter(tokens, section('Action items created in this meeting')!.index)?.map((row) => row[0]),
        note: note?.replace(/^\d{2}:\d{2} /, ''),
      }).toEqual({
        headings: [
          'h1 Minutes: Weekly # Injected title',
          'h2 Attendance',
          'h2 Agenda',
          'h3 1. Item ## Injected item',
          'h2 Action items created in this meeting',
        ],
        attendanceRows: 2,
        actionTitles: ['Action item', 'Draft the request'],
        note: `${boss.member.displayName}: Line | injected | row | # Injected note`,
      });
    });

    it('says so when nothing was recorded', async () => {
      const quiet = await make.taskForce();
      const reader = await make.signedIn(quiet, TaskForceRole.OBSERVER);
      const { meeting } = await meetings.meeting(quiet, reader.member, { title: 'Empty meeting' });
      const { meetingMinutes } = await app.gql.data(
        MINUTES,
        { id: meeting.id, language: 'en' },
        { token: reader.token },
      );
      const tokens = new MarkdownIt().parse(meetingMinutes.content, {});
      const all = headings(tokens);
      expect(all.map((h) => h.text)).toEqual([
        'Minutes: Empty meeting',
        'Attendance',
        'Agenda',
        'Action items created in this meeting',
      ]);
      // Nobody checked in: the one member of the task force is listed as absent, by agency.
      const agency = await app.em().findOneOrFail(Agency, { id: reader.member.agency.id });
      expect(tableAfter(tokens, all[1].index)).toEqual([
        ['Agency', 'Member', 'Attendance', 'Arrived', 'Left'],
        [agency.name, reader.member.displayName, 'absent', '', ''],
      ]);
      const texts = tokens.filter((t) => t.type === 'inline').map(plain);
      expect(texts).toEqual(expect.arrayContaining(['Present: 0; absent: 1.', 'The agenda was empty.', 'None.']));
      expect(texts.some((t) => t.startsWith('Scheduled: ') && t.endsWith('not held: scheduled'))).toBe(true);
    });
  });

  describe('calendar feed', () => {
    let upcoming: MeetingRows;
    let cancelled: MeetingRows;
    let foreign: MeetingRows;
    let feedUrl: string;

    beforeAll(async () => {
      upcoming = await meetings.meeting(taskForce, coordinator.member, {
        title: 'Planning with the labour inspectorate',
        startsAt: day(3, 7, 30),
        endsAt: day(3, 9),
        place: 'ITM, sala mica',
        callLink: 'https://meet.example.org/itm',
        agenda: ['Secret agenda topic'],
      });
      cancelled = await meetings.meeting(taskForce, coordinator.member, {
        title: 'Called-off session',
        startsAt: day(5, 12),
        status: MeetingStatus.CANCELLED,
      });
      foreign = await meetings.meeting(otherTaskForce, outsider.member, {
        title: 'Other task force meeting',
        startsAt: day(2, 9),
      });
    });

    const fetchFeed = (url: string) => fetch(url);

    it('serves a member’s meetings at a secret URL, without a token, as a valid iCalendar', async () => {
      const { createCalendarFeed } = await app.gql.data(CREATE_FEED, {}, { token: police.token });
      feedUrl = createCalendarFeed.url;
      expect(feedUrl).toMatch(new RegExp(`^${app.url.replace(/\./g, '\\.')}/calendar/[A-Za-z0-9_-]{40,}\\.ics$`));
      const response = await fetchFeed(feedUrl);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/calendar/);
      const text = await response.text();
      const events = parseFeed(text);
      const byUid = new Map(events.map((e) => [e.uid, e]));
      expect(new Set(byUid.keys())).toEqual(
        new Set([meetingId, upcoming.meeting.id, cancelled.meeting.id].map((id) => `${id}@task-force-hub`)),
      );

      expect(byUid.get(`${meetingId}@task-force-hub`)).toEqual({
        uid: `${meetingId}@task-force-hub`,
        summary: `[${taskForce.code}] ${TITLE}`,
        start: STARTS.toISOString(),
        end: ENDS.toISOString(),
        status: 'CONFIRMED',
        location: 'Sala de consiliu',
        url: 'https://meet.example.org/north',
      });
      expect(byUid.get(`${upcoming.meeting.id}@task-force-hub`)).toEqual({
        uid: `${upcoming.meeting.id}@task-force-hub`,
        summary: `[${taskForce.code}] Planning with the labour inspectorate`,
        start: day(3, 7, 30).toISOString(),
        end: day(3, 9).toISOString(),
        status: 'CONFIRMED',
        location: 'ITM, sala mica',
        url: 'https://meet.example.org/itm',
      });
      expect(byUid.get(`${cancelled.meeting.id}@task-force-hub`)).toMatchObject({
        summary: `[${taskForce.code}] Called-off session`,
        status: 'CANCELLED',
      });
      // When and where only: nothing of another task force, and nothing of what was discussed.
      expect(text).not.toContain(foreign.meeting.id);
      expect(text).not.toContain('Other task force meeting');
      for (const secret of ['Secret agenda topic', 'joint investigation', caseCode, 'Surveillance report'])
        expect(text).not.toContain(secret);
    });

    it('reflects changes on the next poll: a cancelled meeting is marked CANCELLED', async () => {
      await app.gql.data(CANCEL, { id: upcoming.meeting.id, reason: 'Moved' }, { token: coordinator.token });
      const events = parseFeed(await (await fetchFeed(feedUrl)).text());
      expect(events.find((e) => e.uid === `${upcoming.meeting.id}@task-force-hub`)?.status).toBe('CANCELLED');
    });

    it('replaces the URL when a new one is created, and stops serving it when revoked', async () => {
      const { createCalendarFeed } = await app.gql.data(CREATE_FEED, {}, { token: police.token });
      expect(createCalendarFeed.url).not.toBe(feedUrl);
      const old = await fetchFeed(feedUrl);
      expect(old.status).toBe(404);
      expect(await old.text()).not.toContain('VCALENDAR');
      expect((await fetchFeed(createCalendarFeed.url)).status).toBe(200);

      const { revokeCalendarFeed } = await app.gql.data(REVOKE_FEED, {}, { token: police.token });
      expect(revokeCalendarFeed).toBe(true);
      expect((await fetchFeed(createCalendarFeed.url)).status).toBe(404);
      expect((await app.gql.data(REVOKE_FEED, {}, { token: police.token })).revokeCalendarFeed).toBe(false);
      expect(await app.em().count(AuditRecord, { action: 'calendarFeed.revoked', actorId: police.member.id })).toBe(1);

      expect((await fetchFeed(`${app.url}/calendar/not-a-token.ics`)).status).toBe(404);
      expect((await fetchFeed(`${app.url}/calendar/${'x'.repeat(200)}.ics`)).status).toBe(404);
    });

    it('shows a member only the task forces they belong to, and another task force’s member only theirs', async () => {
      const { createCalendarFeed } = await app.gql.data(CREATE_FEED, {}, { token: outsider.token });
      const events = parseFeed(await (await fetchFeed(createCalendarFeed.url)).text());
      expect(events.map((e) => e.uid)).toEqual([`${foreign.meeting.id}@task-force-hub`]);
      expect(events[0].summary).toBe(`[${otherTaskForce.code}] Other task force meeting`);
    });

    it('drops a task force’s meetings from the feed when the member leaves it', async () => {
      const leaving = await make.signedIn(taskForce, TaskForceRole.MEMBER);
      const { createCalendarFeed } = await app.gql.data(CREATE_FEED, {}, { token: leaving.token });
      expect(parseFeed(await (await fetchFeed(createCalendarFeed.url)).text())).toHaveLength(3);
      await app.gql.data(
        'mutation($id: ID!) { removeMembership(membershipId: $id) { id } }',
        { id: leaving.membership!.id },
        { token: coordinator.token },
      );
      const after = await fetchFeed(createCalendarFeed.url);
      expect(after.status).toBe(200);
      expect(parseFeed(await after.text())).toEqual([]);
    });

    it('keeps a title with line breaks inside its own event', async () => {
      const quiet = await make.taskForce();
      const reader = await make.signedIn(quiet, TaskForceRole.MEMBER);
      const title = 'Line one\r\nEND:VEVENT\nBEGIN:VEVENT\rSUMMARY:Forged; with, specials \\ "quotes"';
      const { meeting } = await meetings.meeting(quiet, reader.member, {
        title,
        place: 'Room; 2, "east"',
        startsAt: day(6, 10),
      });
      const { createCalendarFeed } = await app.gql.data(CREATE_FEED, {}, { token: reader.token });
      const events = parseFeed(await (await fetchFeed(createCalendarFeed.url)).text());
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        uid: `${meeting.id}@task-force-hub`,
        location: 'Room; 2, "east"',
        start: day(6, 10).toISOString(),
      });
      expect(events[0].summary.replace(/\r\n|\r/g, '\n')).toBe(`[${quiet.code}] ${title.replace(/\r\n|\r/g, '\n')}`);
    });

    it('stops serving the feed of a disabled member', async () => {
      const { createCalendarFeed } = await app.gql.data(CREATE_FEED, {}, { token: ngo.token });
      expect(parseFeed(await (await fetchFeed(createCalendarFeed.url)).text())).toHaveLength(3);
      await app.gql.data(
        'mutation($id: ID!) { disableMember(memberId: $id) { id disabledAt } }',
        { id: ngo.member.id },
        { token: admin.token },
      );
      const disabled = await fetchFeed(createCalendarFeed.url);
      expect(disabled.status).toBe(404);
      expect(((await disabled.json()) as { code: string }).code).toBe('NOT_FOUND');
    });
  });
});
