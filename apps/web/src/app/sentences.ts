/**
 * Live activity and history as sentences in the reader's language: people, agencies and values by
 * their labels, never an id or a code. Built only from what this reader already has: the event as
 * redacted for their audience, the task force's member list and the page's own data. What the
 * reader may not see (a withheld event, an id not in their lists) becomes a neutral phrase.
 * Plain functions (no React), so apps/web/test/sentences.spec.ts calls them directly.
 */
import type { ActionItemChange, ActionItemPriority, ActionItemStatus, LiveEnvelope, TaskForceRole } from '../api/types';
import type { Translate } from '../i18n';

export interface SentenceContext {
  t: Translate;
  /** A calendar date (YYYY-MM-DD) as the reader's language writes it. */
  date(day: string): string;
  /** Members of the task force by id, and the agencies they belong to. */
  members: ReadonlyMap<string, string>;
  agencies: ReadonlyMap<string, string>;
  /** The agenda of the meeting on screen, if any: titles and positions (1-based) by item id. */
  agenda?: ReadonlyMap<string, { title: string; position: number }>;
}

const STATUSES: readonly ActionItemStatus[] = ['OPEN', 'IN_PROGRESS', 'BLOCKED', 'DONE', 'CANCELLED'];
const PRIORITIES: readonly ActionItemPriority[] = ['LOW', 'NORMAL', 'HIGH', 'URGENT'];
const ROLES: readonly TaskForceRole[] = ['COORDINATOR', 'MEMBER', 'OBSERVER'];

function person(ctx: SentenceContext, id: string | null | undefined): string {
  if (!id) return ctx.t('activity.hub');
  return ctx.members.get(id) ?? ctx.t('activity.formerMember');
}

function status(ctx: SentenceContext, value: unknown): string {
  return STATUSES.includes(value as ActionItemStatus)
    ? ctx.t(`action.status.${value as ActionItemStatus}`)
    : ctx.t('case.changed.other');
}

function priority(ctx: SentenceContext, value: unknown): string {
  return PRIORITIES.includes(value as ActionItemPriority)
    ? ctx.t(`action.priority.${value as ActionItemPriority}`)
    : ctx.t('case.changed.other');
}

function role(ctx: SentenceContext, value: unknown): string {
  return ROLES.includes(value as TaskForceRole)
    ? ctx.t(`tf.role.${value as TaskForceRole}`)
    : ctx.t('case.changed.other');
}

function assignee(ctx: SentenceContext, memberId: string | null | undefined, agencyId: string | null | undefined) {
  if (memberId) return person(ctx, memberId);
  if (agencyId) return ctx.agencies.get(agencyId) ?? ctx.t('activity.someAgency');
  return ctx.t('action.unassigned');
}

