import { AgencyKind, TaskForceRole } from '@hub/access';
import { type TaskForce } from '@hub/task-forces';
import * as web from '../../apps/web/src/api/generated';
import { IdentityFactory } from '../factories/identity.factory';
import { startTestApp, type TestApp } from '../utils/test-app';

type SignedIn = Awaited<ReturnType<IdentityFactory['signedIn']>>;

const bucharestDay = (days = 0) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Bucharest' }).format(new Date(Date.now() + days * 86_400_000));

/**
 * The meeting cycle over HTTP with the web client's own operations (apps/web/src/api/generated.ts, typed
 * from schema.graphql): a series from a template, a decision linking a case and an item, a corrected
 * note, the open ends, the next meeting's follow-up section, and since the last meeting. The rules
 * themselves are pinned at the service tier (test/service/follow-up.service-spec.ts).
 */
describe('the meeting cycle through the web client’s operations', () => {
  let app: TestApp;
  let taskForce: TaskForce;
  let coordinator: SignedIn;
  let officer: SignedIn;
  let ngo: SignedIn;

  beforeAll(async () => {
    app = await startTestApp();
    const identity = new IdentityFactory(app);
    taskForce = await identity.taskForce();
    coordinator = await identity.signedIn(taskForce, TaskForceRole.COORDINATOR, { kind: AgencyKind.NATIONAL_AGENCY });
    officer = await identity.signedIn(taskForce, TaskForceRole.MEMBER, { kind: AgencyKind.POLICE });
    ngo = await identity.signedIn(taskForce, TaskForceRole.MEMBER, { kind: AgencyKind.VICTIM_SUPPORT_NGO });
  });
  afterAll(() => app?.close());

  const as =
    (who: SignedIn) =>
    <R, V>(doc: web.TypedDocumentString<R, V>, variables: V): Promise<R> =>
      app.gql.data<R>(doc.toString(), variables as Record<string, unknown>, { token: who.token });

  it('runs from a template to the next meeting’s follow-up section', async () => {
    const boss = as(coordinator);
    const { createCaseSummary } = await app.gql.data(
      `mutation($input: CreateCaseSummaryInput!) { createCaseSummary(input: $input) { id caseCode } }`,
      { input: { taskForceId: taskForce.id, caseCode: `CYC-${Date.now()}`, stage: 'INVESTIGATION' } },
      { token: officer.token },
    );
    const startsAt = new Date(Date.now() + 10 * 86_400_000);
    const source = await boss(web.ScheduleMeetingDocument, {
      input: {
        taskForceId: taskForce.id,
        title: 'Source',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
        agenda: [{ title: 'Open cases', caseSummaryId: createCaseSummary.id }, { title: 'Shelter places' }],
      },
    });
    const { saveAgendaTemplate } = await boss(web.SaveAgendaTemplateDocument, {
      meetingId: source.scheduleMeeting.id,
      name: 'Regular',
    });
    const weekday = ((new Date(`${bucharestDay()}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;
    const { createMeetingSeries } = await boss(web.CreateMeetingSeriesDocument, {
      input: {
        taskForceId: taskForce.id,
        title: 'Weekly',
        cadence: 'WEEKLY',
        weekday,
        interval: 1,
        startTime: '10:00',
        durationMinutes: 60,
        startsOn: bucharestDay(),
        templateId: saveAgendaTemplate.id,
      },
    });
    const first = createMeetingSeries.meeting.id;
    const planning = await as(ngo)(web.MeetingPlanningDocument, { taskForceId: taskForce.id });
    expect(planning.meetingSeries.map((s) => s.id)).toEqual([createMeetingSeries.series.id]);
    expect(planning.agendaTemplates.map((t) => t.name)).toEqual(['Regular']);

    await app.gql.data(
      `mutation($id: ID!) { startMeeting(meetingId: $id) { id } }`,
      { id: first },
      {
        token: coordinator.token,
      },
    );
    let { meeting } = await boss(web.MeetingDocument, { id: first });
    expect(meeting.series?.title).toBe('Weekly');
    expect(meeting.agenda.map((a) => a.title)).toEqual(['Open cases', 'Shelter places']);
    const [opening] = meeting.agenda;

    const { addMinuteNote } = await app.gql.data(
      `mutation($input: MinuteNoteInput!) { addMinuteNote(input: $input) { id } }`,
      { input: { meetingId: first, agendaItemId: opening.id, text: 'Two witnesess' } },
      { token: officer.token },
    );
    await as(officer)(web.CorrectMinuteNoteDocument, { input: { noteId: addMinuteNote.id, text: 'Two witnesses' } });
    const item = await boss(web.CreateActionItemDocument, {
      input: {
        taskForceId: taskForce.id,
        meetingId: first,
        title: 'Interview the witnesses',
        dueOn: bucharestDay(5),
        assignee: { agencyId: officer.member.agency.id },
      },
    });
    await boss(web.RecordDecisionDocument, {
      input: {
        meetingId: first,
        agendaItemId: opening.id,
        text: 'Open a joint investigation',
        caseSummaryId: createCaseSummary.id,
        reviewOn: bucharestDay(3),
        actionItemIds: [item.createActionItem.id],
      },
    });
    ({ meeting } = await as(ngo)(web.MeetingDocument, { id: first }));
    const note = meeting.agenda[0].notes[0];
    expect(note.text).toBe('Two witnesses');
    expect(note.history.map((h) => h.text)).toEqual(['Two witnesess']);
    expect(meeting.decisions[0]).toMatchObject({
      caseSummary: { caseCode: createCaseSummary.caseCode },
      reviewOn: bucharestDay(3),
      actionItems: [{ id: item.createActionItem.id }],
    });
    const { meetingMinutes } = await app.gql.data(
      `query($id: ID!) { meetingMinutes(meetingId: $id, language: "en") { content } }`,
      {
        id: first,
      },
      { token: ngo.token },
    );
    expect(meetingMinutes.content).toMatch(/Two witnesses \\?\(corrected at \d\d:\d\d\\?\)/); // Markdown escapes the brackets
    expect(meetingMinutes.content).toContain(`Open a joint investigation`);
    expect(meetingMinutes.content).toMatch(/Open a joint investigation \\?\(case [^;]+; to review on [^)]+\)/);
    const { meeting: ends } = await boss(web.OpenEndsDocument, { id: first });
    expect(ends.openEnds.unclaimedItems.map((i) => i.id)).toEqual([item.createActionItem.id]);
    expect(ends.openEnds.agendaNotReached.map((a) => a.title)).toEqual(['Shelter places']);
    await app.gql.data(
      `mutation($id: ID!) { endMeeting(meetingId: $id) { id } }`,
      { id: first },
      {
        token: coordinator.token,
      },
    );

    await boss(web.EditActionItemDocument, {
      input: { id: item.createActionItem.id, assignee: { agencyId: ngo.member.agency.id } },
    });
    const forMe = await as(ngo)(web.ActionItemsDocument, { taskForceId: taskForce.id, filter: { scope: 'FOR_ME' } });
    expect(forMe.actionItems.nodes.map((i) => i.id)).toContain(item.createActionItem.id);
    const since = await as(ngo)(web.SinceLastMeetingDocument, { taskForceId: taskForce.id });
    expect(since.sinceLastMeeting.lastMeeting?.id).toBe(first);
    const reassigned = since.sinceLastMeeting.events.find((e) => e.type === 'actionItem.updated');
    expect(JSON.parse(reassigned!.data!)).toMatchObject({
      actionItemId: item.createActionItem.id,
      changes: ['assignee'],
    });

    const { scheduleNextInSeries } = await boss(web.ScheduleNextInSeriesDocument, {
      seriesId: createMeetingSeries.series.id,
    });
    const next = await as(officer)(web.MeetingDocument, { id: scheduleNextInSeries.id });
    expect(next.meeting.followUp.previous?.id).toBe(first);
    expect(next.meeting.followUp.unfinishedAgenda.map((a) => a.title)).toEqual(['Shelter places']);
    expect(next.meeting.followUp.decisionsDue.map((d) => d.text)).toEqual(['Open a joint investigation']);
    expect(next.meeting.followUp.openActionItems.map((i) => i.id)).toEqual([item.createActionItem.id]);

    // The calendar feed shows the series: its meetings under its name, and its coming days as tentative.
    const { createCalendarFeed } = await app.gql.data(
      `mutation { createCalendarFeed { url } }`,
      {},
      {
        token: officer.token,
      },
    );
    const feed = await (await fetch(createCalendarFeed.url)).text();
    const events = feed.split('BEGIN:VEVENT').slice(1);
    expect(events.filter((e) => e.includes('CATEGORIES:Weekly') && e.includes('STATUS:CONFIRMED'))).toHaveLength(2);
    expect(events.filter((e) => e.includes('STATUS:TENTATIVE') && e.includes('Weekly')).length).toBeGreaterThan(5);
  });

  it('refuses a decision linking an item of another meeting, with the field named', async () => {
    const startsAt = new Date(Date.now() + 3_600_000);
    const schedule = (title: string) =>
      as(coordinator)(web.ScheduleMeetingDocument, {
        input: {
          taskForceId: taskForce.id,
          title,
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
          agenda: [{ title: 'Only item' }],
        },
      });
    const [one, other] = [(await schedule('One')).scheduleMeeting.id, (await schedule('Other')).scheduleMeeting.id];
    const elsewhere = await as(coordinator)(web.CreateActionItemDocument, {
      input: {
        taskForceId: taskForce.id,
        meetingId: other,
        title: 'Elsewhere',
        dueOn: bucharestDay(5),
        assignee: { memberId: officer.member.id },
      },
    });
    await app.gql.data(
      `mutation($id: ID!) { startMeeting(meetingId: $id) { id } }`,
      { id: one },
      {
        token: coordinator.token,
      },
    );
    const { meeting } = await as(coordinator)(web.MeetingDocument, { id: one });
    const error = await app.gql.error(
      web.RecordDecisionDocument.toString(),
      {
        input: {
          meetingId: one,
          agendaItemId: meeting.agenda[0].id,
          text: 'Link it',
          actionItemIds: [elsewhere.createActionItem.id],
        },
      },
      { token: coordinator.token },
    );
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'actionItemIds' });
  });
});
