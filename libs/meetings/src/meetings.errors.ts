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
