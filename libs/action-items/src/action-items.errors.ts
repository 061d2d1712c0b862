import { DomainError } from '@hub/core';
import { type ActionItemStatus } from './action-item.entity';

export const alreadyTaken = () =>
  new DomainError('CONFLICT', 'Someone of your agency has already taken this item.', { field: 'id' });

/** A move the workflow does not allow: says where the item is and where it may go from there. */
export function cannotBecome(from: ActionItemStatus, to: ActionItemStatus, allowed: readonly ActionItemStatus[]) {
  const now = from === to ? `The action item is already ${to}.` : `An action item that is ${from} cannot become ${to}.`;
  return new DomainError('CONFLICT', `${now} From ${from} it can become: ${allowed.join(', ')}.`, { field: 'status' });
}
