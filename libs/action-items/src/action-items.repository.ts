import { EntityManager, type FindOptions } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { ActionItem, ActionItemChange, ActionItemComment } from './action-item.entity';

/**
 * Read-only: rows go to GraphQL models and are never written, so they stay out of the request's
 * identity map. The members and agencies a row names are joined in, in the same statement, so that
 * the loaders need no second wave for them.
 */
const READ = { disableIdentityMap: true, strategy: 'joined' } as const;
const ITEM: FindOptions<ActionItem, 'assigneeMember.agency' | 'assigneeAgency' | 'createdBy.agency'> = {
  ...READ,
  populate: ['assigneeMember.agency', 'assigneeAgency', 'createdBy.agency'],
  orderBy: [{ dueOn: 'asc' }, { id: 'asc' }],
};

/**
 * Unchecked batch reads by id, for per-request loaders (whose parents the policy already let
 * through) only; a resolver asks ActionItemsService instead.
 */
@Injectable()
export class ActionItemsRepository {
  constructor(private readonly em: EntityManager) {}

  /** With the assignee, the creator and their agencies. (A meeting's items: with its other lists, in the loaders.) */
  byDecisionIds(ids: readonly string[]): Promise<ActionItem[]> {
    return this.em.find(ActionItem, { decision: { $in: [...ids] } }, ITEM);
  }

  /** With the author and their agency. */
  commentsByItemIds(ids: readonly string[]): Promise<ActionItemComment[]> {
    return this.em.find(
      ActionItemComment,
      { actionItem: { $in: [...ids] } },
      { ...READ, populate: ['author.agency'], orderBy: { createdAt: 'asc', id: 'asc' } },
    );
  }

  /** With who changed it and their agency. */
  historyByItemIds(ids: readonly string[]): Promise<ActionItemChange[]> {
    return this.em.find(
      ActionItemChange,
      { actionItem: { $in: [...ids] } },
      { ...READ, populate: ['actor.agency'], orderBy: { id: 'asc' } },
    );
  }
}
