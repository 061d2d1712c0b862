/**
 * Every domain event of the hub and its payload: the one typed map that producers, the outbox,
 * the bus and every transport share. Payloads carry ids and what a member of the task force may see;
 * a case-summary event carries the fact of a change, never section text.
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
  'meeting.decisionRecorded': {
    meetingId: string;
    agendaItemId: string;
    decisionId: string;
    text: string;
    caseSummaryId: string | null;
  };
  'actionItem.created': ActionItemPayload;
  'actionItem.updated': ActionItemPayload & { changes: string[] };
  'actionItem.commented': { actionItemId: string; commentId: string; authorId: string; text: string };
  'caseSummary.created': CaseSummaryPayload;
  'caseSummary.updated': CaseSummaryPayload;
  'membership.added': { membershipId: string; memberId: string; role: string };
  'membership.roleChanged': { membershipId: string; memberId: string; role: string };
  'membership.removed': { membershipId: string; memberId: string; role: string };
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

export type HubEventType = keyof HubEventMap;

/** Events about a person rather than a task force: they reach every instance, without a cursor. */
export interface SystemEventMap {
  'member.disabled': { memberId: string };
  'session.revoked': { memberId: string; sessionId: string };
}

export type SystemEventType = keyof SystemEventMap;

/** What leaves the server, on every transport (the public contract). */
export interface EventEnvelope<T extends HubEventType = HubEventType> {
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

/** What travels on the bus: a task-force event with its meeting (for meeting rooms), or a system event. */
export type BusMessage =
  | { kind: 'event'; envelope: EventEnvelope; meetingId: string | null }
  | { kind: 'system'; type: SystemEventType; data: SystemEventMap[SystemEventType] };
