import { BigIntType, Entity, Enum, Index, ManyToOne, Opt, PrimaryKey, Property } from '@mikro-orm/core';
import { CaseSummary } from '@hub/case-summaries';
import { Agency, Member } from '@hub/identity';
import { Decision, Meeting } from '@hub/meetings';
import { TaskForce } from '@hub/task-forces';
import { randomUUID } from 'node:crypto';

export enum ActionItemStatus {
  OPEN = 'OPEN',
  IN_PROGRESS = 'IN_PROGRESS',
  BLOCKED = 'BLOCKED',
  DONE = 'DONE',
  CANCELLED = 'CANCELLED',
}

export enum ActionItemPriority {
  LOW = 'LOW',
  NORMAL = 'NORMAL',
  HIGH = 'HIGH',
  URGENT = 'URGENT',
}

/** Something a member or an agency of the task force has to do, by a date. */
@Entity({ tableName: 'action_item' })
@Index({ properties: ['taskForce', 'dueOn', 'id'] })
export class ActionItem {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => TaskForce })
  taskForce!: TaskForce;

  @Property({ type: 'string', length: 200 })
  title!: string;

  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Enum({ items: () => ActionItemStatus, type: 'string', length: 16 })
  status: Opt<ActionItemStatus> = ActionItemStatus.OPEN;

  @Property({ type: 'string', length: 500, nullable: true })
  blockedReason?: string | null;

  @Enum({ items: () => ActionItemPriority, type: 'string', length: 16 })
  priority: Opt<ActionItemPriority> = ActionItemPriority.NORMAL;

  /** A calendar date, YYYY-MM-DD, in the task force's time zone (Europe/Bucharest). */
  @Property({ type: 'string', length: 10 })
  dueOn!: string;

  /** Assigned to a member, or to an agency (anyone of it may take it), or both once taken. */
  @ManyToOne({ entity: () => Member, nullable: true, index: true })
  assigneeMember?: Member | null;

  @ManyToOne({ entity: () => Agency, nullable: true, index: true })
  assigneeAgency?: Agency | null;

  @ManyToOne({ entity: () => Meeting, nullable: true, index: true })
  meeting?: Meeting | null;

  @ManyToOne({ entity: () => Decision, nullable: true, index: true })
  decision?: Decision | null;

  @ManyToOne({ entity: () => CaseSummary, nullable: true, index: true })
  caseSummary?: CaseSummary | null;

  @ManyToOne({ entity: () => Member })
  createdBy!: Member;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', nullable: true })
  completedAt?: Date | null;
}

@Entity({ tableName: 'action_item_comment' })
export class ActionItemComment {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => ActionItem, index: true })
  actionItem!: ActionItem;

  @ManyToOne({ entity: () => Member })
  author!: Member;

  @Property({ type: 'text' })
  text!: string;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();
}

export type ActionItemChangeKind =
  | 'created'
  | 'status'
  | 'assignee'
  | 'dueOn'
  | 'priority'
  | 'title'
  | 'description'
  | 'caseSummary'
  | 'decision'
  | 'commented'
  | 'snoozed';

/** One entry of an action item's history: who changed what, from what to what, when. Never edited. */
@Entity({ tableName: 'action_item_change' })
export class ActionItemChange {
  /** Increasing in the order the entries were written, also within one change of several fields. */
  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  id!: number;

  @ManyToOne({ entity: () => ActionItem, index: true })
  actionItem!: ActionItem;

  @ManyToOne({ entity: () => Member })
  actor!: Member;

  @Property({ type: 'datetime' })
  at: Opt<Date> = new Date();

  @Property({ type: 'string', length: 16 })
  kind!: ActionItemChangeKind;

  @Property({ type: 'json', nullable: true })
  before?: unknown;

  @Property({ type: 'json', nullable: true })
  after?: unknown;
}
