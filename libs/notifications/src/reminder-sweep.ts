import { EntityManager, MikroORM } from '@mikro-orm/core';
import { type EntityManager as SqlEntityManager } from '@mikro-orm/knex';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ACTIVE_STATUSES, ActionItem, ActionItemChange } from '@hub/action-items';
import { addWorkingDays, Clock, HUB_CONFIG, type HubConfig, localDateOf, Metrics } from '@hub/core';
import { WriteTransaction } from '@hub/events';
import { Decision, Meeting, MeetingStatus } from '@hub/meetings';
import {
  Hearing,
  HearingReadinessItem,
  readinessRemindersDue,
  Referral,
  referralRemindersDue,
  ReferralStatus,
} from '@hub/referrals';
import { ReminderSnooze, ReminderStep } from './notification.entity';
import { type NotificationDraft, Notifier } from './notifier';
import { TaskForceRecipients } from './recipients';
import { dueItemSteps, type ItemStep, MEETING_REMINDER_MS, reminderHorizon } from './reminder-steps';

interface Due {
  subjectId: string;
  step: string;
  dueKey: string;
  draft: (people: TaskForceRecipients) => Promise<Omit<NotificationDraft, 'taskForceId'>>;
  taskForceId: string;
}

/**
 * The periodic look for reminder steps whose time has come. Every instance runs it; a step fires once
 * because its reminder_step row (unique per object, step and due date) is inserted in the same
 * transaction as its notifications, with "on conflict do nothing": the instance whose insert lands
 * writes the notifications, any other finds the row there and writes nothing. No lock, no leader.
 */
