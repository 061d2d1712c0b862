import { type Actor, AgencyKind, CaseSection, TaskForceRole } from '@hub/access';
import {
  ActionItem,
  ActionItemChange,
  ActionItemScope,
  ActionItemsService,
  ActionItemStatus,
  calendarDate,
} from '@hub/action-items';
import { CaseStage, CaseSummariesService } from '@hub/case-summaries';
import { DomainEvent } from '@hub/events';
import { FollowUpService } from '@hub/follow-up';
import { type Member } from '@hub/identity';
import {
  AgendaItem,
  Decision,
  Meeting,
  MeetingsService,
  MeetingStatus,
  MinuteNote,
  MinuteNoteRevision,
  SeriesCadence,
} from '@hub/meetings';
import { type TaskForce } from '@hub/task-forces';
import { IdentityFactory } from '../factories/identity.factory';
import { MeetingsFactory } from '../factories/meetings.factory';
import { type ServiceApp, startServiceApp } from '../utils/service-app';

/** Bucharest's calendar day `days` from today. */
const dayFromToday = (days: number) => calendarDate(new Date(Date.now() + days * 86_400_000));

/**
 * The cycle around a meeting, called on the services directly: series and their follow-up section,
 * templates, decisions with the items they link, note corrections, what is open before ending, the
 * "for me" list and what changed since the last meeting.
 */
