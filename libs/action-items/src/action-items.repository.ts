import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { ActionItem, ActionItemChange, ActionItemComment } from './action-item.entity';

/**
 * Unchecked batch reads by id. Only per-request loaders (whose parents the policy already let
 * through) and checked service methods call these; a resolver asks ActionItemsService instead.
 */
@Injectable()
export class ActionItemsRepository {
  constructor(private readonly em: EntityManager) {}

  byMeetingIds(ids: readonly string[]): Promise<ActionItem[]> {
    return this.em.find(ActionItem, { meeting: { $in: [...ids] } }, { orderBy: [{ dueOn: 'asc' }, { id: 'asc' }] });
  }

  byDecisionIds(ids: readonly string[]): Promise<ActionItem[]> {
    return this.em.find(ActionItem, { decision: { $in: [...ids] } }, { orderBy: [{ dueOn: 'asc' }, { id: 'asc' }] });
  }

  commentsByItemIds(ids: readonly string[]): Promise<ActionItemComment[]> {
    return this.em.find(
      ActionItemComment,
      { actionItem: { $in: [...ids] } },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
  }

  historyByItemIds(ids: readonly string[]): Promise<ActionItemChange[]> {
    return this.em.find(ActionItemChange, { actionItem: { $in: [...ids] } }, { orderBy: { id: 'asc' } });
  }
}