@Injectable()
export class ReminderSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReminderSweep');
  private timer?: NodeJS.Timeout;
  private running: Promise<number> | null = null;
  private failing = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly writes: WriteTransaction,
    private readonly notifier: Notifier,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  onApplicationBootstrap(): void {
    // 0: no timer (the test hubs, whose table hashes a sweep between two reads would change); tick() still works.
    if (!this.config.notifications.sweepSeconds) return;
    this.timer = setInterval(() => void this.tick(), this.config.notifications.sweepSeconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    try {
      await this.sweep();
      if (this.failing) this.logger.log('reminder sweep works again');
      this.failing = false;
    } catch (error) {
      this.metrics.reminderSweepFailures.inc();
      if (!this.failing) this.logger.warn(`reminder sweep failed, retrying next round: ${(error as Error).message}`);
      this.failing = true;
    }
  }

  /** One round: fires every step whose time has come and that no instance fired yet. Returns how many it fired. */
  sweep(): Promise<number> {
    this.running ??= this.round().finally(() => (this.running = null));
    return this.running;
  }

  private async round(): Promise<number> {
    const now = this.clock.now();
    const em = this.orm.em.fork();
    const due = [
      ...(await this.itemSteps(em, now)),
      ...(await this.meetingSteps(em, now)),
      ...(await this.decisionSteps(em, now)),
      ...(await this.referralSteps(em, now)),
      ...(await this.hearingSteps(em, now)),
    ];
    if (!due.length) return 0;
    const fired = await em.find(ReminderStep, { subjectId: { $in: [...new Set(due.map((d) => d.subjectId))] } });
    const done = new Set(fired.map((f) => `${f.subjectId}|${f.step}|${f.dueKey}`));
    let count = 0;
    for (const step of due) {
      if (done.has(`${step.subjectId}|${step.step}|${step.dueKey}`)) continue;
      if (await this.fire(step, now)) count++;
    }
    return count;
  }

  private async fire(step: Due, now: Date): Promise<boolean> {
    return this.writes.run(async (em, events) => {
      // Both dialects are SQL ones: the query builder is there.
      const claimed = await (em as SqlEntityManager)
        .createQueryBuilder(ReminderStep)
        .insert({ subjectId: step.subjectId, step: step.step, dueKey: step.dueKey, firedAt: now })
        .onConflict(['subjectId', 'step', 'dueKey'])
        .ignore()
        .execute('run');
      if (!claimed.affectedRows) return false; // another instance fired it
      const people = new TaskForceRecipients(em, step.taskForceId);
      await this.notifier.write(
        em,
        events,
        { ...(await step.draft(people)), taskForceId: step.taskForceId },
        now,
        people,
      );
      return true;
    });
  }

  private async itemSteps(em: EntityManager, now: Date): Promise<Due[]> {
    const today = localDateOf(now);
    const items = await em.find(ActionItem, {
      status: { $in: [...ACTIVE_STATUSES] },
      $or: [{ dueOn: { $lte: reminderHorizon(today) } }, { assigneeMember: null, assigneeAgency: { $ne: null } }],
    });
    if (!items.length) return [];
    const ids = items.map((i) => i.id);
    const snoozed = new Map(
      (await em.find(ReminderSnooze, { actionItemId: { $in: ids }, until: { $gt: today } })).map((s) => [
        s.actionItemId,
        s,
      ]),
    );
    const unclaimed = items.filter((i) => !i.assigneeMember && i.assigneeAgency);
    const givenAt = new Map<string, Date>();
    if (unclaimed.length) {
      const changes = await em.find(
        ActionItemChange,
        { actionItem: { $in: unclaimed.map((i) => i.id) }, kind: { $in: ['created', 'assignee'] } },
        { orderBy: { id: 'asc' } },
      );
      for (const change of changes) givenAt.set(change.actionItem.id, change.at);
    }
    return items.flatMap((item) => {
      if (snoozed.has(item.id)) return [];
      const since = givenAt.get(item.id);
      const steps = dueItemSteps(
        { dueOn: item.dueOn, unclaimedSince: since && !item.assigneeMember ? localDateOf(since) : null },
        today,
      );
      return steps.map((step) => ({
        subjectId: item.id,
        step,
        dueKey: item.dueOn,
        taskForceId: item.taskForce.id,
        draft: (people: TaskForceRecipients) => this.itemDraft(item, step, people),
      }));
    });
  }

  /** Who hears of each step (see docs/using-the-client.md, "Notifications"). */
  private async itemDraft(item: ActionItem, step: ItemStep, people: TaskForceRecipients) {
    const memberId = item.assigneeMember?.id;
    const agencyId = item.assigneeAgency?.id ?? (memberId ? await people.agencyOf(memberId) : undefined);
    const assignee = async () => (memberId ? people.member(memberId) : agencyId ? people.ofAgency(agencyId) : []);
    const agency = async () => (agencyId ? people.ofAgency(agencyId) : []);
    let to: string[];
    switch (step) {
      case 'UNCLAIMED':
        to = [...(await agency()), ...(await people.coordinators())];
        break;
      case 'DUE_SOON':
      case 'DUE_TODAY':
        to = await assignee();
        break;
      case 'OVERDUE':
        to = [...(await assignee()), ...(await agency())];
        break;
      case 'OVERDUE_ESCALATED':
        to = await people.coordinators();
        break;
    }
    return {
      kind: step,
      subjectType: 'actionItem' as const,
      subjectId: item.id,
      urgent: step === 'OVERDUE_ESCALATED',
      to,
    };
  }

  private async meetingSteps(em: EntityManager, now: Date): Promise<Due[]> {
    const meetings = await em.find(Meeting, {
      status: MeetingStatus.SCHEDULED,
      startsAt: { $gt: now, $lte: new Date(now.getTime() + MEETING_REMINDER_MS) },
    });
    return meetings.map((meeting) => ({
      subjectId: meeting.id,
      step: 'MEETING_STARTING',
      // A meeting moved to another time is reminded of again.
      dueKey: meeting.startsAt.toISOString(),
      taskForceId: meeting.taskForce.id,
      draft: async (people: TaskForceRecipients) => ({
        kind: 'MEETING_STARTING' as const,
        subjectType: 'meeting' as const,
        subjectId: meeting.id,
        urgent: true,
        to: await people.everyone(),
      }),
    }));
  }

  /**
   * A decision's review date reached: its task force's coordinators, once per decision and review date.
   * Dates up to 5 working days back are still sent (the hub may have been down that day); older ones
   * predate the sweep and are only in the follow-up section.
   */
  private async decisionSteps(em: EntityManager, now: Date): Promise<Due[]> {
    const today = localDateOf(now);
    const decisions = await em.find(
      Decision,
      { reviewOn: { $lte: today, $gte: addWorkingDays(today, -DECISION_LOOKBACK_DAYS) } },
      { populate: ['meeting'] },
    );
    return decisions.map((decision) => ({
      subjectId: decision.id,
      step: 'DECISION_REVIEW',
      dueKey: decision.reviewOn ?? today,
      taskForceId: decision.meeting.taskForce.id,
      draft: async (people: TaskForceRecipients) => ({
        kind: 'DECISION_REVIEW' as const,
        subjectType: 'decision' as const,
        subjectId: decision.id,
        to: await people.coordinators(),
      }),
    }));
  }

  /**
   * A referral still unanswered at its respond-by deadline: the receiving agency's members (who may
   * see it: libs/referrals, maySeeReferral), then, as long again later, the coordinators. Ids only:
   * neither the sections it shares nor its case's text are named.
   */
  private async referralSteps(em: EntityManager, now: Date): Promise<Due[]> {
    // Both steps fall within days of the deadline: older unanswered ones were reminded of long ago.
    const since = new Date(now.getTime() - REFERRAL_LOOKBACK_MS);
    const referrals = await em.find(Referral, {
      status: ReferralStatus.REQUESTED,
      respondBy: { $lte: now, $gt: since },
    });
    return referrals.flatMap((referral) =>
      referralRemindersDue(referral, now).map((step) => ({
        subjectId: referral.id,
        // The subject's id keeps the domains apart; step names stay within reminder_step.step's 32 characters.
        step: step.step,
        // An answer deadline moved is a new key.
        dueKey: referral.respondBy.toISOString(),
        taskForceId: referral.taskForce.id,
        draft: async (people: TaskForceRecipients) => ({
          kind: 'REFERRAL_UNANSWERED' as const,
          subjectType: 'referral' as const,
          subjectId: referral.id,
          urgent: referral.urgent || step.step === 'COORDINATORS_AFTER_DEADLINE',
          to:
            step.step === 'RECEIVER_AT_DEADLINE' ? await people.ofAgency(step.toAgencyId) : await people.coordinators(),
        }),
      })),
    );
  }

  /**
   * A hearing whose checklist is incomplete: 7 days before, the members of the agencies owning an open
   * item; 2 days before, those and the coordinators. Keyed by the hearing's time, so a hearing moved
   * is reminded of again.
   */
  private async hearingSteps(em: EntityManager, now: Date): Promise<Due[]> {
    const hearings = await em.find(Hearing, {
      startsAt: { $gt: now, $lte: new Date(now.getTime() + HEARING_HORIZON_MS) },
    });
    if (!hearings.length) return [];
    const items = await em.find(HearingReadinessItem, { hearing: { $in: hearings.map((h) => h.id) } });
    return hearings.flatMap((hearing) =>
      readinessRemindersDue(
        hearing,
        items.filter((i) => i.hearing.id === hearing.id),
        now,
      ).map((step) => ({
        subjectId: hearing.id,
        step: step.step,
        dueKey: hearing.startsAt.toISOString(),
        taskForceId: hearing.taskForce.id,
        draft: async (people: TaskForceRecipients) => {
          const owners = (await Promise.all(step.ownerAgencyIds.map((a) => people.ofAgency(a)))).flat();
          const coordinators = step.step === 'COORDINATORS_2_DAYS' ? await people.coordinators() : [];
          return {
            kind: 'HEARING_NOT_READY' as const,
            subjectType: 'hearing' as const,
            subjectId: hearing.id,
            urgent: step.step === 'COORDINATORS_2_DAYS',
            to: [...owners, ...coordinators],
          };
        },
      })),
    );
  }
}

const DECISION_LOOKBACK_DAYS = 5;
const REFERRAL_LOOKBACK_MS = 30 * 86_400_000;
/** The first readiness step is a week before the hearing. */
const HEARING_HORIZON_MS = 7 * 86_400_000;