/** One line of the live activity panel. */
export function eventSentence(event: LiveEnvelope, ctx: SentenceContext): string {
  const { t } = ctx;
  const who = person(ctx, event.actorId);
  if (event.withheld || !event.data) return t('activity.withheld', { who });
  switch (event.type) {
    case 'meeting.scheduled':
      return t('activity.meeting.scheduled', { who, title: event.data.title });
    case 'meeting.updated':
      return t('activity.meeting.updated', { who });
    case 'meeting.cancelled':
      return t('activity.meeting.cancelled', { who });
    case 'meeting.started':
      return t('activity.meeting.started', { who });
    case 'meeting.agendaAdvanced': {
      const item = ctx.agenda?.get(event.data.currentAgendaItemId);
      return item
        ? t('activity.meeting.agendaAdvanced', { who, position: item.position, title: item.title })
        : t('activity.meeting.agendaAdvancedElsewhere', { who });
    }
    case 'meeting.ended':
      return t('activity.meeting.ended', { who });
    case 'meeting.agendaChanged':
      return t('activity.meeting.agendaChanged', { who, count: event.data.agenda.length });
    case 'meeting.attendanceChanged': {
      const member = person(ctx, event.data.memberId);
      if (event.data.leftAt) return t('activity.meeting.left', { member });
      return event.data.mode === 'REMOTE'
        ? t('activity.meeting.remote', { member })
        : t('activity.meeting.inPerson', { member });
    }
    case 'meeting.noteAdded':
      return t('activity.meeting.noteAdded', { who, item: agendaTitle(ctx, event.data.agendaItemId) });
    case 'meeting.decisionRecorded':
      return t('activity.meeting.decisionRecorded', { who, item: agendaTitle(ctx, event.data.agendaItemId) });
    case 'actionItem.created':
      return t('activity.actionItem.created', {
        who,
        title: event.data.title,
        assignee: assignee(ctx, event.data.assigneeMemberId, event.data.assigneeAgencyId),
        date: ctx.date(event.data.dueOn),
      });
    case 'actionItem.updated': {
      const { changes, title } = event.data;
      if (changes.includes('assignee') && event.data.assigneeMemberId === event.actorId)
        return t('activity.actionItem.taken', { who, title });
      if (changes.includes('status'))
        return t('activity.actionItem.status', { who, title, status: status(ctx, event.data.status) });
      return t('activity.actionItem.updated', { who, title });
    }
    case 'actionItem.commented':
      return t('activity.actionItem.commented', { who });
    case 'caseSummary.created':
      return t('activity.caseSummary.created', { who, code: event.data.caseCode });
    case 'caseSummary.updated':
      return t('activity.caseSummary.updated', { who, code: event.data.caseCode, version: event.data.version });
    case 'membership.added':
      return t('activity.membership.added', {
        who,
        member: person(ctx, event.data.memberId),
        role: role(ctx, event.data.role),
      });
    case 'membership.roleChanged':
      return t('activity.membership.roleChanged', {
        who,
        member: person(ctx, event.data.memberId),
        role: role(ctx, event.data.role),
      });
    case 'membership.removed':
      return t('activity.membership.removed', { who, member: person(ctx, event.data.memberId) });
    default:
      // A type this client does not know yet (a newer hub): a neutral sentence, never the code.
      return t('activity.withheld', { who });
  }
}

function agendaTitle(ctx: SentenceContext, id: string): string {
  return ctx.agenda?.get(id)?.title ?? ctx.t('meeting.agenda');
}

function json(value: string | null): unknown {
  if (value === null) return null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return null;
  }
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && name in value
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

/** One line of an action item's history. `caseSummary` is the item's linked case, as the reader sees it. */
export function historySentence(
  change: ActionItemChange,
  ctx: SentenceContext & { caseSummary?: { id: string; caseCode: string } | null },
): string {
  const { t } = ctx;
  const who = change.actor.displayName;
  const before = json(change.before);
  const after = json(change.after);
  switch (change.kind) {
    case 'created':
      return t('history.created', { who });
    case 'status': {
      const next = field(after, 'status');
      const reason = field(after, 'reason');
      if (next === 'BLOCKED' && typeof reason === 'string') return t('history.blocked', { who, reason });
      return t('history.status', { who, status: status(ctx, next) });
    }
    case 'assignee': {
      const memberId = field(after, 'memberId') as string | null | undefined;
      const agencyId = field(after, 'agencyId') as string | null | undefined;
      // Taking an agency's item: it becomes the taker's own.
      if (memberId && memberId === change.actor.id && !field(before, 'memberId')) return t('history.taken', { who });
      return t('history.assigned', { who, assignee: assignee(ctx, memberId, agencyId) });
    }
    case 'dueOn':
      return typeof before === 'string' && typeof after === 'string'
        ? t('history.dueOn', { who, before: ctx.date(before), after: ctx.date(after) })
        : t('history.changed', { who });
    case 'priority':
      return t('history.priority', { who, before: priority(ctx, before), after: priority(ctx, after) });
    case 'title':
      return typeof before === 'string' && typeof after === 'string'
        ? t('history.title', { who, before, after })
        : t('history.changed', { who });
    case 'description':
      return t('history.description', { who });
    case 'caseSummary':
      if (after === null) return t('history.caseUnlinked', { who });
      return ctx.caseSummary && ctx.caseSummary.id === after
        ? t('history.caseLinked', { who, code: ctx.caseSummary.caseCode })
        : t('history.caseLinkedElsewhere', { who });
    case 'commented':
      return t('history.commented', { who });
    default:
      return t('history.changed', { who });
  }
}
