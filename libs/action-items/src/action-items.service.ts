import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Actor, assertCan, can, refuseAggregatesOnly } from '@hub/access';
import { CaseSummariesRepository } from '@hub/case-summaries';
import { assertPageSize, badInput, forbidden, keysetCursor, notFound, screenFields } from '@hub/core';
import { Agency, assertAgencyInTaskForce, assertMemberOfTaskForce, Member } from '@hub/identity';
import { type EventQueue, findLocked, WriteTransaction } from '@hub/events';
import { Decision, Meeting } from '@hub/meetings';
import { TaskForce } from '@hub/task-forces';
import {
  ActionItem,
  ActionItemChange,
  ActionItemChangeKind,
  ActionItemComment,
  ActionItemPriority,
  ActionItemStatus,
} from './action-item.entity';
import { ACTIVE_STATUSES, canTransition, TRANSITIONS } from './action-item.workflow';
import { cannotBecome } from './action-items.errors';
import { assertMayTake, assertOwnAssignee, assertWorker, type Assignee } from './action-items.policy';
import { calendarDate, isCalendarDate, weekOf } from './due-dates';

export interface NewActionItem {
  taskForceId: string;
  title: string;
  description?: string | null;
  dueOn: string;
  priority?: ActionItemPriority;
  assignee: Assignee;
  caseSummaryId?: string | null;
  meetingId?: string | null;
  decisionId?: string | null;
}

export interface ActionItemEdits {
  title?: string;
  description?: string | null;
  dueOn?: string;
  priority?: ActionItemPriority;
  assignee?: Assignee;
  caseSummaryId?: string | null;
}

export enum ActionItemScope {
  MINE = 'MINE',
  MY_AGENCY = 'MY_AGENCY',
  /** Mine, and my agency's that no one of it has taken yet: what I could be working on. */
  FOR_ME = 'FOR_ME',
  TASK_FORCE = 'TASK_FORCE',
}

export interface ActionItemFilter {
  scope?: ActionItemScope;
  statuses?: ActionItemStatus[];
  assigneeMemberId?: string;
  assigneeAgencyId?: string;
  caseSummaryId?: string;
  meetingId?: string;
  overdue?: boolean;
  dueThisWeek?: boolean;
}

export interface ActionItemPage {
  items: ActionItem[];
  hasNextPage: boolean;
}

/** Cursors are opaque to clients: due day and id, the list's order. */
const ACTION_ITEM_CURSOR = keysetCursor('action', ['day', 'uuid']);
export const actionItemCursor = (item: ActionItem) => ACTION_ITEM_CURSOR.encode([item.dueOn, item.id]);

@Injectable()
export class ActionItemsService {
  constructor(
    private readonly em: EntityManager,
    private readonly caseSummaries: CaseSummariesRepository,
    private readonly writes: WriteTransaction,
  ) {}

  /** Coordinators assign anyone; members create items for themselves or their own agency. */
  async create(actor: Actor, input: NewActionItem): Promise<ActionItem> {
    const manager = can(actor, 'actionItem.manage', input.taskForceId);
    if (!manager) assertCan(actor, 'actionItem.createOwn', input.taskForceId);
    this.checkText(input);
    this.checkDueOn(input.dueOn);
    return this.writes.run(async (em, events) => {
      if (!manager) assertOwnAssignee(actor, input.assignee);
      const item = em.create(ActionItem, {
        taskForce: em.getReference(TaskForce, input.taskForceId),
        title: input.title.trim(),
        description: input.description ?? null,
        dueOn: input.dueOn,
        priority: input.priority ?? ActionItemPriority.NORMAL,
        createdBy: em.getReference(Member, actor.memberId),
      });
      await this.assign(em, item, input.assignee);
      if (input.caseSummaryId)
        item.caseSummary = await this.caseSummaries.assertInTaskForce(
          em,
          input.taskForceId,
          input.caseSummaryId,
          'caseSummaryId',
        );
      if (input.decisionId) {
        const decision = await em.findOne(Decision, {
          id: input.decisionId,
          meeting: { taskForce: input.taskForceId },
        });
        if (!decision) throw badInput('decisionId', 'No decision with this id exists in this task force.');
        if (input.meetingId && input.meetingId !== decision.meeting.id)
          throw badInput('meetingId', 'The decision was taken in another meeting.');
        item.decision = decision;
        item.meeting = decision.meeting;
      } else if (input.meetingId) {
        const meeting = await em.findOne(Meeting, { id: input.meetingId, taskForce: input.taskForceId });
        if (!meeting) throw badInput('meetingId', 'No meeting with this id exists in this task force.');
        item.meeting = meeting;
      }
      this.log(em, item, actor, 'created', null, { title: item.title, dueOn: item.dueOn, status: item.status });
      this.publish(events, actor, item, 'actionItem.created');
      return item;
    });
  }

