import { type Actor, AgencyKind, CaseSection, TaskForceRole } from '@hub/access';
import { ActionItem, ActionItemsService, ActionItemStatus } from '@hub/action-items';
import { CaseStage, CaseSummariesService } from '@hub/case-summaries';
import { localDateOf, ManualClock, bucharestInstant, addCalendarDays } from '@hub/core';
import { FollowUpService } from '@hub/follow-up';
import { type Agency, Member } from '@hub/identity';
import { MeetingsService, MeetingStatus, SeriesCadence } from '@hub/meetings';
import { Notification, ReminderSweep } from '@hub/notifications';
import {
  ConsentPoint,
  HearingKind,
  HearingsService,
  ReadinessItem,
  ReadinessState,
  Referral,
  ReferralPurpose,
  ReferralsService,
  ReferralStatus,
} from '@hub/referrals';
import {
  ServiceAccountsService,
  WebhookDelivery,
  WebhookDispatcher,
  WebhookEndpoint,
  WebhooksService,
} from '@hub/service-accounts';
import { type TaskForce } from '@hub/task-forces';
import { IdentityFactory } from '../factories/identity.factory';
import { MeetingsFactory } from '../factories/meetings.factory';
import { freePort } from '../utils/ports';
import { type ServiceApp, startServiceApp } from '../utils/service-app';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/**
 * The reminders computed by other domains, connected to the reminder sweep: each step reaches exactly
 * the people it names, once, however many times the sweep runs; and a webhook disabled after a day of
 * failures tells the coordinators; overdue action items come back in the next series meeting. The
 * clock is moved by hand; the sweep is called directly.
 */
