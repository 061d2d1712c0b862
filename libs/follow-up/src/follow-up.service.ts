import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Actor, assertCan, can } from '@hub/access';
import { ACTIVE_STATUSES, ActionItem, ActionItemsService, calendarDate } from '@hub/action-items';
import { DomainEvent, type EventEnvelope, type HubEventType, redactFor, WriteTransaction } from '@hub/events';
import {
  AgendaItem,
  calendarDateIn,
  Decision,
  Meeting,
  MeetingsService,
  MeetingStatus,
  type NewDecision,
} from '@hub/meetings';

/** What a meeting of a series opens with: what the meetings before it left open. */
export interface FollowUpSection {
  /** The latest earlier meeting of the series that took place. */
  previous: Meeting | null;
  /** Items of the previous meeting's agenda it never reached. */
  unfinishedAgenda: AgendaItem[];
  /** Decisions of earlier meetings of the series whose review date has come by this meeting's day. */
  decisionsDue: Decision[];
  /** Action items that came from the previous meeting and are still open. */
  openActionItems: ActionItem[];
  /**
   * The task force's other action items overdue by this meeting's day (due before it and still open),
   * whatever meeting they came from, at most 100; empty for a reader who may not read action items.
   */
  overdueActionItems: ActionItem[];
}

/** What is still open in a meeting, shown before the coordinator ends it. */
export interface OpenEnds {
  /** Action items of this meeting assigned to an agency that no one of it has taken. */
  unclaimedItems: ActionItem[];
  /** Decisions with no action item linked and no review date: nothing will bring them back. */
  decisionsWithoutFollowUp: Decision[];
  agendaNotReached: AgendaItem[];
}

/** What changed in a task force since its last meeting ended, as this reader may know of it. */
export interface SinceLastMeeting {
  lastMeeting: Meeting | null;
  events: EventEnvelope[];
  /** More events happened than are listed. */
  truncated: boolean;
  overdue: ActionItem[];
}

/** The event types the page tells about; live-only noise (attendance, agenda moves) stays out. */
const TOLD: readonly HubEventType[] = [
  'actionItem.created',
  'actionItem.updated',
  'meeting.decisionRecorded',
  'meeting.scheduled',
  'meeting.cancelled',
  'caseSummary.created',
  'caseSummary.updated',
  'membership.added',
  'membership.removed',
];

const SINCE_LIMIT = 200;

/**
 * The work between meetings, across the meetings and action-items domains: the follow-up section a
 * series meeting opens with, what is still open when a meeting ends, decisions recorded with the items
 * they give rise to, and what changed since the last meeting.
 */
@Injectable()
export class FollowUpService {
  constructor(
    private readonly em: EntityManager,
    private readonly meetings: MeetingsService,
    private readonly actionItems: ActionItemsService,
    private readonly writes: WriteTransaction,
  ) {}

  /** A decision and the action items chosen for it, in one transaction: both or neither. */
  async recordDecision(actor: Actor, input: NewDecision & { actionItemIds?: string[] }): Promise<Decision> {
    const ids = [...new Set(input.actionItemIds ?? [])];
    return this.writes.run(async (em, events) => {
      const decision = await this.meetings.recordDecisionIn(em, events, actor, input, ids);
      await this.actionItems.linkToDecisionIn(em, events, actor, decision, ids);
      return decision;
    });
  }

