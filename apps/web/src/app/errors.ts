/**
 * What a refusal from the hub says to the person who caused it, in their language. The client
 * decides from `extensions.code`, `extensions.field` and `extensions.identifier` (the contract), and
 * names the field by its label on screen; the server's English sentence is shown only for a code
 * this client does not know.
 */
import type { ApiError } from '../api/graphql';
import type { Translate } from '../i18n';
import type { MessageKey } from '../i18n/messages';

/** A field's label on screen, by the name the server gives it (`input.` prefixes dropped). */
export type FieldLabels = Record<string, string>;

const FIELD_LABELS: Record<string, MessageKey> = {
  title: 'action.title',
  description: 'action.description',
  dueOn: 'action.dueOn',
  priority: 'action.priority',
  assignee: 'action.assignee',
  'assignee.memberId': 'action.assignee',
  'assignee.agencyId': 'action.assignee',
  reason: 'action.reason',
  text: 'error.field.text',
  email: 'auth.email',
  password: 'auth.password',
  caseCode: 'case.code',
  stage: 'case.stage',
  'sections.overview': 'case.section.OVERVIEW',
  'sections.investigation': 'case.section.INVESTIGATION',
  'sections.prosecution': 'case.section.PROSECUTION',
  'sections.victimSupport': 'case.section.VICTIM_SUPPORT',
};

const IDENTIFIERS = ['CNP', 'IBAN', 'PHONE', 'PASSPORT', 'EMAIL'] as const;
type Identifier = (typeof IDENTIFIERS)[number];

/** Refusals with a sentence of their own, by code and field. */
const SPECIFIC: Record<string, MessageKey> = {
  'BAD_USER_INPUT:reason': 'error.BAD_USER_INPUT.reason',
  'BAD_USER_INPUT:dueOn': 'error.BAD_USER_INPUT.dueOn',
  'BAD_USER_INPUT:assignee': 'error.BAD_USER_INPUT.assignee',
  'BAD_USER_INPUT:endsAt': 'error.BAD_USER_INPUT.endsAt',
  'CONFLICT:id': 'error.CONFLICT.taken',
  'CONFLICT:status': 'error.CONFLICT.status',
  'CONFLICT:agendaItemId': 'error.CONFLICT.agendaItem',
  'CONFLICT:memberId': 'error.CONFLICT.attendance',
};

const BY_CODE: Record<string, MessageKey> = {
  CONFLICT: 'error.CONFLICT',
  FORBIDDEN: 'error.FORBIDDEN',
  NOT_FOUND: 'error.NOT_FOUND',
  UNAUTHENTICATED: 'error.UNAUTHENTICATED',
  SERVICE_UNAVAILABLE: 'error.SERVICE_UNAVAILABLE',
  CURSOR_EXPIRED: 'error.CURSOR_EXPIRED',
  INTERNAL_SERVER_ERROR: 'error.INTERNAL_SERVER_ERROR',
  BAD_RESPONSE: 'error.INTERNAL_SERVER_ERROR',
  NETWORK_ERROR: 'error.NETWORK_ERROR',
};

const MEETING_STATUSES = ['SCHEDULED', 'LIVE', 'ENDED', 'CANCELLED'] as const;

function fieldName(field: string | undefined): string | undefined {
  return field?.replace(/^input\./, '');
}

/** The field's label: the screen's own first, then the client's usual labels. */
export function fieldLabel(field: string | undefined, t: Translate, labels: FieldLabels = {}): string | undefined {
  const name = fieldName(field);
  if (!name) return undefined;
  if (labels[name]) return labels[name];
  const key = FIELD_LABELS[name];
  return key ? t(key) : undefined;
}

export function errorText(error: ApiError, t: Translate, labels: FieldLabels = {}): string {
  const { code } = error;
  const field = fieldName(error.extensions.field);
  const label = fieldLabel(field, t, labels);
  const identifier = error.extensions.identifier;
  if (code === 'BAD_USER_INPUT' && typeof identifier === 'string' && IDENTIFIERS.includes(identifier as Identifier))
    return t('error.field', {
      field: label ?? t('error.thisField'),
      problem: t(`case.identifier.${identifier as Identifier}`),
    });
  const specific = SPECIFIC[`${code}:${field ?? ''}`];
  if (specific) return t(specific);
  const status = error.extensions.status;
  if (code === 'CONFLICT' && typeof status === 'string' && (MEETING_STATUSES as readonly string[]).includes(status))
    return t('error.CONFLICT.meeting', { status: t(`meeting.status.${status as 'LIVE'}`) });
  if (code === 'BAD_USER_INPUT')
    return label ? t('error.BAD_USER_INPUT', { field: label }) : t('error.BAD_USER_INPUT.noField');
  if (code === 'RATE_LIMITED') {
    const seconds = error.extensions.retryAfterSeconds;
    return typeof seconds === 'number' && seconds > 0
      ? t('error.RATE_LIMITED', { seconds: Math.ceil(seconds) })
      : t('error.RATE_LIMITED.soon');
  }
  const general = BY_CODE[code];
  return general ? t(general) : t('error.generic', { message: error.message });
}
