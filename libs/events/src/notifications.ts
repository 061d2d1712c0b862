import { type Actor } from '@hub/access';
import { type EventEnvelope, type HubEventMap } from './event-map';

/**
 * Whether an event is a member's own notification: an action item assigned to them (or to their
 * agency, until someone takes it), a change of their own membership, a meeting called, started or cancelled.
 */
export function concernsMember(actor: Actor) {
  return (envelope: EventEnvelope): boolean => {
    const data = envelope.data as Partial<HubEventMap['actionItem.created'] & { memberId: string }> | null;
    if (!data) return false;
    if (envelope.type === 'actionItem.created' || envelope.type === 'actionItem.updated') {
      return (
        data.assigneeMemberId === actor.memberId || (!data.assigneeMemberId && data.assigneeAgencyId === actor.agencyId)
      );
    }
    if (envelope.type.startsWith('membership.')) return data.memberId === actor.memberId;
    return (
      envelope.type === 'meeting.scheduled' ||
      envelope.type === 'meeting.cancelled' ||
      envelope.type === 'meeting.started'
    );
  };
}