  async followUp(actor: Actor, meetingId: string): Promise<FollowUpSection> {
    const { meeting, earlier } = await this.meetings.earlierInSeries(actor, meetingId);
    const held = earlier.filter((m) => m.status === MeetingStatus.ENDED);
    const previous = held[0] ?? null;
    if (!previous)
      return { previous: null, unfinishedAgenda: [], decisionsDue: [], openActionItems: [], overdueActionItems: [] };
    const em = this.em.fork();
    const day = calendarDateIn(meeting.startsAt);
    // Due since the previous meeting's day: earlier ones came back in that meeting's own follow-up.
    const after = calendarDateIn(previous.startsAt);
    const [unfinishedAgenda, decisionsDue, openActionItems] = await Promise.all([
      em.find(AgendaItem, { meeting: previous.id, startedAt: null }, { orderBy: { position: 'asc' } }),
      em.find(
        Decision,
        { meeting: { $in: held.map((m) => m.id) }, reviewOn: { $gt: after, $lte: day } },
        { orderBy: { reviewOn: 'asc', createdAt: 'asc' } },
      ),
      em.find(
        ActionItem,
        { meeting: previous.id, status: { $in: ACTIVE_STATUSES } },
        { orderBy: [{ dueOn: 'asc' }, { id: 'asc' }] },
      ),
    ]);
    const listed = new Set(openActionItems.map((i) => i.id));
    const overdueActionItems = can(actor, 'actionItem.read', meeting.taskForce.id)
      ? (
          await em.find(
            ActionItem,
            { taskForce: meeting.taskForce.id, dueOn: { $lt: day }, status: { $in: ACTIVE_STATUSES } },
            { orderBy: [{ dueOn: 'asc' }, { id: 'asc' }], limit: OVERDUE_LIMIT + listed.size },
          )
        )
          .filter((i) => !listed.has(i.id))
          .slice(0, OVERDUE_LIMIT)
      : [];
    return { previous, unfinishedAgenda, decisionsDue, openActionItems, overdueActionItems };
  }

  async openEnds(actor: Actor, meetingId: string): Promise<OpenEnds> {
    const meeting = await this.meetings.get(actor, meetingId);
    const em = this.em.fork();
    const [items, decisions, agenda] = await Promise.all([
      em.find(ActionItem, { meeting: meeting.id, status: { $in: ACTIVE_STATUSES } }, { orderBy: { dueOn: 'asc' } }),
      em.find(Decision, { meeting: meeting.id }, { orderBy: { createdAt: 'asc' } }),
      em.find(AgendaItem, { meeting: meeting.id, startedAt: null }, { orderBy: { position: 'asc' } }),
    ]);
    const linked = new Set(
      (await em.find(ActionItem, { decision: { $in: decisions.map((d) => d.id) } }, { fields: ['decision'] })).map(
        (item) => item.decision?.id,
      ),
    );
    return {
      unclaimedItems: items.filter((item) => !item.assigneeMember),
      decisionsWithoutFollowUp: decisions.filter((d) => !d.reviewOn && !linked.has(d.id)),
      agendaNotReached: agenda,
    };
  }

  /**
   * From the event history, after the task force's last ended meeting: each event as the reader's
   * audience receives it live, and those withheld from them left out entirely.
   */
  async sinceLastMeeting(actor: Actor, taskForceId: string): Promise<SinceLastMeeting> {
    assertCan(actor, 'events.read', taskForceId);
    const em = this.em.fork();
    const [lastMeeting] = await em.find(
      Meeting,
      { taskForce: taskForceId, status: MeetingStatus.ENDED },
      { orderBy: { endedAt: 'desc' }, limit: 1 },
    );
    const rows = await em.find(
      DomainEvent,
      {
        taskForceId,
        type: { $in: [...TOLD] },
        ...(lastMeeting?.endedAt ? { at: { $gt: lastMeeting.endedAt } } : {}),
      },
      { orderBy: { cursor: 'desc' }, limit: SINCE_LIMIT + 1 },
    );
    const events = rows
      .slice(0, SINCE_LIMIT)
      .reverse()
      .map((row) =>
        redactFor(
          {
            type: row.type as HubEventType,
            taskForceId,
            cursor: row.cursor!,
            at: row.at.toISOString(),
            actorId: row.actorId ?? null,
            data: row.data,
          } as EventEnvelope,
          // Without the referrals' shares: a sentence names only what the access table lets the agency see.
          { kind: actor.agencyKind, agencyId: actor.agencyId },
        ),
      )
      .filter((envelope) => !envelope.withheld);
    const overdue = await em.find(
      ActionItem,
      { taskForce: taskForceId, dueOn: { $lt: calendarDate() }, status: { $in: ACTIVE_STATUSES } },
      { orderBy: [{ dueOn: 'asc' }, { id: 'asc' }], limit: 100 },
    );
    return { lastMeeting: lastMeeting ?? null, events, truncated: rows.length > SINCE_LIMIT, overdue };
  }
}

const OVERDUE_LIMIT = 100;
