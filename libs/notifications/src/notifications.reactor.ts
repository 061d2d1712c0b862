import { EntityManager } from '@mikro-orm/core';
import { Injectable, OnModuleInit } from '@nestjs/common';
import type { ActionItemPayload, HubEventType } from '@hub/contracts';
import { Clock } from '@hub/core';
import { type NewEvent, WriteTransaction } from '@hub/events';
import { type NotificationDraft, Notifier } from './notifier';
import { TaskForceRecipients } from './recipients';

type Draft = Omit<NotificationDraft, 'taskForceId' | 'except'>;
type Rule<T extends HubEventType> = (event: NewEvent<T>, people: TaskForceRecipients) => Promise<Draft | null>;

/** An item newly given to a member (them) or to an agency (its members). */
async function assigned(data: ActionItemPayload, people: TaskForceRecipients): Promise<Draft> {
  return {
    kind: 'ASSIGNED',
    subjectType: 'actionItem',
    subjectId: data.actionItemId,
    to: data.assigneeMemberId
      ? await people.member(data.assigneeMemberId)
      : data.assigneeAgencyId
        ? await people.ofAgency(data.assigneeAgencyId)
        : [],
  };
}

const meeting =
  (kind: Draft['kind'], urgent = false): Rule<'meeting.scheduled' | 'meeting.updated' | 'meeting.cancelled'> =>
  async (event, people) => ({
    kind,
    urgent,
    subjectType: 'meeting',
    subjectId: event.data.meetingId,
    // A task force's meetings are for all of it: its members are the expected attendees.
    to: await people.everyone(),
  });

/**
 * Which domain events notify whom: one line per event type. An event type added elsewhere (a decision's
 * review date, say) is notified by adding its line here; types without a line notify nobody.
 */
const RULES: { [T in HubEventType]?: Rule<T> } = {
  'actionItem.created': (event, people) => assigned(event.data, people),
  'actionItem.updated': async (event, people) =>
    // Taking an item also changes its assignee: the taker is its only new assignee, and is not told.
    event.data.changes.includes('assignee') ? assigned(event.data, people) : null,
  'meeting.scheduled': meeting('MEETING_SCHEDULED'),
  'meeting.updated': meeting('MEETING_CHANGED'),
  'meeting.cancelled': meeting('MEETING_CANCELLED', true),
  'membership.added': async (event, people) => ({
    kind: 'MEMBERSHIP_CHANGED',
    subjectType: 'taskForce',
    subjectId: event.taskForceId,
    to: await people.member(event.data.memberId),
  }),
  'membership.roleChanged': async (event, people) => ({
    kind: 'MEMBERSHIP_CHANGED',
    subjectType: 'taskForce',
    subjectId: event.taskForceId,
    to: await people.member(event.data.memberId),
  }),
};

/** Notifications that follow from what a write did, written in that write's transaction: exactly when it commits. */
@Injectable()
export class NotificationsReactor implements OnModuleInit {
  constructor(
    private readonly writes: WriteTransaction,
    private readonly notifier: Notifier,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.writes.react((em, events, queue) => this.react(em, events, queue));
  }

  private async react(
    em: EntityManager,
    events: readonly NewEvent[],
    queue: Parameters<Notifier['write']>[1],
  ): Promise<void> {
    const people = new Map<string, TaskForceRecipients>();
    for (const event of events) {
      const rule = RULES[event.type] as Rule<HubEventType> | undefined;
      if (!rule) continue;
      let recipients = people.get(event.taskForceId);
      if (!recipients) people.set(event.taskForceId, (recipients = new TaskForceRecipients(em, event.taskForceId)));
      const draft = await rule(event, recipients);
      if (draft)
        await this.notifier.write(
          em,
          queue,
          { ...draft, taskForceId: event.taskForceId, except: event.actorId },
          this.clock.now(),
          recipients,
        );
    }
  }
}
