import type { NotificationKind } from '@hub/contracts';
import { addWorkingDays, type LocalDate } from '@hub/core';

/** The reminder steps of an action item, each fired at most once per due date. */
export type ItemStep = Extract<
  NotificationKind,
  'UNCLAIMED' | 'DUE_SOON' | 'DUE_TODAY' | 'OVERDUE' | 'OVERDUE_ESCALATED'
>;

export interface ItemFacts {
  dueOn: LocalDate;
  /** The day (Bucharest) it was last given to an agency; only while no member of it has taken it. */
  unclaimedSince: LocalDate | null;
}

/**
 * The steps whose day has come, for an item still to do, in working days in Europe/Bucharest:
 * - UNCLAIMED: given to an agency and still not taken 2 working days later;
 * - DUE_SOON: from 3 working days before the due date, until the day before it;
 * - DUE_TODAY: on the due day (a step missed that day is not sent late: OVERDUE follows);
 * - OVERDUE: from 1 working day after the due date;
 * - OVERDUE_ESCALATED: from 3 working days after it.
 * Steps that stay true (overdue) are "due" on every later day; the unique key makes them fire once.
 */
export function dueItemSteps(facts: ItemFacts, today: LocalDate): ItemStep[] {
  const { dueOn } = facts;
  const steps: ItemStep[] = [];
  if (facts.unclaimedSince && today >= addWorkingDays(facts.unclaimedSince, 2)) steps.push('UNCLAIMED');
  if (today >= addWorkingDays(dueOn, -3) && today < dueOn) steps.push('DUE_SOON');
  if (today === dueOn) steps.push('DUE_TODAY');
  if (today >= addWorkingDays(dueOn, 1)) steps.push('OVERDUE');
  if (today >= addWorkingDays(dueOn, 3)) steps.push('OVERDUE_ESCALATED');
  return steps;
}

/** The latest due date whose item may have a step today: the sweep looks at nothing due later (but unclaimed ones). */
export function reminderHorizon(today: LocalDate): LocalDate {
  return addWorkingDays(today, 3);
}

/** How long before a meeting its attendees are reminded. */
export const MEETING_REMINDER_MS = 15 * 60_000;