  async edit(actor: Actor, id: string, edits: ActionItemEdits): Promise<ActionItem> {
    this.checkText(edits);
    if (edits.dueOn !== undefined) this.checkDueOn(edits.dueOn);
    return this.writes.run(async (em, events) => {
      const item = await this.load(em, actor, id, true);
      const manager = can(actor, 'actionItem.manage', item.taskForce.id);
      if (!manager) assertWorker(actor, item);
      if (edits.assignee !== undefined && !manager)
        throw forbidden('Only a coordinator reassigns action items.', { field: 'assignee' });
      const set = <K extends 'title' | 'description' | 'dueOn' | 'priority'>(
        kind: K,
        value: ActionItem[K] | undefined,
      ) => {
        if (value === undefined || value === item[kind]) return;
        this.log(em, item, actor, kind, item[kind], value);
        item[kind] = value;
      };
      set('title', edits.title?.trim());
      set('description', edits.description);
      set('dueOn', edits.dueOn);
      set('priority', edits.priority);
      if (edits.assignee !== undefined) {
        const before = this.assigneeOf(item);
        await this.assign(em, item, edits.assignee);
        this.log(em, item, actor, 'assignee', before, this.assigneeOf(item));
      }
      if (edits.caseSummaryId !== undefined && edits.caseSummaryId !== (item.caseSummary?.id ?? null)) {
        const before = item.caseSummary?.id ?? null;
        item.caseSummary = edits.caseSummaryId
          ? await this.caseSummaries.assertInTaskForce(em, item.taskForce.id, edits.caseSummaryId, 'caseSummaryId')
          : null;
        this.log(em, item, actor, 'caseSummary', before, edits.caseSummaryId);
      }
      this.publish(events, actor, item, 'actionItem.updated', Object.keys(edits));
      return item;
    });
  }

  /** Moves along the workflow; blocked needs a reason. The assignee, their agency or a coordinator may. */
  async changeStatus(actor: Actor, id: string, status: ActionItemStatus, reason?: string | null): Promise<ActionItem> {
    screenFields({ reason });
    return this.writes.run(async (em, events) => {
      const item = await this.load(em, actor, id, true);
      if (!can(actor, 'actionItem.manage', item.taskForce.id)) assertWorker(actor, item);
      this.moveTo(em, actor, item, status, reason);
      this.publish(events, actor, item, 'actionItem.updated', ['status']);
      return item;
    });
  }

  /** Someone of the assigned agency takes the item: it becomes theirs, and in progress if it was open. */
  async take(actor: Actor, id: string): Promise<ActionItem> {
    return this.writes.run(async (em, events) => {
      const item = await this.load(em, actor, id, true);
      assertMayTake(actor, item);
      if (!item.assigneeMember) {
        const before = this.assigneeOf(item);
        item.assigneeMember = em.getReference(Member, actor.memberId);
        this.log(em, item, actor, 'assignee', before, this.assigneeOf(item));
      }
      if (item.status === ActionItemStatus.OPEN) this.moveTo(em, actor, item, ActionItemStatus.IN_PROGRESS);
      this.publish(events, actor, item, 'actionItem.updated', ['assignee', 'status']);
      return item;
    });
  }

  async comment(actor: Actor, id: string, text: string): Promise<ActionItemComment> {
    screenFields({ text });
    return this.writes.run(async (em, events) => {
      const item = await this.load(em, actor, id, true);
      assertCan(actor, 'actionItem.work', item.taskForce.id);
      const comment = em.create(ActionItemComment, {
        actionItem: item,
        author: em.getReference(Member, actor.memberId),
        text,
      });
      this.log(em, item, actor, 'commented', null, { commentId: comment.id });
      events.record({
        type: 'actionItem.commented',
        taskForceId: item.taskForce.id,
        actorId: actor.memberId,
        data: { actionItemId: item.id, commentId: comment.id, authorId: actor.memberId, text },
        meetingId: item.meeting?.id ?? null,
      });
      return comment;
    });
  }

