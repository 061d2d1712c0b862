import { type Actor, assertCan } from '@hub/access';
import { forbidden } from '@hub/core';
import { alreadyTaken } from './action-items.errors';

/*
 * Row-level rules for action items: who may act on which item, by its assignee. The role rules
 * (what a coordinator, a member or an observer may do at all) stay in libs/access; these add what
 * the row decides. Pure: they read the actor and the item, never the database.
 */

/** Whom an item is (to be) assigned to: a member, or an agency until someone of it takes the item. */
export interface Assignee {
  memberId?: string | null;
  agencyId?: string | null;
}

/** What the rules read of an item (an ActionItem entity is one). */
export interface AssignedItem {
  taskForce: { id: string };
  assigneeMember?: { id: string } | null;
  assigneeAgency?: { id: string } | null;
}

/** The actor themselves, or the actor's own agency. */
export function isOwnAssignee(actor: Actor, assignee: Assignee): boolean {
  return assignee.memberId ? assignee.memberId === actor.memberId : assignee.agencyId === actor.agencyId;
}

/** A member who does not manage action items creates them for themselves or their own agency only. */
export function assertOwnAssignee(actor: Actor, assignee: Assignee): void {
  if (!isOwnAssignee(actor, assignee)) {
    throw forbidden(
      'Members create action items for themselves or their own agency. Ask a coordinator to assign others.',
      { field: 'assignee' },
    );
  }
}

/** The item's member, or anyone of its agency while no member has taken it. */
export function isWorkerOf(actor: Actor, item: AssignedItem): boolean {
  return (
    item.assigneeMember?.id === actor.memberId || (!item.assigneeMember && item.assigneeAgency?.id === actor.agencyId)
  );
}

/** For a non-coordinator changing an item: they may work on items, and this one is theirs. */
export function assertWorker(actor: Actor, item: AssignedItem): void {
  assertCan(actor, 'actionItem.work', item.taskForce.id);
  if (!isWorkerOf(actor, item))
    throw forbidden('This action item is assigned to someone else. Ask them or a coordinator.', { field: 'id' });
}

/**
 * Taking: the item is assigned to the actor's agency and no one else of it has taken it yet.
 * Taking one's own item again is allowed (it changes nothing but the status).
 */
export function assertMayTake(actor: Actor, item: AssignedItem): void {
  assertCan(actor, 'actionItem.work', item.taskForce.id);
  if (item.assigneeAgency?.id !== actor.agencyId) {
    throw forbidden('You can take action items assigned to your agency only.', { field: 'id' });
  }
  if (item.assigneeMember && item.assigneeMember.id !== actor.memberId) {
    throw alreadyTaken();
  }
}