describe('FollowUpService and the meeting cycle', () => {
  let app: ServiceApp;
  let meetings: MeetingsService;
  let items: ActionItemsService;
  let followUp: FollowUpService;
  let cases: CaseSummariesService;
  let rows: MeetingsFactory;
  let taskForce: TaskForce;
  let coordinatorRow: Member;
  let coordinator: Actor;
  let officer: Actor;
  let ngo: Actor;
  let ngoColleague: Actor;
  let observer: Actor;
  let outsider: Actor;

  beforeAll(async () => {
    app = await startServiceApp();
    meetings = app.get(MeetingsService);
    items = app.get(ActionItemsService);
    followUp = app.get(FollowUpService);
    cases = app.get(CaseSummariesService);
    rows = new MeetingsFactory(app);
    const identity = new IdentityFactory(app);
    taskForce = await identity.taskForce();
    const other = await identity.taskForce();
    const ngoAgency = await identity.agency(AgencyKind.VICTIM_SUPPORT_NGO);
    const person = async (tf: TaskForce, role: TaskForceRole, kind: AgencyKind, agency?: typeof ngoAgency) => {
      const m = await identity.member({ kind, agency });
      await identity.membership(tf, m, role);
      return m;
    };
    coordinatorRow = await person(taskForce, TaskForceRole.COORDINATOR, AgencyKind.NATIONAL_AGENCY);
    coordinator = await app.actor(coordinatorRow);
    officer = await app.actor(await person(taskForce, TaskForceRole.MEMBER, AgencyKind.POLICE));
    ngo = await app.actor(await person(taskForce, TaskForceRole.MEMBER, AgencyKind.VICTIM_SUPPORT_NGO, ngoAgency));
    ngoColleague = await app.actor(
      await person(taskForce, TaskForceRole.MEMBER, AgencyKind.VICTIM_SUPPORT_NGO, ngoAgency),
    );
    observer = await app.actor(await person(taskForce, TaskForceRole.OBSERVER, AgencyKind.INTERNATIONAL_ORGANISATION));
    outsider = await app.actor(await person(other, TaskForceRole.COORDINATOR, AgencyKind.POLICE));
  });
  afterAll(() => app?.close());

  const eventsOf = async (type: string) =>
    (await app.em().find(DomainEvent, { taskForceId: taskForce.id, type }, { orderBy: { cursor: 'asc' } })).map(
      (e) => e.data,
    );
  const item = (title: string, meetingId: string | null, assignee: { memberId?: string; agencyId?: string }) =>
    items.create(coordinator, { taskForceId: taskForce.id, title, dueOn: dayFromToday(7), assignee, meetingId });

  describe('series', () => {
    const rule = {
      cadence: SeriesCadence.WEEKLY,
      weekday: 2,
      interval: 2,
      startTime: '10:00',
      durationMinutes: 90,
      startsOn: '2027-03-01',
    };

    it('schedules the first meeting on the first day of the rule, at the local time, and the next on the beat', async () => {
      const { series, meeting } = await meetings.createSeries(coordinator, {
        ...rule,
        taskForceId: taskForce.id,
        title: 'Every other Tuesday',
        place: 'Sala 2',
      });
      // 2027-03-02 is the first Tuesday; Bucharest is UTC+2 then.
      expect(meeting.startsAt.toISOString()).toBe('2027-03-02T08:00:00.000Z');
      expect(meeting.endsAt.toISOString()).toBe('2027-03-02T09:30:00.000Z');
      expect(meeting.place).toBe('Sala 2');
      const next = await meetings.scheduleNextInSeries(coordinator, series.id);
      // Two weeks on, the same weekday and local time.
      expect(next.startsAt.toISOString()).toBe('2027-03-16T08:00:00.000Z');
      expect(next.series?.id).toBe(series.id);
      expect(await eventsOf('meeting.seriesCreated')).toContainEqual({
        seriesId: series.id,
        title: 'Every other Tuesday',
        cadence: 'WEEKLY',
      });
    });

    it('refuses a rule that cannot work, naming the field, and writes nothing', async () => {
      const before = await app.em().count(Meeting, { taskForce: taskForce.id });
      await expect(
        meetings.createSeries(coordinator, { ...rule, taskForceId: taskForce.id, title: 'Bad', weekday: 8 }),
      ).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'weekday' } });
      expect(await app.em().count(Meeting, { taskForce: taskForce.id })).toBe(before);
    });

    it('is a coordinator’s: members and other task forces cannot set one up or extend it', async () => {
      await expect(
        meetings.createSeries(officer, { ...rule, taskForceId: taskForce.id, title: 'Mine' }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      const { series } = await meetings.createSeries(coordinator, { ...rule, taskForceId: taskForce.id, title: 'S' });
      await expect(meetings.scheduleNextInSeries(outsider, series.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(meetings.scheduleNextInSeries(officer, series.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    });
  });

  describe('templates', () => {
    it('saves a meeting’s agenda and starts a new meeting from it, the template’s items first', async () => {
      const source = await rows.meeting(taskForce, coordinatorRow, {
        agenda: [{ title: 'Opening', timeBoxMinutes: 5 }, 'Cases', 'Next steps'],
      });
      const template = await meetings.saveTemplate(coordinator, source.meeting.id, ' Monthly review ');
      expect(template.name).toBe('Monthly review');
      expect(template.items).toEqual([
        { title: 'Opening', timeBoxMinutes: 5 },
        { title: 'Cases', timeBoxMinutes: null },
        { title: 'Next steps', timeBoxMinutes: null },
      ]);
      const startsAt = new Date(Date.now() + 30 * 86_400_000);
      const meeting = await meetings.schedule(coordinator, {
        taskForceId: taskForce.id,
        title: 'From the template',
        startsAt,
        endsAt: new Date(startsAt.getTime() + 3600_000),
        templateId: template.id,
        agenda: [{ title: 'Any other business' }],
      });
      const agenda = await app.em().find(AgendaItem, { meeting: meeting.id }, { orderBy: { position: 'asc' } });
      expect(agenda.map((a) => [a.title, a.timeBoxMinutes])).toEqual([
        ['Opening', 5],
        ['Cases', null],
        ['Next steps', null],
        ['Any other business', null],
      ]);
      expect((await meetings.templates(observer, taskForce.id)).map((t) => t.id)).toContain(template.id);
      await expect(meetings.templates(outsider, taskForce.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('refuses an empty agenda, a template of another task force, and members saving one', async () => {
      const empty = await rows.meeting(taskForce, coordinatorRow, { agenda: [] });
      await expect(meetings.saveTemplate(coordinator, empty.meeting.id, 'Empty')).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
      });
      const full = await rows.meeting(taskForce, coordinatorRow, { agenda: ['One'] });
      await expect(meetings.saveTemplate(officer, full.meeting.id, 'Mine')).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      const template = await meetings.saveTemplate(coordinator, full.meeting.id, 'Ours');
      const startsAt = new Date(Date.now() + 30 * 86_400_000);
      await expect(
        meetings.schedule(outsider, {
          taskForceId: outsider.roles.keys().next().value!,
          title: 'Theirs',
          startsAt,
          endsAt: new Date(startsAt.getTime() + 3600_000),
          templateId: template.id,
        }),
      ).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'templateId' } });
    });
  });

  describe('decisions with what they link', () => {
    it('links the case summary and exactly the action items chosen, in one event each', async () => {
      const m = await rows.meeting(taskForce, coordinatorRow, { status: MeetingStatus.LIVE, agenda: ['Cases'] });
      const summary = await rows.caseSummary(taskForce, coordinatorRow);
      const chosen = await item('Interview the witness', m.meeting.id, { memberId: officer.memberId });
      const notChosen = await item('Book the room', m.meeting.id, { memberId: officer.memberId });
      const decision = await followUp.recordDecision(coordinator, {
        meetingId: m.meeting.id,
        agendaItemId: m.agenda[0].id,
        text: 'Open an investigation',
        caseSummaryId: summary.id,
        reviewOn: dayFromToday(14),
        actionItemIds: [chosen.id],
      });
      expect(decision.caseSummary?.id).toBe(summary.id);
      expect(decision.reviewOn).toBe(dayFromToday(14));
      const em = app.em();
      expect((await em.findOneOrFail(ActionItem, chosen.id)).decision?.id).toBe(decision.id);
      expect((await em.findOneOrFail(ActionItem, notChosen.id)).decision ?? null).toBeNull();
      expect(await em.count(ActionItemChange, { actionItem: chosen.id, kind: 'decision' })).toBe(1);
      expect(await eventsOf('meeting.decisionRecorded')).toContainEqual(
        expect.objectContaining({ decisionId: decision.id, actionItemIds: [chosen.id], caseSummaryId: summary.id }),
      );
    });

    it('refuses an item of another meeting and writes neither the decision nor any link', async () => {
      const m = await rows.meeting(taskForce, coordinatorRow, { status: MeetingStatus.LIVE, agenda: ['Cases'] });
      const elsewhere = await rows.meeting(taskForce, coordinatorRow, { status: MeetingStatus.LIVE, agenda: ['X'] });
      const ours = await item('Ours', m.meeting.id, { memberId: officer.memberId });
      const theirs = await item('Theirs', elsewhere.meeting.id, { memberId: officer.memberId });
      await expect(
        followUp.recordDecision(coordinator, {
          meetingId: m.meeting.id,
          agendaItemId: m.agenda[0].id,
          text: 'Both',
          actionItemIds: [ours.id, theirs.id],
        }),
      ).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'actionItemIds' } });
      const em = app.em();
      expect(await em.count(Decision, { meeting: m.meeting.id })).toBe(0);
      expect((await em.findOneOrFail(ActionItem, ours.id)).decision ?? null).toBeNull();
    });

    it('never links an item unasked: a decision without ids leaves the agenda item’s items alone', async () => {
      const m = await rows.meeting(taskForce, coordinatorRow, { status: MeetingStatus.LIVE, agenda: ['Cases'] });
      const open = await item('Loose', m.meeting.id, { memberId: officer.memberId });
      await followUp.recordDecision(coordinator, { meetingId: m.meeting.id, agendaItemId: m.agenda[0].id, text: 'X' });
      expect((await app.em().findOneOrFail(ActionItem, open.id)).decision ?? null).toBeNull();
    });

    it('refuses a review date that is not a date', async () => {
      const m = await rows.meeting(taskForce, coordinatorRow, { status: MeetingStatus.LIVE, agenda: ['Cases'] });
      await expect(
        followUp.recordDecision(coordinator, {
          meetingId: m.meeting.id,
          agendaItemId: m.agenda[0].id,
          text: 'X',
          reviewOn: '2027-13-01',
        }),
      ).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'reviewOn' } });
    });
  });

  describe('correcting a minutes note', () => {
    it('lets the author correct it while the meeting runs, keeping the earlier text', async () => {
      const m = await rows.meeting(taskForce, coordinatorRow, { status: MeetingStatus.LIVE, agenda: ['Cases'] });
      const note = await meetings.addNote(officer, m.meeting.id, m.agenda[0].id, 'Two witnesess');
      const corrected = await meetings.correctNote(officer, note.id, 'Two witnesses');
      expect(corrected.text).toBe('Two witnesses');
      expect(corrected.correctedAt).toBeInstanceOf(Date);
      const history = await app.em().find(MinuteNoteRevision, { note: note.id });
      expect(history.map((r) => r.text)).toEqual(['Two witnesess']);
      expect(await eventsOf('meeting.noteCorrected')).toContainEqual(
        expect.objectContaining({ noteId: note.id, text: 'Two witnesses', authorId: officer.memberId }),
      );
    });

    it('refuses someone else’s note (a coordinator too), and any note once the meeting has ended', async () => {
      const m = await rows.meeting(taskForce, coordinatorRow, { status: MeetingStatus.LIVE, agenda: ['Cases'] });
      const note = await meetings.addNote(officer, m.meeting.id, m.agenda[0].id, 'As said');
      for (const who of [ngo, coordinator])
        await expect(meetings.correctNote(who, note.id, 'Changed')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(meetings.correctNote(outsider, note.id, 'Changed')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await meetings.end(coordinator, m.meeting.id);
      await expect(meetings.correctNote(officer, note.id, 'Changed')).rejects.toMatchObject({ code: 'CONFLICT' });
      expect((await app.em().findOneOrFail(MinuteNote, note.id)).text).toBe('As said');
    });
  });

  describe('the follow-up section of the next meeting of a series', () => {
    it('carries the unreached agenda, the decisions due for review and the open items of the previous meeting', async () => {
      const { series, meeting: first } = await meetings.createSeries(coordinator, {
        taskForceId: taskForce.id,
        title: 'Weekly',
        cadence: SeriesCadence.WEEKLY,
        weekday: ((new Date().getUTCDay() + 6) % 7) + 1,
        interval: 1,
        startTime: '09:00',
        durationMinutes: 60,
        startsOn: dayFromToday(-14),
      });
      // The first meeting is in the past: schedule the next ones up to this week's.
      const agenda = async (meetingId: string, titles: string[]) => {
        for (const title of titles) await meetings.addAgendaItem(coordinator, meetingId, { title });
        return app.em().find(AgendaItem, { meeting: meetingId }, { orderBy: { position: 'asc' } });
      };
      const [reached, unreached] = await agenda(first.id, ['Reached', 'Never reached']);
      await meetings.start(coordinator, first.id);
      const open = await item('Still open', first.id, { agencyId: ngo.agencyId });
      const done = await item('Done already', first.id, { memberId: officer.memberId });
      await items.changeStatus(officer, done.id, ActionItemStatus.IN_PROGRESS);
      await items.changeStatus(officer, done.id, ActionItemStatus.DONE);
      const dueDecision = await followUp.recordDecision(coordinator, {
        meetingId: first.id,
        agendaItemId: reached.id,
        text: 'Review this next time',
        reviewOn: dayFromToday(-7),
      });
      await followUp.recordDecision(coordinator, {
        meetingId: first.id,
        agendaItemId: reached.id,
        text: 'Review much later',
        reviewOn: dayFromToday(60),
      });
      const ends = await followUp.openEnds(coordinator, first.id);
      expect(ends.unclaimedItems.map((i) => i.id)).toEqual([open.id]);
      expect(ends.agendaNotReached.map((a) => a.id)).toEqual([unreached.id]);
      await meetings.end(coordinator, first.id);

      const second = await meetings.scheduleNextInSeries(coordinator, series.id);
      const section = await followUp.followUp(ngo, second.id);
      expect(section.previous?.id).toBe(first.id);
      expect(section.unfinishedAgenda.map((a) => a.title)).toEqual(['Never reached']);
      expect(section.decisionsDue.map((d) => d.id)).toEqual([dueDecision.id]);
      expect(section.openActionItems.map((i) => i.id)).toEqual([open.id]);
      await expect(followUp.followUp(outsider, second.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('is empty for a meeting outside a series, or the first of one', async () => {
      const m = await rows.meeting(taskForce, coordinatorRow, { agenda: ['X'] });
      expect(await followUp.followUp(coordinator, m.meeting.id)).toEqual({
        previous: null,
        unfinishedAgenda: [],
        decisionsDue: [],
        openActionItems: [],
        overdueActionItems: [],
      });
    });
  });

  it('lists for a member both their own items and their agency’s unclaimed ones, not a colleague’s taken one', async () => {
    const mine = await item('Mine', null, { memberId: ngo.memberId });
    const agencys = await item('Agency’s', null, { agencyId: ngo.agencyId });
    const taken = await item('Taken by a colleague', null, { agencyId: ngo.agencyId });
    await items.take(ngoColleague, taken.id);
    const page = await items.list(ngo, taskForce.id, { scope: ActionItemScope.FOR_ME }, 200);
    const ids = page.items.map((i) => i.id);
    expect(ids).toEqual(expect.arrayContaining([mine.id, agencys.id]));
    expect(ids).not.toContain(taken.id);
  });

  it('keeps the reason an item was cancelled in its history', async () => {
    const cancelled = await item('Not needed', null, { memberId: officer.memberId });
    await items.changeStatus(coordinator, cancelled.id, ActionItemStatus.CANCELLED, 'Case closed');
    const change = await app.em().findOneOrFail(ActionItemChange, { actionItem: cancelled.id, kind: 'status' });
    expect(change.after).toEqual({ status: 'CANCELLED', reason: 'Case closed' });
  });

  describe('since the last meeting', () => {
    it('tells what happened after the last meeting ended, as the reader’s agency may know it', async () => {
      const m = await rows.meeting(taskForce, coordinatorRow, { status: MeetingStatus.LIVE, agenda: ['A'] });
      const before = await item('Before the end', m.meeting.id, { memberId: officer.memberId });
      await meetings.end(coordinator, m.meeting.id);
      const after = await item('After the end', null, { agencyId: ngo.agencyId });
      const summary = await cases.create(officer, {
        taskForceId: taskForce.id,
        caseCode: `SINCE-${Date.now()}`,
        stage: CaseStage.INVESTIGATION,
      });
      await cases.update(officer, summary.id, summary.version, {
        sections: { [CaseSection.INVESTIGATION]: 'Surveillance started' },
      });
      const seen = await followUp.sinceLastMeeting(ngo, taskForce.id);
      expect(seen.lastMeeting?.id).toBe(m.meeting.id);
      const ids = seen.events.map((e) => (e.data as { actionItemId?: string }).actionItemId).filter(Boolean);
      expect(ids).toContain(after.id);
      expect(ids).not.toContain(before.id);
      const caseEvents = seen.events.filter((e) => e.type === 'caseSummary.updated');
      expect(caseEvents).toHaveLength(1);
      // The NGO may not read the investigation: the event says a change happened, not where.
      expect(caseEvents[0].data).toMatchObject({ caseSummaryId: summary.id });
      expect((caseEvents[0].data as { changed: string[] }).changed).not.toContain(CaseSection.INVESTIGATION);
      const police = await followUp.sinceLastMeeting(officer, taskForce.id);
      const theirs = police.events.find((e) => e.type === 'caseSummary.updated')!;
      expect((theirs.data as { changed: string[] }).changed).toContain(CaseSection.INVESTIGATION);
      await expect(followUp.sinceLastMeeting(outsider, taskForce.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });
});