  /**
   * Inside the caller's write (a decision being recorded): links the chosen items of the decision's
   * meeting to it. Only items shown to the coordinator are named, so nothing is linked unseen; an item
   * already linked to another decision stays there.
   */
  async linkToDecisionIn(
    em: EntityManager,
    events: EventQueue,
    actor: Actor,
    decision: Decision,
    actionItemIds: string[],
  ): Promise<ActionItem[]> {
    const ids = [...new Set(actionItemIds)];
    if (!ids.length) return [];
    assertCan(actor, 'actionItem.manage', decision.meeting.taskForce.id);
    const linked: ActionItem[] = [];
    for (const id of ids) {
      const item = await findLocked(em, ActionItem, id, 'write');
      if (!item || item.meeting?.id !== decision.meeting.id)
        throw badInput('actionItemIds', 'Only action items of this meeting can be linked to its decisions.');
      if (item.decision && item.decision.id !== decision.id)
        throw badInput('actionItemIds', `"${item.title}" is already linked to another decision.`);
      item.decision = decision;
      this.log(em, item, actor, 'decision', null, { decisionId: decision.id });
      this.publish(events, actor, item, 'actionItem.updated', ['decision']);
      linked.push(item);
    }
    return linked;
  }

  /** Read-only: the row stays out of the request's identity map, which nothing writes through. */
  async get(actor: Actor, id: string): Promise<ActionItem> {
    return this.visible(actor, await this.em.findOne(ActionItem, { id }, { disableIdentityMap: true }));
  }

  /** By due date, then id: a stable order for cursors. */
  async list(
    actor: Actor,
    taskForceId: string,
    filter: ActionItemFilter,
    first: number,
    after?: string | null,
  ): Promise<ActionItemPage> {
    assertCan(actor, 'actionItem.read', taskForceId);
    assertPageSize(first);
    const conditions: object[] = [{ taskForce: taskForceId }];
    if (filter.scope === ActionItemScope.MINE) conditions.push({ assigneeMember: actor.memberId });
    if (filter.scope === ActionItemScope.MY_AGENCY) conditions.push({ assigneeAgency: actor.agencyId });
    if (filter.scope === ActionItemScope.FOR_ME)
      conditions.push({
        $or: [{ assigneeMember: actor.memberId }, { assigneeMember: null, assigneeAgency: actor.agencyId }],
      });
    if (filter.statuses?.length) conditions.push({ status: { $in: filter.statuses } });
    if (filter.assigneeMemberId) conditions.push({ assigneeMember: filter.assigneeMemberId });
    if (filter.assigneeAgencyId) conditions.push({ assigneeAgency: filter.assigneeAgencyId });
    if (filter.caseSummaryId) conditions.push({ caseSummary: filter.caseSummaryId });
    if (filter.meetingId) conditions.push({ meeting: filter.meetingId });
    const today = calendarDate();
    if (filter.overdue) conditions.push({ dueOn: { $lt: today }, status: { $in: ACTIVE_STATUSES } });
    if (filter.dueThisWeek) {
      const { monday, sunday } = weekOf(today);
      conditions.push({ dueOn: { $gte: monday, $lte: sunday }, status: { $in: ACTIVE_STATUSES } });
    }
    if (after) {
      const [dueOn, id] = ACTION_ITEM_CURSOR.decode(after);
      conditions.push({ $or: [{ dueOn: { $gt: dueOn } }, { dueOn, id: { $gt: id } }] });
    }
    const rows = await this.em.find(
      ActionItem,
      { $and: conditions },
      { orderBy: [{ dueOn: 'asc' }, { id: 'asc' }], limit: first + 1 },
    );
    return { items: rows.slice(0, first), hasNextPage: rows.length > first };
  }

