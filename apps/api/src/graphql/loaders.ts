import { Injectable } from '@nestjs/common';
import { CaseSection } from '@hub/access';
import { ActionItem, ActionItemChange, ActionItemComment, ActionItemsRepository } from '@hub/action-items';
import {
  CaseSummariesRepository,
  CaseSummariesService,
  CaseSummary,
  CaseSummaryRevision,
  ReadVia,
} from '@hub/case-summaries';
import {
  AgenciesRepository,
  Agency,
  Member,
  MembershipsRepository,
  MembersRepository,
  Membership,
} from '@hub/identity';
import { AgendaItem, Attendance, Decision, Meeting, MeetingsRepository, MinuteNote } from '@hub/meetings';
import { TaskForce, TaskForcesRepository } from '@hub/task-forces';
import DataLoader from 'dataloader';
import { actorOf, HubRequest } from './context';

function byId<T extends { id: string }>(ids: readonly string[], rows: T[]): (T | undefined)[] {
  const map = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => map.get(id));
}

function grouped<T>(ids: readonly string[], rows: T[], key: (row: T) => string): T[][] {
  const map = new Map<string, T[]>(ids.map((id) => [id, []]));
  for (const row of rows) map.get(key(row))?.push(row);
  return ids.map((id) => map.get(id) ?? []);
}

/**
 * Dispatches loader batches in waves: a batch waits until every batch already running for this
 * request has returned and GraphQL has asked for what those results lead to. Without it, batches split
 * by database timing (one parent list answering before another), and the number of statements of a
 * request would depend on luck instead of on the shape of the query.
 */
class WaveScheduler {
  private running = 0;
  private waiting: (() => void)[] = [];

  readonly schedule = (dispatch: () => void): void => {
    this.waiting.push(dispatch);
    this.kick();
  };

  track<T>(work: Promise<T>): Promise<T> {
    this.running++;
    return work.finally(() => {
      this.running--;
      this.kick();
    });
  }

  private kick(): void {
    // setImmediate runs after pending promise callbacks, so every load that a finished batch leads to has been asked for.
    setImmediate(() => {
      if (this.running > 0 || !this.waiting.length) return;
      this.waiting.splice(0).forEach((dispatch) => dispatch());
    });
  }
}

/** A section's text to hand out, if the policy allows; restricted reads are audited in one batch. */
export interface SectionReadKey {
  summary: CaseSummary;
  section: CaseSection;
  via: ReadVia;
  version?: number;
  text: string;
}

export type Loaders = ReturnType<LoadersFactory['create']>;

/**
 * Per-request batching: one query per relation and request, however many parents ask.
 * Loaders fetch through the domains' unchecked repositories; field resolvers reach them only from
 * parents the policy already let through. Section texts go through the checked service.
 */
@Injectable()
export class LoadersFactory {
  constructor(
    private readonly members: MembersRepository,
    private readonly agencies: AgenciesRepository,
    private readonly taskForces: TaskForcesRepository,
    private readonly memberships: MembershipsRepository,
    private readonly caseSummaryRows: CaseSummariesRepository,
    private readonly caseSummaries: CaseSummariesService,
    private readonly meetings: MeetingsRepository,
    private readonly actionItems: ActionItemsRepository,
  ) {}

  create(req: HubRequest) {
    const waves = new WaveScheduler();
    const one = <T extends { id: string }>(fetch: (ids: readonly string[]) => Promise<T[]>) =>
      new DataLoader<string, T | undefined>(async (ids) => byId(ids, await waves.track(fetch(ids))), {
        batchScheduleFn: waves.schedule,
      });
    const many = <T>(fetch: (ids: readonly string[]) => Promise<T[]>, key: (row: T) => string) =>
      new DataLoader<string, T[]>(async (ids) => grouped(ids, await waves.track(fetch(ids)), key), {
        batchScheduleFn: waves.schedule,
      });
    return {
      member: one<Member>((ids) => this.members.findByIds(ids)),
      agency: one<Agency>((ids) => this.agencies.findByIds(ids)),
      taskForce: one<TaskForce>((ids) => this.taskForces.findByIds(ids)),
      caseSummary: one<CaseSummary>((ids) => this.caseSummaryRows.findByIds(ids)),
      revisionsBySummary: many<CaseSummaryRevision>(
        (ids) => this.caseSummaryRows.revisionsBySummaryIds(ids),
        (r) => r.caseSummary.id,
      ),
      meeting: one<Meeting>((ids) => this.meetings.findByIds(ids)),
      decision: one<Decision>((ids) => this.meetings.decisionsByIds(ids)),
      membershipsByTaskForce: many<Membership>(
        (ids) => this.memberships.findByTaskForceIds(ids),
        (m) => m.taskForce.id,
      ),
      membershipsByMember: many<Membership>(
        (ids) => this.memberships.findByMemberIds(ids),
        (m) => m.member.id,
      ),
      agendaByMeeting: many<AgendaItem>(
        (ids) => this.meetings.agendaByMeetingIds(ids),
        (a) => a.meeting.id,
      ),
      attendanceByMeeting: many<Attendance>(
        (ids) => this.meetings.attendanceByMeetingIds(ids),
        (a) => a.meeting.id,
      ),
      notesByAgendaItem: many<MinuteNote>(
        (ids) => this.meetings.notesByAgendaItemIds(ids),
        (n) => n.agendaItem.id,
      ),
      decisionsByMeeting: many<Decision>(
        (ids) => this.meetings.decisionsByMeetingIds(ids),
        (d) => d.meeting.id,
      ),
      actionItemsByMeeting: many<ActionItem>(
        (ids) => this.actionItems.byMeetingIds(ids),
        (i) => i.meeting!.id,
      ),
      actionItemsByDecision: many<ActionItem>(
        (ids) => this.actionItems.byDecisionIds(ids),
        (i) => i.decision!.id,
      ),
      commentsByActionItem: many<ActionItemComment>(
        (ids) => this.actionItems.commentsByItemIds(ids),
        (c) => c.actionItem.id,
      ),
      historyByActionItem: many<ActionItemChange>(
        (ids) => this.actionItems.historyByItemIds(ids),
        (c) => c.actionItem.id,
      ),
      sectionText: new DataLoader<SectionReadKey, string | null, string>(
        (reads) => waves.track(this.caseSummaries.readSections(actorOf(req), [...reads])),
        {
          cacheKeyFn: (r) => `${r.summary.id}|${r.section}|${r.via}|${r.version ?? ''}`,
          batchScheduleFn: waves.schedule,
        },
      ),
    };
  }
}
