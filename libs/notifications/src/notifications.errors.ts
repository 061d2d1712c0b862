import { badInput, notFound } from '@hub/core';

export const notificationNotFound = () => notFound('The notification');
export const badDigestHour = () => badInput('digestHour', 'Choose the digest hour as a whole hour from 0 to 23.');
export const snoozeNeedsReason = () =>
  badInput('reason', 'Say why the reminders wait, so the others know (it goes into the item’s history).');
export const badSnoozeDay = () =>
  badInput('until', 'Snooze until a later day, written YYYY-MM-DD, at most 30 days ahead.');
