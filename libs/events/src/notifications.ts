import { type Actor } from '@hub/access';
import { type EventEnvelope } from './event-map';

/**
 * Whether an event is a member's own notification: an action item assigned to them (or to their
 * agency, until someone takes it), a change of their own membership, a meeting called, started or cancelled.
 */
export function concernsMember(actor: Actor) {
  return (envelope: EventEnvelope): boolean => {
    if (!envelope.data) return false;
    switch (envelope.type) {
      case 'actionItem.created':
      case 'actionItem.updated': {
        const { assigneeMemberId, assigneeAgencyId } = envelope.data;
        return assigneeMemberId === actor.memberId || (!assigneeMemberId && assigneeAgencyId === actor.agencyId);
      }
      case 'membership.added':
      case 'membership.roleChanged':
      case 'membership.removed':
        return envelope.data.memberId === actor.memberId;
      case 'meeting.scheduled':
      case 'meeting.cancelled':
      case 'meeting.started':
        return true;
      default:
        return false;
    }
  };
}
