import { Injectable } from '@nestjs/common';
import { CaseSection, type SharedSections } from '@hub/access';
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
import {
  AgendaItem,
  Attendance,
  Decision,
  Meeting,
  MeetingSeries,
  MeetingsRepository,
  MinuteNote,
  MinuteNoteRevision,
} from '@hub/meetings';
import { HearingsService, type HearingWithItems } from '@hub/referrals';
import { TaskForce, TaskForcesRepository } from '@hub/task-forces';
import { readJsonParts, type JsonPart } from '@hub/core';
import { EntityManager, Utils, wrap } from '@mikro-orm/core';
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

/** A value, or a promise of it: what a resolver may return; GraphQL completes a value without a promise. */
export type Maybe<T> = T | Promise<T>;

export function mapMaybe<T, R>(value: Maybe<T>, f: (value: T) => R): Maybe<R> {
  return value instanceof Promise ? value.then(f) : f(value);
}

/**
 * A DataLoader that answers at once what it already holds (primed from a join, or read by an earlier
 * batch). A resolver that returns the value, not a promise of it, lets GraphQL complete the field and
 * its list without promises: an async resolver per member, agency and list of a meeting cost several
 * promises each, every one of them tracked by the request scope's AsyncLocalStorage on Node 20, and
 * about a fifth of the meeting read's server CPU (docs/benchmarks.md).
 */
export class KnownLoader<V> {
  private readonly values = new Map<string, V>();
  private readonly loader: DataLoader<string, V>;

  constructor(batch: (keys: readonly string[]) => Promise<V[]>, schedule: (dispatch: () => void) => void) {
    this.loader = new DataLoader<string, V>(
      async (keys) => {
        const values = await batch(keys);
        // What DataLoader would refuse (a short answer) or reject (an Error) is not kept as an answer.
        if (values.length === keys.length)
          keys.forEach((key, i) => {
            if (!this.values.has(key) && !(values[i] instanceof Error)) this.values.set(key, values[i]);
          });
        return values;
      },
      { batchScheduleFn: schedule },
    );
  }

  /** The value if it is here, otherwise a promise of it (batched with the rest of the wave). */
  get(key: string): Maybe<V> {
    return this.values.has(key) ? (this.values.get(key) as V) : this.loader.load(key);
  }

  load(key: string): Promise<V> {
    return this.values.has(key) ? Promise.resolve(this.values.get(key) as V) : this.loader.load(key);
  }

  /** As DataLoader's, what is already held stays; the DataLoader never hears of it (its prime makes a promise). */
  prime(key: string, value: V): void {
    if (!this.values.has(key)) this.values.set(key, value);
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

/** A row read with its columns: an initialized entity, or a plain row (readJsonParts), not a bare `{ id }` reference. */
function loaded(row: object, column: string): boolean {
  return Utils.isEntity(row) ? wrap(row).isInitialized() : (row as Record<string, unknown>)[column] !== undefined;
}

/**
 * A meeting's own lists, with the members and agencies their rows name, in their GraphQL order: read
 * together, whichever of them a wave asks for, in one statement (readJsonParts), as plain rows.
 */
const MEETING_LISTS = {
  agenda: { entity: AgendaItem, parent: 'meeting', join: { presenter: { agency: {} } }, orderBy: ['position'] },
  attendance: {
    entity: Attendance,
    parent: 'meeting',
    join: { member: { agency: {} }, markedBy: { agency: {} } },
    orderBy: ['arrivedAt', 'id'],
  },
  decisions: {
    entity: Decision,
    parent: 'meeting',
    join: { recordedBy: { agency: {} } },
    orderBy: ['createdAt', 'id'],
  },
  actionItems: {
    entity: ActionItem,
    parent: 'meeting',
    join: { assigneeMember: { agency: {} }, assigneeAgency: {}, createdBy: { agency: {} } },
    orderBy: ['dueOn', 'id'],
  },
} satisfies Record<string, JsonPart>;
type MeetingList = keyof typeof MEETING_LISTS;
/** The Meeting fields each list answers (currentAgendaItem is found in the agenda). */
const LIST_OF_FIELD: Record<string, MeetingList> = {
  agenda: 'agenda',
  currentAgendaItem: 'agenda',
  attendance: 'attendance',
  decisions: 'decisions',
  actionItems: 'actionItems',
};

/** The meeting lists that these Meeting fields read, in the order that makes one statement text per set. */
export function meetingListsFor(fields: readonly string[] | ReadonlySet<string>): Record<string, JsonPart> {
  // A query's fields (selectedFields) are one set per parsed query: its lists are worked out once.
  const known = fields instanceof Set ? LISTS_OF_SET.get(fields) : undefined;
  if (known) return known;
  const wanted = [...new Set([...fields].map((field) => LIST_OF_FIELD[field]).filter(Boolean))].sort();
  const parts = Object.fromEntries(wanted.map((list) => [list, MEETING_LISTS[list]]));
  if (fields instanceof Set) LISTS_OF_SET.set(fields, parts);
  return parts;
}
const LISTS_OF_SET = new WeakMap<ReadonlySet<string>, Record<string, JsonPart>>();
interface MeetingLists {
  agenda: AgendaItem[];
  attendance: Attendance[];
  decisions: Decision[];
  actionItems: ActionItem[];
}

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
    private readonly hearings: HearingsService,
    private readonly em: EntityManager,
  ) {}

