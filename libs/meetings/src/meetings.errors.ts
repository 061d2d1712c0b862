import { DomainError } from '@hub/core';
import { MeetingStatus } from './meeting.entity';

const STATE: Record<MeetingStatus, string> = {
  [MeetingStatus.SCHEDULED]: 'has not started yet',
  [MeetingStatus.LIVE]: 'is running',
  [MeetingStatus.ENDED]: 'has ended',
  [MeetingStatus.CANCELLED]: 'was cancelled',
};

export const wrongMeetingState = (status: MeetingStatus, action: string) =>
  new DomainError('CONFLICT', `You cannot ${action}: the meeting ${STATE[status]}.`, { status });

export const notOnAgenda = (field: string) =>
  new DomainError('BAD_USER_INPUT', "This agenda item is not on this meeting's agenda.", { field });

export const agendaItemIsCurrent = () =>
  new DomainError('CONFLICT', 'This item is being discussed now. Move to another item first.', {
    field: 'agendaItemId',
  });

export const agendaItemOnRecord = () =>
  new DomainError('CONFLICT', 'This item already has minutes or decisions, so it stays on the record.', {
    field: 'agendaItemId',
  });

/** Advancing with no item named, from the last item or on an empty agenda. */
export const noNextAgendaItem = (agendaEmpty: boolean) =>
  new DomainError(
    'CONFLICT',
    agendaEmpty
      ? 'The agenda is empty. Add an item first.'
      : 'This is the last agenda item. End the meeting, or choose an item.',
  );

export const alreadyCheckedIn = () =>
  new DomainError('CONFLICT', 'Already checked in to this meeting. Check out first to change how you attend.', {
    field: 'memberId',
  });

export const notCheckedIn = () => new DomainError('CONFLICT', 'Not checked in to this meeting.', { field: 'memberId' });

export const notNoteAuthor = () =>
  new DomainError('FORBIDDEN', 'Only the author of a note can correct it. Add a note of your own instead.', {
    field: 'noteId',
  });