  /** Queues the item's event; WriteTransaction records it after the item's own writes. */
  private publish(
    events: EventQueue,
    actor: Actor,
    item: ActionItem,
    type: 'actionItem.created' | 'actionItem.updated',
    changes: string[] = [],
  ): void {
    const data = {
      actionItemId: item.id,
      title: item.title,
      status: item.status,
      priority: item.priority,
      dueOn: item.dueOn,
      assigneeMemberId: item.assigneeMember?.id ?? null,
      assigneeAgencyId: item.assigneeAgency?.id ?? null,
      meetingId: item.meeting?.id ?? null,
      caseSummaryId: item.caseSummary?.id ?? null,
    };
    const meetingId = item.meeting?.id ?? null;
    if (type === 'actionItem.created')
      events.record({ type, taskForceId: item.taskForce.id, actorId: actor.memberId, data, meetingId });
    else
      events.record({
        type,
        taskForceId: item.taskForce.id,
        actorId: actor.memberId,
        data: { ...data, changes },
        meetingId,
      });
  }

  private moveTo(
    em: EntityManager,
    actor: Actor,
    item: ActionItem,
    status: ActionItemStatus,
    reason?: string | null,
  ): void {
    if (!canTransition(item.status, status)) {
      throw cannotBecome(item.status as ActionItemStatus, status, TRANSITIONS[item.status as ActionItemStatus]);
    }
    if (status === ActionItemStatus.BLOCKED && !reason?.trim())
      throw badInput('reason', 'Say why the item is blocked, so others can help unblock it.');
    this.log(
      em,
      item,
      actor,
      'status',
      { status: item.status },
      {
        status,
        ...((status === ActionItemStatus.BLOCKED || status === ActionItemStatus.CANCELLED) && reason && { reason }),
      },
    );
    item.status = status;
    item.blockedReason = status === ActionItemStatus.BLOCKED ? reason!.trim() : null;
    item.completedAt = status === ActionItemStatus.DONE ? new Date() : null;
  }

  private log(
    em: EntityManager,
    item: ActionItem,
    actor: Actor,
    kind: ActionItemChangeKind,
    before: unknown,
    after: unknown,
  ): void {
    em.create(ActionItemChange, {
      actionItem: item,
      actor: em.getReference(Member, actor.memberId),
      kind,
      before: before ?? null,
      after: after ?? null,
    });
  }

  private assigneeOf(item: ActionItem) {
    return { memberId: item.assigneeMember?.id ?? null, agencyId: item.assigneeAgency?.id ?? null };
  }

  private async assign(em: EntityManager, item: ActionItem, assignee: Assignee): Promise<void> {
    if (!assignee.memberId && !assignee.agencyId)
      throw badInput('assignee', 'Assign the item to a member or to an agency of the task force.');
    if (assignee.memberId && assignee.agencyId)
      throw badInput('assignee', 'Assign the item to a member or to an agency, not both.');
    const taskForceId = item.taskForce.id;
    if (assignee.memberId) {
      const membership = await assertMemberOfTaskForce(em, taskForceId, assignee.memberId, 'assignee.memberId');
      item.assigneeMember = membership.member;
      item.assigneeAgency = null;
    } else {
      await assertAgencyInTaskForce(em, taskForceId, assignee.agencyId!, 'assignee.agencyId');
      item.assigneeAgency = em.getReference(Agency, assignee.agencyId!);
      item.assigneeMember = null;
    }
  }

  private checkText(fields: { title?: string; description?: string | null }): void {
    screenFields({ title: fields.title, description: fields.description });
  }

  private checkDueOn(dueOn: string): void {
    if (!isCalendarDate(dueOn)) throw badInput('dueOn', 'dueOn must be a date written YYYY-MM-DD, such as 2026-12-15.');
  }

  /** `lock` holds the item's row to the end of the transaction: two people taking or moving it at once queue up. */
  private async load(em: EntityManager, actor: Actor, id: string, lock = false): Promise<ActionItem> {
    return this.visible(
      actor,
      lock ? await findLocked(em, ActionItem, id, 'write') : await em.findOne(ActionItem, { id }),
    );
  }

  private visible(actor: Actor, item: ActionItem | null): ActionItem {
    if (!item || !can(actor, 'actionItem.read', item.taskForce.id)) {
      refuseAggregatesOnly(actor, item?.taskForce.id);
      throw notFound('The action item');
    }
    return item;
  }
}
