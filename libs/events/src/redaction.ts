import { type AgencyKind, SECTION_ACCESS, sectionOfField } from '@hub/access';
import { type EventEnvelope } from './event-map';
import { isEventOf } from './event-types';

/** Who receives the same version of an event: today, everyone of one agency kind (need to know is by agency). */
export type Audience = AgencyKind;

/**
 * The event as this audience may see it. Meeting, action-item and membership events are for the
 * whole task force; a case-summary event names only the sections the audience may know of, and
 * is withheld entirely (envelope kept, so the stream stays gap-free) if even its header is not theirs.
 */
export function redactFor(envelope: EventEnvelope, audience: Audience): EventEnvelope {
  if (!isEventOf(envelope, 'caseSummary') || !envelope.data) return envelope;
  const row = SECTION_ACCESS[audience];
  const readable = (field: string) => row[sectionOfField(field)] !== 'none';
  if (!readable('caseCode')) return { ...envelope, data: null, withheld: true };
  return { ...envelope, data: { ...envelope.data, changed: envelope.data.changed.filter(readable) } };
}
