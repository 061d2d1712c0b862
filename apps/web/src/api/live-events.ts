/**
 * What the screens ask of a live event, whatever its type: the payloads are a union narrowed by
 * `type`, and these read the fields some of them share.
 */
import type { LiveEnvelope } from './types';

/** The meeting an event is about, if any (meeting events, and action items raised in a meeting). */
export function meetingOf(event: LiveEnvelope): string | null {
  return event.data && 'meetingId' in event.data ? event.data.meetingId : null;
}

export function actionItemOf(event: LiveEnvelope): string | null {
  return event.data && 'actionItemId' in event.data ? event.data.actionItemId : null;
}

/** The case an event is about: a case-summary change, or a referral of it (what the reader may see changes with it). */
export function caseSummaryOf(event: LiveEnvelope): string | null {
  if (
    event.type !== 'caseSummary.created' &&
    event.type !== 'caseSummary.updated' &&
    event.type !== 'referral.requested' &&
    event.type !== 'referral.changed'
  )
    return null;
  return event.data?.caseSummaryId ?? null;
}

/** The title an event carries (meetings and action items), or ''. */
export function titleOf(event: LiveEnvelope): string {
  return event.data && 'title' in event.data ? event.data.title : '';
}
