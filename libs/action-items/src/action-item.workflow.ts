import { ActionItemStatus as S } from './action-item.entity';
import { calendarDate } from './due-dates';

/**
 * The allowed status changes, on one screen. Open → in progress → done is the path; blocked needs
 * a reason (blocking again records a new one); done and cancelled items can be reopened, and their
 * history stays. Anything else, including "changing" to the current status, is refused.
 */
export const TRANSITIONS: Record<S, readonly S[]> = {
  [S.OPEN]: [S.IN_PROGRESS, S.BLOCKED, S.CANCELLED],
  [S.IN_PROGRESS]: [S.DONE, S.BLOCKED, S.OPEN, S.CANCELLED],
  [S.BLOCKED]: [S.IN_PROGRESS, S.OPEN, S.CANCELLED, S.BLOCKED],
  [S.DONE]: [S.OPEN],
  [S.CANCELLED]: [S.OPEN],
};

/** Statuses that still need work: what "overdue" and "due this week" look at. */
export const ACTIVE_STATUSES: readonly S[] = [S.OPEN, S.IN_PROGRESS, S.BLOCKED];

export function canTransition(from: S, to: S): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Past its due date in Bucharest and still to do. */
export function isOverdue(status: S, dueOn: string, today: string = calendarDate()): boolean {
  return ACTIVE_STATUSES.includes(status) && dueOn < today;
}