describe('Reminders of decisions, referrals and hearings, and disabled webhooks', () => {
  const clock = new ManualClock(new Date());
  let app: ServiceApp;
  let sweep: ReminderSweep;
  let taskForce: TaskForce;
  let coordinator: Actor;
  let police: Actor;
  let ngo: Actor;
  let shelter: Actor;
  let ngoAgency: Agency;
  let caseId: string;
  let identity: IdentityFactory;
  const names = new Map<string, string>();

  beforeAll(async () => {
    app = await startServiceApp({ clock });
    sweep = app.get(ReminderSweep);
    identity = new IdentityFactory(app);
    taskForce = await identity.taskForce();
    ngoAgency = await identity.agency(AgencyKind.VICTIM_SUPPORT_NGO);
    const person = async (name: string, role: TaskForceRole, options: { agency?: Agency; kind?: AgencyKind }) => {
      const member = await identity.member(options);
      await identity.membership(taskForce, member, role);
      names.set(member.id, name);
      return app.actor(member);
    };
    coordinator = await person('coordinator', TaskForceRole.COORDINATOR, { kind: AgencyKind.NATIONAL_AGENCY });
    police = await person('police', TaskForceRole.MEMBER, { kind: AgencyKind.POLICE });
    ngo = await person('ngo', TaskForceRole.MEMBER, { agency: ngoAgency });
    await person('ngo-colleague', TaskForceRole.MEMBER, { agency: ngoAgency });
    await person('ngo-observer', TaskForceRole.OBSERVER, { agency: ngoAgency });
    shelter = await person('shelter', TaskForceRole.MEMBER, { kind: AgencyKind.SOCIAL_SERVICES });
    const summary = await app.get(CaseSummariesService).create(police, {
      taskForceId: taskForce.id,
      caseCode: 'REM-001',
      stage: CaseStage.INVESTIGATION,
      sections: { [CaseSection.INVESTIGATION]: 'Investigation text the reminders never carry' },
    });
    caseId = summary.id;
  });
  afterAll(() => app?.close());

  /** Every notification about one subject, as "kind → name", sorted. */
  async function about(subjectId: string): Promise<string[]> {
    const rows = await app.em().find(Notification, { subjectId }, { orderBy: { id: 'asc' } });
    return rows.map((r) => `${r.kind} → ${names.get(r.member.id)}`).sort();
  }
  /** Moves the clock and sweeps twice: the second round must add nothing. */
  async function sweepAt(at: Date): Promise<void> {
    clock.set(at);
    await sweep.sweep();
    await sweep.sweep();
  }

  it("a decision's review date reached tells the coordinators, once", async () => {
    const rows = new MeetingsFactory(app);
    const coordinatorRow = await app.em().findOneOrFail(Member, coordinator.memberId);
    const m = await rows.meeting(taskForce, coordinatorRow, { status: MeetingStatus.LIVE, agenda: ['Cases'] });
    const reviewOn = addCalendarDays(localDateOf(new Date()), 3);
    const decision = await app.get(FollowUpService).recordDecision(coordinator, {
      meetingId: m.meeting.id,
      agendaItemId: m.agenda[0].id,
      text: 'Review the shelter placement',
      reviewOn,
      actionItemIds: [],
    });
    await sweepAt(bucharestInstant(addCalendarDays(reviewOn, -1), '12:00'));
    expect(await about(decision.id)).toEqual([]);
    await sweepAt(bucharestInstant(reviewOn, '08:00'));
    expect(await about(decision.id)).toEqual(['DECISION_REVIEW → coordinator']);
    await sweepAt(bucharestInstant(addCalendarDays(reviewOn, 2), '08:00'));
    expect(await about(decision.id)).toEqual(['DECISION_REVIEW → coordinator']);
  });

  it('an unanswered referral: the receiving agency at its deadline, then the coordinators; an answered one nothing', async () => {
    const referrals = app.get(ReferralsService);
    await referrals.recordConsent(police, {
      caseSummaryId: caseId,
      given: true,
      purposes: [ReferralPurpose.ASSISTANCE, ReferralPurpose.SHELTER],
      receiverAgencyIds: [ngo.agencyId, shelter.agencyId],
      sections: [CaseSection.INVESTIGATION],
      language: 'română',
      interpreterUsed: false,
      explainedPoints: Object.values(ConsentPoint),
      readBack: true,
    });
    const waiting = await referrals.request(police, {
      caseSummaryId: caseId,
      toAgencyId: ngo.agencyId,
      purpose: ReferralPurpose.ASSISTANCE,
      sections: [CaseSection.INVESTIGATION],
    });
    const answered = await referrals.request(police, {
      caseSummaryId: caseId,
      toAgencyId: shelter.agencyId,
      purpose: ReferralPurpose.SHELTER,
      sections: [CaseSection.INVESTIGATION],
    });
    await referrals.changeStatus(shelter, answered.id, ReferralStatus.ACCEPTED);
    const row = await app.em().findOneOrFail(Referral, waiting.id);
    const window = row.respondBy.getTime() - row.requestedAt.getTime();

    await sweepAt(new Date(row.respondBy.getTime() - MINUTE_MS));
    expect(await about(waiting.id)).toEqual([]);
    await sweepAt(new Date(row.respondBy.getTime() + MINUTE_MS));
    // The receiving agency's members, not its observer, not the referring police, not the coordinator yet.
    expect(await about(waiting.id)).toEqual(['REFERRAL_UNANSWERED → ngo', 'REFERRAL_UNANSWERED → ngo-colleague']);
    await sweepAt(new Date(row.respondBy.getTime() + window + MINUTE_MS));
    expect(await about(waiting.id)).toEqual([
      'REFERRAL_UNANSWERED → coordinator',
      'REFERRAL_UNANSWERED → ngo',
      'REFERRAL_UNANSWERED → ngo-colleague',
    ]);
    await sweepAt(new Date(row.respondBy.getTime() + 3 * window));
    expect(await about(waiting.id)).toHaveLength(3);
    expect(await about(answered.id)).toEqual([]);
    // Ids and kinds only: the inbox row has no room for the sections or the case's text.
    const rows = await app.em().find(Notification, { subjectId: waiting.id });
    expect(rows.every((r) => r.subjectType === 'referral' && r.taskForce.id === taskForce.id)).toBe(true);
  });

  it('an incomplete checklist: its owners 7 days before, then the coordinators too 2 days before; a ready one nothing', async () => {
    const hearings = app.get(HearingsService);
    const startsAt = new Date(Date.now() + 10 * DAY_MS);
    const schedule = () =>
      hearings.schedule(police, {
        caseSummaryId: caseId,
        court: 'Tribunalul Dolj',
        startsAt,
        kind: HearingKind.VICTIM_HEARING,
        owners: [{ item: ReadinessItem.INTERPRETER, agencyId: shelter.agencyId }],
      });
    const incomplete = await schedule();
    const ready = await schedule();
    const policeItems = Object.values(ReadinessItem).filter((i) => i !== ReadinessItem.INTERPRETER);
    for (const item of policeItems) await hearings.updateItem(police, incomplete.hearing.id, item, ReadinessState.DONE);
    for (const item of policeItems) await hearings.updateItem(police, ready.hearing.id, item, ReadinessState.DONE);
    await hearings.updateItem(shelter, ready.hearing.id, ReadinessItem.INTERPRETER, ReadinessState.DONE, 'arabă');
    const id = incomplete.hearing.id;

    await sweepAt(new Date(startsAt.getTime() - 7 * DAY_MS - MINUTE_MS));
    expect(await about(id)).toEqual([]);
    await sweepAt(new Date(startsAt.getTime() - 7 * DAY_MS + MINUTE_MS));
    // Only the agency whose item is still open: the police finished theirs.
    expect(await about(id)).toEqual(['HEARING_NOT_READY → shelter']);
    await sweepAt(new Date(startsAt.getTime() - 2 * DAY_MS + MINUTE_MS));
    expect(await about(id)).toEqual([
      'HEARING_NOT_READY → coordinator',
      'HEARING_NOT_READY → shelter',
      'HEARING_NOT_READY → shelter',
    ]);
    await sweepAt(new Date(startsAt.getTime() - DAY_MS));
    expect(await about(id)).toHaveLength(3);
    expect(await about(ready.hearing.id)).toEqual([]);
  });

  it("a webhook failing for a day is disabled and its task force's coordinators are told once", async () => {
    const account = await app
      .get(ServiceAccountsService)
      .create(coordinator, { taskForceId: taskForce.id, name: 'Case system', agencyId: police.agencyId });
    // Nothing listens on this port: every attempt fails to connect.
    const { endpoint } = await app.get(WebhooksService).register(coordinator, {
      serviceAccountId: account.id,
      url: `http://127.0.0.1:${await freePort()}/hook`,
      eventTypes: ['hearing.scheduled'],
    });
    await app.get(HearingsService).schedule(police, {
      caseSummaryId: caseId,
      court: 'Judecătoria Craiova',
      startsAt: new Date(Date.now() + 30 * DAY_MS),
      kind: HearingKind.TRIAL,
    });
    const dispatcher = app.get(WebhookDispatcher);
    await dispatcher.tick();
    expect(await about(endpoint.id)).toEqual([]);
    // A day of failures, and the retry due now.
    await app
      .em()
      .nativeUpdate(WebhookEndpoint, { id: endpoint.id }, { failingSince: new Date(Date.now() - 2 * DAY_MS) });
    await app
      .em()
      .nativeUpdate(WebhookDelivery, { endpoint: endpoint.id }, { nextAttemptAt: new Date(Date.now() - 1000) });
    await dispatcher.tick();
    await dispatcher.tick();
    expect((await app.em().findOneOrFail(WebhookEndpoint, endpoint.id)).disabledAt).toBeInstanceOf(Date);
    expect(await about(endpoint.id)).toEqual(['WEBHOOK_DISABLED → coordinator']);
  });

  it("the next meeting of a series lists the task force's overdue items, once, and only its own task force's", async () => {
    const meetings = app.get(MeetingsService);
    const items = app.get(ActionItemsService);
    const today = localDateOf(new Date());
    const { series, meeting: first } = await meetings.createSeries(coordinator, {
      taskForceId: taskForce.id,
      title: 'Weekly',
      cadence: SeriesCadence.WEEKLY,
      weekday: ((new Date().getUTCDay() + 6) % 7) + 1,
      interval: 1,
      startTime: '09:00',
      durationMinutes: 60,
      startsOn: addCalendarDays(today, -14),
    });
    await meetings.start(coordinator, first.id);
    const create = (actor: Actor, taskForceId: string, title: string, meetingId: string | null = null) =>
      items.create(actor, {
        taskForceId,
        title,
        dueOn: addCalendarDays(today, 7),
        assignee: { agencyId: actor.agencyId },
        meetingId,
      });
    const fromFirst = await create(coordinator, taskForce.id, 'From the first meeting', first.id);
    const overdue = await create(coordinator, taskForce.id, 'Overdue elsewhere');
    await create(coordinator, taskForce.id, 'Not due yet');
    const finished = await create(coordinator, taskForce.id, 'Done though late');
    const other = await identity.taskForce();
    const otherMember = await identity.member({ kind: AgencyKind.POLICE });
    await identity.membership(other, otherMember, TaskForceRole.COORDINATOR);
    const elsewhere = await create(await app.actor(otherMember), other.id, 'Overdue in another task force');
    await meetings.end(coordinator, first.id);
    const next = await meetings.scheduleNextInSeries(coordinator, series.id);
    // Their due dates have passed by the next meeting's day.
    const past = addCalendarDays(localDateOf(next.startsAt), -3);
    for (const item of [fromFirst, overdue, finished, elsewhere])
      await app.em().nativeUpdate(ActionItem, { id: item.id }, { dueOn: past });
    await app.em().nativeUpdate(ActionItem, { id: finished.id }, { status: ActionItemStatus.DONE });

    const observer = await identity.member({ agency: ngoAgency });
    await identity.membership(taskForce, observer, TaskForceRole.OBSERVER);
    for (const reader of [coordinator, ngo, await app.actor(observer)]) {
      const section = await app.get(FollowUpService).followUp(reader, next.id);
      expect(section.openActionItems.map((i) => i.id)).toEqual([fromFirst.id]);
      // Listed once: the previous meeting's own item stays in its list.
      expect(section.overdueActionItems.map((i) => i.id)).toEqual([overdue.id]);
    }
  });
});
