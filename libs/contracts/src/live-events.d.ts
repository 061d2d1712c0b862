/**
 * Every domain event of the hub and its payload, and the envelope it leaves the server in, on
 * Socket.IO and graphql-ws alike: the public contract. Payloads carry ids and what a member of the
 * task force may see; a case-summary event carries the fact of a change, never section text.
 */
export interface HubEventMap {
  'meeting.scheduled': { meetingId: string; title: string; startsAt: string; endsAt: string };
  'meeting.updated': {
    meetingId: string;
    title: string;
    startsAt: string;
    endsAt: string;
    place: string | null;
    callLink: string | null;
  };
  'meeting.cancelled': { meetingId: string; reason: string | null };
  'meeting.started': { meetingId: string; currentAgendaItemId: string | null };
  'meeting.agendaAdvanced': { meetingId: string; currentAgendaItemId: string };
  'meeting.ended': { meetingId: string };
  'meeting.agendaChanged': {
    meetingId: string;
    agenda: {
      id: string;
      position: number;
      title: string;
      presenterId: string | null;
      caseSummaryId: string | null;
      timeBoxMinutes: number | null;
    }[];
  };
  'meeting.attendanceChanged': {
    meetingId: string;
    attendanceId: string;
    memberId: string;
    mode: string;
    arrivedAt: string;
    leftAt: string | null;
  };
  'meeting.noteAdded': { meetingId: string; agendaItemId: string; noteId: string; authorId: string; text: string };
  /** The author corrected a note while the meeting ran; the earlier text stays in the note's history. */
  'meeting.noteCorrected': { meetingId: string; agendaItemId: string; noteId: string; authorId: string; text: string };
  'meeting.decisionRecorded': {
    meetingId: string;
    agendaItemId: string;
    decisionId: string;
    text: string;
    caseSummaryId: string | null;
    /** YYYY-MM-DD: when the decision comes back in the series' follow-up section. */
    reviewOn: string | null;
    /** The action items of the meeting the coordinator chose to link to the decision. */
    actionItemIds: string[];
  };
  /** A meeting series was set up; its first meeting follows as meeting.scheduled. */
  'meeting.seriesCreated': { seriesId: string; title: string; cadence: string };
  'meeting.templateSaved': { templateId: string; name: string; itemCount: number };
  'actionItem.created': ActionItemPayload;
  'actionItem.updated': ActionItemPayload & { changes: string[] };
  'actionItem.commented': { actionItemId: string; commentId: string; authorId: string; text: string };
  'caseSummary.created': CaseSummaryPayload;
  'caseSummary.updated': CaseSummaryPayload;
  'membership.added': MembershipPayload;
  'membership.roleChanged': MembershipPayload;
  'membership.removed': MembershipPayload;
  'referral.requested': ReferralPayload;
  'referral.changed': ReferralPayload;
  'hearing.scheduled': HearingPayload;
  'hearing.readinessChanged': HearingPayload;
}

/**
 * A referral's state, never its free text (decline or override reasons stay in the hub). While
 * `status` is ACCEPTED or IN_SERVICE the receiving agency reads `sections` of the case: the live
 * streams follow these events to redact case-summary events for that agency.
 */
export interface ReferralPayload {
  referralId: string;
  caseSummaryId: string;
  fromAgencyId: string;
  toAgencyId: string;
  purpose: string;
  status: string;
  sections: string[];
  urgent: boolean;
  respondBy: string;
}

/** A hearing and how ready it is: ids, kind, time and item states; nothing about the victim. */
export interface HearingPayload {
  hearingId: string;
  caseSummaryId: string;
  kind: string;
  startsAt: string;
  items: { item: string; ownerAgencyId: string; state: string }[];
}

export interface ActionItemPayload {
  actionItemId: string;
  title: string;
  status: string;
  priority: string;
  dueOn: string;
  assigneeMemberId: string | null;
  assigneeAgencyId: string | null;
  meetingId: string | null;
  caseSummaryId: string | null;
}

/** `changed` lists header fields and CaseSection values; it is filtered per audience before it leaves. */
export interface CaseSummaryPayload {
  caseSummaryId: string;
  caseCode: string;
  version: number;
  changed: string[];
}

export interface MembershipPayload {
  membershipId: string;
  memberId: string;
  role: string;
}

export type HubEventType = keyof HubEventMap;

/** The types of one family, such as `MembershipEventType` for 'membership.added' | … */
export type HubEventTypeOf<Prefix extends string> = Extract<HubEventType, `${Prefix}.${string}`>;
export type MeetingEventType = HubEventTypeOf<'meeting'>;
export type ActionItemEventType = HubEventTypeOf<'actionItem'>;
export type CaseSummaryEventType = HubEventTypeOf<'caseSummary'>;
export type MembershipEventType = HubEventTypeOf<'membership'>;
export type ReferralEventType = HubEventTypeOf<'referral'>;
export type HearingEventType = HubEventTypeOf<'hearing'>;

interface EnvelopeOf<T extends HubEventType> {
  type: T;
  taskForceId: string;
  /** Gap-free and in commit order per task force. */
  cursor: number;
  at: string;
  actorId: string | null;
  /** null where this audience may not see the content: the envelope still keeps the stream gap-free. */
  data: HubEventMap[T] | null;
  /** Present (true) when the content was withheld from this audience. */
  withheld?: true;
}

/**
 * What leaves the server: one envelope per event type, so checking `type` narrows `data` to that
 * event's payload. `EventEnvelope<'membership.removed' | 'membership.added'>` is the union of those two.
 */
export type EventEnvelope<T extends HubEventType = HubEventType> = { [K in T]: EnvelopeOf<K> }[T];

/**
 * The same event as a GraphQL subscription yields it (`LiveEvent`): `data` is the payload as JSON,
 * and `withheld` is always present.
 */
export interface LiveEventMessage {
  type: HubEventType;
  taskForceId: string;
  cursor: number;
  at: string;
  actorId: string | null;
  data: string | null;
  withheld: boolean;
}
