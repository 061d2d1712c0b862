import { BigIntType, Entity, Enum, Index, ManyToOne, Opt, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { NotificationKind, NotificationSubject } from '@hub/contracts';
import { Member } from '@hub/identity';
import { TaskForce } from '@hub/task-forces';

/**
 * One entry of a member's inbox: a kind and the object it is about, never free text. The id is the
 * inbox position (increasing), which paging and live catch-up both use.
 */
@Entity({ tableName: 'notification' })
@Index({ properties: ['member', 'id'] })
export class Notification {
  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  id!: number;

  @ManyToOne({ entity: () => Member })
  member!: Member;

  @ManyToOne({ entity: () => TaskForce, index: true })
  taskForce!: TaskForce;

  @Property({ type: 'string', length: 32 })
  kind!: NotificationKind;

  @Property({ type: 'string', length: 16 })
  subjectType!: NotificationSubject;

  @Property({ type: 'uuid' })
  subjectId!: string;

  @Property({ type: 'boolean' })
  urgent: Opt<boolean> = false;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  readAt?: Date | null;
}

/**
 * A reminder step that has fired: at most one row per object, step and due date (the unique key is
 * what makes a step fire once whatever the number of instances sweeping). A new due date is a new key,
 * so the steps start again.
 */
@Entity({ tableName: 'reminder_step' })
@Unique({ properties: ['subjectId', 'step', 'dueKey'] })
export class ReminderStep {
  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  id!: number;

  @Property({ type: 'uuid' })
  subjectId!: string;

  @Property({ type: 'string', length: 32 })
  step!: string;

  /** The due date (YYYY-MM-DD) or the meeting's start instant the step was computed from. */
  @Property({ type: 'string', length: 32 })
  dueKey!: string;

  @Property({ type: 'datetime' })
  firedAt!: Date;
}

/** Reminders of an action item held back until a day, with the reason given (also in the item's history). */
@Entity({ tableName: 'reminder_snooze' })
export class ReminderSnooze {
  @PrimaryKey({ type: 'uuid' })
  actionItemId!: string;

  /** YYYY-MM-DD, Bucharest: no reminder step fires before this day. */
  @Property({ type: 'string', length: 10 })
  until!: string;

  @Property({ type: 'string', length: 500 })
  reason!: string;

  @ManyToOne({ entity: () => Member })
  snoozedBy!: Member;
}

export enum EmailMode {
  NONE = 'NONE',
  IMMEDIATE = 'IMMEDIATE',
  DAILY_DIGEST = 'DAILY_DIGEST',
}

/** A member's e-mail choice. No row: no e-mail (opt in). */
@Entity({ tableName: 'notification_preference' })
export class NotificationPreference {
  /** The member's id: one row per member (named `id` so that findLocked can hold it). */
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Enum({ items: () => EmailMode, type: 'string', length: 16 })
  emailMode: Opt<EmailMode> = EmailMode.NONE;

  /** For the daily digest: the hour (0–23, Bucharest) it goes out. */
  @Property({ type: 'integer' })
  digestHour: Opt<number> = 8;

  /** Nothing between 20:00 and 08:00 unless urgent. */
  @Property({ type: 'boolean' })
  quietHours: Opt<boolean> = true;

  /** The inbox position up to which e-mail has been queued: the next mail covers what is after it. */
  @Property({ type: new BigIntType('number') })
  mailedUpTo: Opt<number> = 0;

  /** The last day (YYYY-MM-DD, Bucharest) a digest was queued, so there is one a day at most. */
  @Property({ type: 'string', length: 10, nullable: true })
  digestedOn?: string | null;
}

/**
 * An e-mail waiting to go out, or sent. Written in a transaction with the preference's `mailedUpTo`,
 * so each notification is queued for mail once; it waits here while the SMTP server is away.
 */
@Entity({ tableName: 'email_outbox' })
@Index({ properties: ['sentAt', 'id'] })
export class EmailOutbox {
  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  id!: number;

  @Property({ type: 'uuid' })
  memberId!: string;

  @Property({ type: 'string', length: 254 })
  to!: string;

  @Property({ type: 'string', length: 200 })
  subject!: string;

  /** Counts, kinds and links only: built from notification kinds, never from the hub's free text. */
  @Property({ type: 'text' })
  body!: string;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'integer' })
  attempts: Opt<number> = 0;

  /**
   * Claimed by an instance for sending until then (a conditional UPDATE: only one instance's lands).
   * An instance that dies mid-send leaves the claim to expire, and the mail goes out from another.
   */
  @Property({ type: 'datetime', nullable: true })
  claimedUntil?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  sentAt?: Date | null;
}