  create(req: HubRequest) {
    const waves = new WaveScheduler();
    // `seen` hands on what a batch joined in, before GraphQL asks for it.
    const one = <T extends { id: string }>(
      fetch: (ids: readonly string[]) => Promise<T[]>,
      seen: (row: T) => void = () => undefined,
    ) =>
      new KnownLoader<T | undefined>(async (ids) => {
        const rows = await waves.track(fetch(ids));
        rows.forEach(seen);
        return byId(ids, rows);
      }, waves.schedule);
    const many = <T>(
      fetch: (ids: readonly string[]) => Promise<T[]>,
      key: (row: T) => string,
      seen: (row: T) => void = () => undefined,
    ) =>
      new KnownLoader<T[]>(async (ids) => {
        const rows = await waves.track(fetch(ids));
        rows.forEach(seen);
        return grouped(ids, rows, key);
      }, waves.schedule);

    // The repositories join in the members, agencies and task forces a row names; priming the loaders
    // with them answers those relations without another wave of statements.
    const agency = one<Agency>((ids) => this.agencies.findByIds(ids));
    const taskForce = one<TaskForce>((ids) => this.taskForces.findByIds(ids));
    const knownAgency = (row: Agency | null | undefined) => {
      if (row && loaded(row, 'name')) agency.prime(row.id, row);
    };
    const member = one<Member>(
      (ids) => this.members.findByIds(ids),
      (row) => knownAgency(row.agency),
    );
    const knownMember = (row: Member | null | undefined) => {
      if (!row || !loaded(row, 'displayName')) return;
      member.prime(row.id, row);
      knownAgency(row.agency);
    };
    const knownActionItem = (row: ActionItem) => {
      knownMember(row.assigneeMember);
      knownAgency(row.assigneeAgency);
      knownMember(row.createdBy);
    };
    // Plain rows (not entities): prime with every joined member and agency.
    const knownLists = (lists: Partial<MeetingLists>) => {
      lists.agenda?.forEach((a) => knownMember(a.presenter));
      lists.attendance?.forEach((a) => (knownMember(a.member), knownMember(a.markedBy)));
      lists.decisions?.forEach((d) => knownMember(d.recordedBy));
      lists.actionItems?.forEach(knownActionItem);
    };
    // Keyed `list|meetingId`: whatever lists a wave asks for, of whichever meetings, is one statement.
    const meetingLists = new KnownLoader<object[]>(async (keys) => {
      // Each list asked for is read for all the wave's meetings (all let through): still one statement.
      // Sorted: the lists asked for, in any order, are one statement text (readJsonParts caches texts).
      const parts = meetingListsFor(keys.map((key) => key.split('|')[0]));
      const ids = [...new Set(keys.map((key) => key.split('|')[1]))];
      const lists = (await waves.track(readJsonParts(this.em, ids, parts))) as Partial<MeetingLists>;
      knownLists(lists);
      const byMeeting = new Map<string, object[]>(keys.map((key) => [key, []]));
      for (const [list, rows] of Object.entries(lists) as [MeetingList, { meeting: { id: string } }[]][])
        for (const row of rows) byMeeting.get(`${list}|${row.meeting.id}`)?.push(row);
      return keys.map((key) => byMeeting.get(key) ?? []);
    }, waves.schedule);
    const listOf = <L extends MeetingList>(list: L) => ({
      get: (meetingId: string) => meetingLists.get(`${list}|${meetingId}`) as Maybe<MeetingLists[L]>,
    });

    // What referrals share, asked once per summary and request: readableSections and the section texts
    // both need it, in the same wave (their two batches start together, so the first one's ask is seen).
    const sharedAsked = new Map<string, Promise<SharedSections | undefined>>();
    const sharedOf = (summaries: readonly CaseSummary[]): Promise<Map<string, SharedSections>> => {
      const missing = [...new Map(summaries.filter((s) => !sharedAsked.has(s.id)).map((s) => [s.id, s])).values()];
      if (missing.length) {
        const asked = this.caseSummaries.sharedSections(actorOf(req), missing);
        for (const summary of missing)
          sharedAsked.set(
            summary.id,
            asked.then((shared) => shared.get(summary.id)),
          );
      }
      return Promise.all(summaries.map(async (s) => [s.id, await sharedAsked.get(s.id)] as const)).then(
        (pairs) => new Map(pairs.filter((pair): pair is [string, SharedSections] => pair[1] !== undefined)),
      );
    };

    return {
      /** What referrals share of a summary, as a checked read brought it in (getWithShared): asked no more. */
      knownShared(summary: CaseSummary, shared: SharedSections | undefined) {
        if (!sharedAsked.has(summary.id)) sharedAsked.set(summary.id, Promise.resolve(shared));
      },
      /** For a member a checked read joined in: a later `member` load of it costs no statement. */
      knownMember,
      member,
      agency,
      taskForce,
      caseSummary: one<CaseSummary>((ids) => this.caseSummaryRows.findByIds(ids)),
      revisionsBySummary: many<CaseSummaryRevision>(
        (ids) => this.caseSummaryRows.revisionsBySummaryIds(ids),
        (r) => r.caseSummary.id,
        (r) => knownMember(r.author),
      ),
      meeting: one<Meeting>((ids) => this.meetings.findByIds(ids)),
      decision: one<Decision>(
        (ids) => this.meetings.decisionsByIds(ids),
        (d) => knownMember(d.recordedBy),
      ),
      membershipsByTaskForce: many<Membership>(
        (ids) => this.memberships.findByTaskForceIds(ids),
        (m) => m.taskForce.id,
        (m) => knownMember(m.member),
      ),
      membershipsByMember: many<Membership>(
        (ids) => this.memberships.findByMemberIds(ids),
        (m) => m.member.id,
        (m) => {
          if (wrap(m.taskForce).isInitialized()) taskForce.prime(m.taskForce.id, m.taskForce);
        },
      ),
      /** Lists a read of one meeting brought in with it (meetingListsFor): their fields cost no statement. */
      knownMeetingLists(meetingId: string, lists: Record<string, object[]>) {
        knownLists(lists as Partial<MeetingLists>);
        for (const [list, rows] of Object.entries(lists)) meetingLists.prime(`${list}|${meetingId}`, rows);
      },
      agendaByMeeting: listOf('agenda'),
      attendanceByMeeting: listOf('attendance'),
      notesByAgendaItem: many<MinuteNote>(
        (ids) => this.meetings.notesByAgendaItemIds(ids),
        (n) => n.agendaItem.id,
        (n) => knownMember(n.author),
      ),
      revisionsByNote: many<MinuteNoteRevision>(
        (ids) => this.meetings.revisionsByNoteIds(ids),
        (r) => r.note.id,
      ),
      series: one<MeetingSeries>((ids) => this.meetings.seriesByIds(ids)),
      decisionsByMeeting: listOf('decisions'),
      actionItemsByMeeting: listOf('actionItems'),
      actionItemsByDecision: many<ActionItem>(
        (ids) => this.actionItems.byDecisionIds(ids),
        (i) => i.decision!.id,
        knownActionItem,
      ),
      commentsByActionItem: many<ActionItemComment>(
        (ids) => this.actionItems.commentsByItemIds(ids),
        (c) => c.actionItem.id,
        (c) => knownMember(c.author),
      ),
      historyByActionItem: many<ActionItemChange>(
        (ids) => this.actionItems.historyByItemIds(ids),
        (c) => c.actionItem.id,
        (c) => knownMember(c.actor),
      ),
      /** Hearings in the 14 days from a meeting's start, for its agenda (checked by the service). */
      hearingsNear: new DataLoader<{ taskForceId: string; from: Date }, HearingWithItems[], string>(
        (keys) => waves.track(this.hearings.near(actorOf(req), keys)),
        { cacheKeyFn: (k) => `${k.taskForceId}|${k.from.toISOString()}`, batchScheduleFn: waves.schedule },
      ),
      /** What standing referrals share with the reader's agency, per case summary (issue 18). */
      sharedSections: new DataLoader<CaseSummary, SharedSections | undefined, string>(
        async (summaries) => {
          const shared = await waves.track(sharedOf(summaries));
          return summaries.map((summary) => shared.get(summary.id));
        },
        { cacheKeyFn: (summary) => summary.id, batchScheduleFn: waves.schedule },
      ),
      sectionText: new DataLoader<SectionReadKey, string | null, string>(
        (reads) => waves.track(this.caseSummaries.readSections(actorOf(req), [...reads], sharedOf)),
        {
          cacheKeyFn: (r) => `${r.summary.id}|${r.section}|${r.via}|${r.version ?? ''}`,
          batchScheduleFn: waves.schedule,
        },
      ),
    };
  }
}
