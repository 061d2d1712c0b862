import type { HubEventMap, HubEventType } from '@hub/contracts';

/**
 * The fields of every event's payload, at run time: what the GraphQL payload types, the AsyncAPI
 * document and the webhooks' id lists are built from. Its type is derived from HubEventMap, so a
 * payload field added, removed or retyped there does not compile here until this table follows.
 */
type KindOf<T> = [T] extends [string]
  ? 'ID' | 'String'
  : [T] extends [string | null]
    ? 'ID?' | 'String?'
    : [T] extends [number]
      ? 'Int'
      : [T] extends [number | null]
        ? 'Int?'
        : [T] extends [boolean]
          ? 'Boolean'
          : [T] extends [string[]]
            ? 'String[]'
            : [T] extends [Array<infer E>]
              ? { list: string; of: FieldsOf<E> }
              : never;

export type FieldsOf<P> = { [K in keyof P]-?: KindOf<P[K]> };
export type FieldKind = 'ID' | 'ID?' | 'String' | 'String?' | 'Int' | 'Int?' | 'Boolean' | 'String[]' | NestedList;
export interface NestedList {
  /** The GraphQL name of the element type. */
  list: string;
  of: Record<string, FieldKind>;
}

const actionItem = {
  actionItemId: 'ID',
  title: 'String',
  status: 'String',
  priority: 'String',
  dueOn: 'String',
  assigneeMemberId: 'ID?',
  assigneeAgencyId: 'ID?',
  meetingId: 'ID?',
  caseSummaryId: 'ID?',
} as const;
const caseSummary = { caseSummaryId: 'ID', caseCode: 'String', version: 'Int', changed: 'String[]' } as const;
const membership = { membershipId: 'ID', memberId: 'ID', role: 'String' } as const;
const referral = {
  referralId: 'ID',
  caseSummaryId: 'ID',
  fromAgencyId: 'ID',
  toAgencyId: 'ID',
  purpose: 'String',
  status: 'String',
  sections: 'String[]',
  urgent: 'Boolean',
  respondBy: 'String',
} as const;
const hearing = {
  hearingId: 'ID',
  caseSummaryId: 'ID',
  kind: 'String',
  startsAt: 'String',
  items: { list: 'HearingReadinessState', of: { item: 'String', ownerAgencyId: 'ID', state: 'String' } },
} as const;

export const EVENT_FIELDS: { [T in HubEventType]: FieldsOf<HubEventMap[T]> } = {
  'meeting.scheduled': { meetingId: 'ID', title: 'String', startsAt: 'String', endsAt: 'String' },
  'meeting.updated': {
    meetingId: 'ID',
    title: 'String',
    startsAt: 'String',
    endsAt: 'String',
    place: 'String?',
    callLink: 'String?',
  },
  'meeting.cancelled': { meetingId: 'ID', reason: 'String?' },
  'meeting.started': { meetingId: 'ID', currentAgendaItemId: 'ID?' },
  'meeting.agendaAdvanced': { meetingId: 'ID', currentAgendaItemId: 'ID' },
  'meeting.ended': { meetingId: 'ID' },
  'meeting.agendaChanged': {
    meetingId: 'ID',
    agenda: {
      list: 'AgendaEntry',
      of: {
        id: 'ID',
        position: 'Int',
        title: 'String',
        presenterId: 'ID?',
        caseSummaryId: 'ID?',
        timeBoxMinutes: 'Int?',
      },
    },
  },
  'meeting.attendanceChanged': {
    meetingId: 'ID',
    attendanceId: 'ID',
    memberId: 'ID',
    mode: 'String',
    arrivedAt: 'String',
    leftAt: 'String?',
  },
  'meeting.noteAdded': { meetingId: 'ID', agendaItemId: 'ID', noteId: 'ID', authorId: 'ID', text: 'String' },
  'meeting.noteCorrected': { meetingId: 'ID', agendaItemId: 'ID', noteId: 'ID', authorId: 'ID', text: 'String' },
  'meeting.seriesCreated': { seriesId: 'ID', title: 'String', cadence: 'String' },
  'meeting.templateSaved': { templateId: 'ID', name: 'String', itemCount: 'Int' },
  'meeting.decisionRecorded': {
    meetingId: 'ID',
    agendaItemId: 'ID',
    decisionId: 'ID',
    text: 'String',
    caseSummaryId: 'ID?',
    reviewOn: 'String?',
    actionItemIds: 'String[]',
  },
  'actionItem.created': actionItem,
  'actionItem.updated': { ...actionItem, changes: 'String[]' },
  'actionItem.commented': { actionItemId: 'ID', commentId: 'ID', authorId: 'ID', text: 'String' },
  'caseSummary.created': caseSummary,
  'caseSummary.updated': caseSummary,
  'membership.added': membership,
  'membership.roleChanged': membership,
  'membership.removed': membership,
  'referral.requested': referral,
  'referral.changed': referral,
  'hearing.scheduled': hearing,
  'hearing.readinessChanged': hearing,
};

export const HUB_EVENT_TYPES = Object.keys(EVENT_FIELDS) as HubEventType[];

export const isHubEventType = (type: string): type is HubEventType => Object.hasOwn(EVENT_FIELDS, type);

/** `meeting.agendaAdvanced` → `MeetingAgendaAdvancedEvent`: the payload's GraphQL and AsyncAPI name. */
export function payloadTypeName(type: HubEventType): string {
  return `${type
    .split('.')
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('')}Event`;
}

/** The ids of a payload's own top-level id fields: what a thin webhook may carry (never text). */
export function idsOf(type: HubEventType, data: Record<string, unknown>): Record<string, string> {
  const fields = EVENT_FIELDS[type] as Record<string, FieldKind>;
  const ids: Record<string, string> = {};
  for (const [field, kind] of Object.entries(fields))
    if ((kind === 'ID' || kind === 'ID?') && typeof data[field] === 'string') ids[field] = data[field];
  return ids;
}
