import { type AgencyKind, audienceMayRead, type CaseSection, sectionOfField, type SharedSections } from '@hub/access';
import { type EventEnvelope } from './event-map';
import { isEventOf } from './event-types';

/**
 * Who receives the same version of an event: everyone of one agency kind (need to know is by agency
 * kind), and, for an agency that a standing referral shares sections with, everyone of that agency.
 * The agency is carried so that the streams can tell; the version is still made once per audience.
 */
export interface Audience {
  kind: AgencyKind;
  agencyId: string;
}

/** What a task force's standing referrals share: agency id → case summary id → sections. */
export type SharedByAgency = ReadonlyMap<string, ReadonlyMap<string, SharedSections>>;

/** The live audience of a member: built from the actor, never from the client. */
export function audienceOf(actor: { agencyKind: AgencyKind; agencyId: string }): Audience {
  return { kind: actor.agencyKind, agencyId: actor.agencyId };
}

/** The Socket.IO room suffix of an audience: one room per agency, so that a referral's receiver can be told apart. */
export function audienceKey(audience: Audience): string {
  return `${audience.kind}.${audience.agencyId}`;
}

/**
 * The event as this audience may see it. Meeting, action-item, membership and hearing events are for
 * the whole task force (ids, kinds and states only). A referral event is for its two agencies only, as
 * the referral itself is (referrals.policy.ts): who was referred where, for which case, is need to
 * know; other agencies get the envelope withheld (their coordinators can still query). A case-summary event names only
 * the sections the audience may know of (its table row, plus what a standing referral shares with
 * its agency for that case), and is withheld entirely (envelope kept, so the stream stays gap-free)
 * if even its header is not theirs.
 */
export function redactFor(envelope: EventEnvelope, audience: Audience, shared?: SharedByAgency): EventEnvelope {
  if (isEventOf(envelope, 'referral') && envelope.data) {
    const { fromAgencyId, toAgencyId } = envelope.data;
    return audience.agencyId === fromAgencyId || audience.agencyId === toAgencyId
      ? envelope
      : { ...envelope, data: null, withheld: true };
  }
  if (!isEventOf(envelope, 'caseSummary') || !envelope.data) return envelope;
  const sharedHere = shared?.get(audience.agencyId)?.get(envelope.data.caseSummaryId);
  const readable = (field: string) => audienceMayRead(audience.kind, sectionOfField(field) as CaseSection, sharedHere);
  if (!readable('caseCode')) return { ...envelope, data: null, withheld: true };
  return { ...envelope, data: { ...envelope.data, changed: envelope.data.changed.filter(readable) } };
}

/**
 * The redaction cache key: by agency kind, unless something is shared with this agency in this task
 * force, or the event is a referral's (decided per agency).
 */
export function redactionKey(audience: Audience, shared?: SharedByAgency, envelope?: EventEnvelope): string {
  if (envelope && isEventOf(envelope, 'referral')) return audienceKey(audience);
  return shared?.has(audience.agencyId) ? audienceKey(audience) : audience.kind;
}
