import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { type Actor, can, refuseAggregatesOnly } from '@hub/access';
import { ActionItem, ActionItemChange, assertWorker, isCalendarDate } from '@hub/action-items';
import { addCalendarDays, assertPageSize, Clock, keysetCursor, localDateOf, notFound, screenFields } from '@hub/core';
import { findLocked, WriteTransaction } from '@hub/events';
import { Member } from '@hub/identity';
import { EmailMode, Notification, NotificationPreference, ReminderSnooze } from './notification.entity';
import { badDigestHour, badSnoozeDay, notificationNotFound, snoozeNeedsReason } from './notifications.errors';

const INBOX_CURSOR = keysetCursor('inbox', ['int']);
export const inboxCursor = (row: Notification) => INBOX_CURSOR.encode([row.id]);

export interface InboxPage {
  items: Notification[];
  hasNextPage: boolean;
}

export interface PreferenceInput {
  emailMode?: EmailMode;
  digestHour?: number;
  quietHours?: boolean;
}

const MAX_SNOOZE_DAYS = 30;

/**
 * A member's inbox: only their own rows, and only of task forces they still belong to (a member who
 * left one no longer sees what it sent them).
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly em: EntityManager,
    private readonly writes: WriteTransaction,
    private readonly clock: Clock,
  ) {}

  private own(actor: Actor) {
    return { member: actor.memberId, taskForce: { $in: [...actor.roles.keys()] } };
  }

  /** Newest first; `after` is the endCursor of the previous page. */
  async inbox(actor: Actor, first: number, after?: string | null, unreadOnly = false): Promise<InboxPage> {
    assertPageSize(first);
    const where: Record<string, unknown> = this.own(actor);
    if (after) where.id = { $lt: INBOX_CURSOR.decode(after)[0] };
    if (unreadOnly) where.readAt = null;
    const rows = await this.em.find(Notification, where, { orderBy: { id: 'desc' }, limit: first + 1 });
    return { items: rows.slice(0, first), hasNextPage: rows.length > first };
  }

  unreadCount(actor: Actor): Promise<number> {
    return this.em.count(Notification, { ...this.own(actor), readAt: null });
  }

  /** For a reconnecting live client: everything after the inbox position it saw last, oldest first. */
  async since(actor: Actor, after: number): Promise<Notification[]> {
    return this.em.find(
      Notification,
      { ...this.own(actor), id: { $gt: after } },
      { orderBy: { id: 'asc' }, limit: 1000 },
    );
  }

  async markRead(actor: Actor, id: number): Promise<Notification> {
    return this.writes.run(async (em) => {
      const row = await em.findOne(Notification, { ...this.own(actor), id });
      if (!row) throw notificationNotFound();
      row.readAt ??= new Date();
      return row;
    });
  }

  /** Returns how many were unread. */
  async markAllRead(actor: Actor): Promise<number> {
    return this.writes.run((em) =>
      em.nativeUpdate(Notification, { ...this.own(actor), readAt: null }, { readAt: new Date() }),
    );
  }

  async preferences(actor: Actor): Promise<NotificationPreference> {
    return (
      (await this.em.findOne(NotificationPreference, { id: actor.memberId })) ??
      this.em.create(NotificationPreference, { id: actor.memberId }, { persist: false })
    );
  }

  /**
   * Choosing e-mail starts from now: what is already in the inbox is not mailed (an opt-in is not a
   * flood of the past).
   */
  async setPreferences(actor: Actor, input: PreferenceInput): Promise<NotificationPreference> {
    if (
      input.digestHour !== undefined &&
      !(Number.isInteger(input.digestHour) && input.digestHour >= 0 && input.digestHour <= 23)
    )
      throw badDigestHour();
    return this.writes.run(async (em) => {
      let pref = await em.findOne(NotificationPreference, { id: actor.memberId });
      if (!pref) pref = em.create(NotificationPreference, { id: actor.memberId });
      // null, like absent, leaves a setting as it is.
      if (input.emailMode != null && input.emailMode !== pref.emailMode) {
        if (pref.emailMode === EmailMode.NONE) pref.mailedUpTo = await this.lastPosition(em, actor.memberId);
        pref.emailMode = input.emailMode;
      }
      if (input.digestHour != null) pref.digestHour = input.digestHour;
      if (input.quietHours != null) pref.quietHours = input.quietHours;
      return pref;
    });
  }

  private async lastPosition(em: EntityManager, memberId: string): Promise<number> {
    const last = await em.findOne(Notification, { member: memberId }, { orderBy: { id: 'desc' }, fields: ['id'] });
    return last?.id ?? 0;
  }

  /**
   * Holds an item's reminders back until a day, with a reason that goes into the item's history.
   * Its assignee (or their agency) or a coordinator may.
   */
  async snooze(actor: Actor, actionItemId: string, until: string, reason: string): Promise<ActionItem> {
    if (!reason?.trim()) throw snoozeNeedsReason();
    screenFields({ reason });
    const today = localDateOf(this.clock.now());
    if (!isCalendarDate(until) || until <= today || until > addCalendarDays(today, MAX_SNOOZE_DAYS))
      throw badSnoozeDay();
    return this.writes.run(async (em) => {
      const item = await findLocked(em, ActionItem, actionItemId, 'write');
      if (!item || !can(actor, 'actionItem.read', item.taskForce.id)) {
        // The national programme role reads aggregates only: FORBIDDEN, as on every case-level lookup.
        refuseAggregatesOnly(actor, item?.taskForce.id);
        throw notFound('The action item');
      }
      if (!can(actor, 'actionItem.manage', item.taskForce.id)) assertWorker(actor, item);
      const existing = await em.findOne(ReminderSnooze, { actionItemId });
      const before = existing ? { until: existing.until } : null;
      if (existing)
        Object.assign(existing, { until, reason: reason.trim(), snoozedBy: em.getReference(Member, actor.memberId) });
      else
        em.create(ReminderSnooze, {
          actionItemId,
          until,
          reason: reason.trim(),
          snoozedBy: em.getReference(Member, actor.memberId),
        });
      em.create(ActionItemChange, {
        actionItem: item,
        actor: em.getReference(Member, actor.memberId),
        kind: 'snoozed',
        before,
        after: { until, reason: reason.trim() },
      });
      return item;
    });
  }
}
