import { DomainError } from '@hub/core';

/** Two requests created a member's feed at once: one feed per member, the other is told to try again. */
export const calendarFeedRaced = () =>
  new DomainError('CONFLICT', 'A calendar link was being created at the same moment. Try again.');
