import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor, assertCan, can, refuseAggregatesOnly } from '@hub/access';
import { CaseSummariesRepository } from '@hub/case-summaries';
import {
  assertPageSize,
  badInput,
  insertRow,
  type JsonPart,
  keysetCursor,
  notFound,
  readJsonRow,
  readJsonRowWithParts,
  screenFields,
} from '@hub/core';
import {
  type EventQueue,
  findLocked,
  type HubEventMap,
  type HubEventType,
  lockReference,
  lockRow,
  WriteTransaction,
} from '@hub/events';
import { assertMemberOfTaskForce, Member } from '@hub/identity';
import { TaskForce } from '@hub/task-forces';
import {
  AgendaItem,
  AgendaTemplate,
  Attendance,
  AttendanceMode,
  Decision,
  Meeting,
  MeetingSeries,
  MeetingStatus,
  MinuteNote,
  MinuteNoteRevision,
} from './meeting.entity';
import {
  agendaItemIsCurrent,
  notNoteAuthor,
  agendaItemOnRecord,
  alreadyCheckedIn,
  noNextAgendaItem,
  notCheckedIn,
  notOnAgenda,
  wrongMeetingState,
} from './meetings.errors';
import { attendeeFor } from './meetings.policy';
import {
  calendarDateIn,
  localInstant,
  nextSeriesDay,
  ruleProblem,
  SeriesCadence,
  type SeriesRule,
} from './series-rule';

export interface AgendaItemInput {
  title: string;
  presenterId?: string | null;
  caseSummaryId?: string | null;
  timeBoxMinutes?: number | null;
}

export interface MeetingDetails {
  title?: string;
  startsAt?: Date;
  endsAt?: Date;
  place?: string | null;
  callLink?: string | null;
}

export interface NewMeeting extends MeetingDetails {
  taskForceId: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  agenda?: AgendaItemInput[];
  /** Start from this template's agenda; items in `agenda` follow it. */
  templateId?: string | null;
}

export interface NewSeries extends SeriesRule {
  taskForceId: string;
  title: string;
  durationMinutes: number;
  place?: string | null;
  callLink?: string | null;
  templateId?: string | null;
}

export interface NewDecision {
  meetingId: string;
  agendaItemId: string;
  text: string;
  caseSummaryId?: string | null;
  reviewOn?: string | null;
}

export interface MeetingFilter {
  from?: Date;
  to?: Date;
  status?: MeetingStatus;
}

export interface MeetingPage {
  meetings: Meeting[];
  hasNextPage: boolean;
}

/** Cursors are opaque to clients: start time and id, the list's order. */
const MEETING_CURSOR = keysetCursor('meeting', ['instant', 'uuid']);
export const meetingCursor = (m: Meeting) => MEETING_CURSOR.encode([m.startsAt, m.id]);

@Injectable()
export class MeetingsService {
  constructor(
    private readonly em: EntityManager,
    private readonly caseSummaries: CaseSummariesRepository,
    private readonly writes: WriteTransaction,
  ) {}

  async schedule(actor: Actor, input: NewMeeting): Promise<Meeting> {
    assertCan(actor, 'meeting.manage', input.taskForceId);
    this.checkDetails(input, input);
    return this.writes.run(async (em, events) => {
      const template = input.templateId
        ? await this.templateIn(em, input.taskForceId, input.templateId, 'templateId')
        : null;
      return this.createMeeting(em, events, actor, input, template, null);
    });
  }

  /** Sets up a series and schedules its first meeting, on the rule's first day. */
  async createSeries(actor: Actor, input: NewSeries): Promise<{ series: MeetingSeries; meeting: Meeting }> {
    assertCan(actor, 'meeting.manage', input.taskForceId);
    const problem = ruleProblem(input);
    if (problem) throw badInput(problem[0], problem[1]);
    if (!Number.isInteger(input.durationMinutes) || input.durationMinutes < 15 || input.durationMinutes > 12 * 60)
      throw badInput('durationMinutes', 'durationMinutes must be between 15 and 720.');
    screenFields({ title: input.title, place: input.place, callLink: input.callLink });
    return this.writes.run(async (em, events) => {
      const template = input.templateId
        ? await this.templateIn(em, input.taskForceId, input.templateId, 'templateId')
        : null;
      const series = em.create(MeetingSeries, {
        taskForce: em.getReference(TaskForce, input.taskForceId),
        title: input.title.trim(),
        cadence: input.cadence,
        weekday: input.weekday,
        interval: input.interval,
        weekOfMonth: input.cadence === SeriesCadence.MONTHLY ? (input.weekOfMonth ?? null) : null,
        startTime: input.startTime,
        durationMinutes: input.durationMinutes,
        startsOn: input.startsOn,
        place: input.place ?? null,
        callLink: input.callLink ?? null,
        template,
        createdBy: em.getReference(Member, actor.memberId),
      });
      events.record({
        type: 'meeting.seriesCreated',
        taskForceId: input.taskForceId,
        actorId: actor.memberId,
        data: { seriesId: series.id, title: series.title, cadence: series.cadence },
      });
      const meeting = await this.createMeeting(em, events, actor, this.occurrence(series, null), template, series);
      return { series, meeting };
    });
  }

  /** Schedules the series' next meeting: the first day of the rule after its latest meeting. */
  async scheduleNextInSeries(actor: Actor, seriesId: string): Promise<Meeting> {
    return this.writes.run(async (em, events) => {
      // Locked, so two coordinators asking at once get two consecutive meetings, not the same day twice.
      const series = await findLocked(em, MeetingSeries, seriesId, 'write');
      if (!series || !can(actor, 'meeting.read', series.taskForce.id)) {
        // The national programme role reads aggregates only: FORBIDDEN, as on every case-level lookup.
        refuseAggregatesOnly(actor, series?.taskForce.id);
        throw notFound('The meeting series');
      }
      assertCan(actor, 'meeting.manage', series.taskForce.id);
      const [latest] = await em.find(Meeting, { series }, { orderBy: { startsAt: 'desc' }, limit: 1 });
      const template = series.template ? await em.findOne(AgendaTemplate, { id: series.template.id }) : null;
      return this.createMeeting(em, events, actor, this.occurrence(series, latest ?? null), template, series);
    });
  }

  /** Saves the meeting's agenda (titles and time boxes) as a named template of its task force. */
  async saveTemplate(actor: Actor, meetingId: string, name: string): Promise<AgendaTemplate> {
    screenFields({ name });
    if (!name.trim()) throw badInput('name', 'Give the template a name.');
    if (name.length > 200) throw badInput('name', 'name must be at most 200 characters.');
    return this.writes.run(async (em, events) => {
      const meeting = await this.loadVisible(em, actor, meetingId);
      assertCan(actor, 'meeting.manage', meeting.taskForce.id);
      const agenda = await this.agendaOf(em, meeting);
      if (agenda.length === 0)
        throw badInput('meetingId', 'The agenda is empty: add items before saving it as a template.');
      const template = em.create(AgendaTemplate, {
        taskForce: meeting.taskForce,
        name: name.trim(),
        items: agenda.map((item) => ({ title: item.title, timeBoxMinutes: item.timeBoxMinutes ?? null })),
        createdBy: em.getReference(Member, actor.memberId),
      });
      events.record({
        type: 'meeting.templateSaved',
        taskForceId: meeting.taskForce.id,
        actorId: actor.memberId,
        data: { templateId: template.id, name: template.name, itemCount: template.items.length },
      });
      return template;
    });
  }

  async templates(actor: Actor, taskForceId: string): Promise<AgendaTemplate[]> {
    assertCan(actor, 'meeting.read', taskForceId);
    return this.em.find(AgendaTemplate, { taskForce: taskForceId }, { orderBy: { name: 'asc', id: 'asc' } });
  }

  async seriesOf(actor: Actor, taskForceId: string): Promise<MeetingSeries[]> {
    assertCan(actor, 'meeting.read', taskForceId);
    return this.em.find(MeetingSeries, { taskForce: taskForceId }, { orderBy: { title: 'asc', id: 'asc' } });
  }

  /** The meetings of a series before `meeting`, latest first (the follow-up section reads them). */
  async earlierInSeries(actor: Actor, meetingId: string): Promise<{ meeting: Meeting; earlier: Meeting[] }> {
    const meeting = await this.get(actor, meetingId);
    if (!meeting.series) return { meeting, earlier: [] };
    const earlier = await this.em.find(
      Meeting,
      { series: meeting.series.id, startsAt: { $lt: meeting.startsAt } },
      { orderBy: { startsAt: 'desc' }, disableIdentityMap: true },
    );
    return { meeting, earlier };
  }

  private occurrence(series: MeetingSeries, latest: Meeting | null): NewMeeting {
    const day = nextSeriesDay(series, latest ? calendarDateIn(latest.startsAt) : null);
    const startsAt = localInstant(day, series.startTime);
    return {
      taskForceId: series.taskForce.id,
      title: series.title,
      startsAt,
      endsAt: new Date(startsAt.getTime() + series.durationMinutes * 60_000),
      place: series.place ?? null,
      callLink: series.callLink ?? null,
    };
  }

  private async templateIn(em: EntityManager, taskForceId: string, id: string, field: string): Promise<AgendaTemplate> {
    const template = await em.findOne(AgendaTemplate, { id, taskForce: taskForceId });
    if (!template) throw badInput(field, 'No agenda template with this id exists in this task force.');
    return template;
  }

  private async createMeeting(
    em: EntityManager,
    events: EventQueue,
    actor: Actor,
    input: NewMeeting,
    template: AgendaTemplate | null,
    series: MeetingSeries | null,
  ): Promise<Meeting> {
    this.checkDetails(input, input);
    const meeting = em.create(Meeting, {
      taskForce: em.getReference(TaskForce, input.taskForceId),
      title: input.title.trim(),
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      place: input.place ?? null,
      callLink: input.callLink ?? null,
      series,
      createdBy: em.getReference(Member, actor.memberId),
    });
    const fromTemplate: AgendaItemInput[] = (template?.items ?? []).map((item) => ({ ...item }));
    for (const [index, item] of [...fromTemplate, ...(input.agenda ?? [])].entries()) {
      const own = index - fromTemplate.length;
      await this.createAgendaItem(em, meeting, item, index, own < 0 ? 'templateId' : `agenda.${own}`);
    }
    this.publish(events, actor, meeting, 'meeting.scheduled', {
      meetingId: meeting.id,
      title: meeting.title,
      startsAt: meeting.startsAt.toISOString(),
      endsAt: meeting.endsAt.toISOString(),
    });
    return meeting;
  }

  async edit(actor: Actor, meetingId: string, changes: MeetingDetails): Promise<Meeting> {
    return this.writes.run(async (em, events) => {
      const meeting = await this.loadForManage(em, actor, meetingId);
      this.assertState(meeting, [MeetingStatus.SCHEDULED, MeetingStatus.LIVE], 'edit it');
      this.checkDetails(changes, {
        startsAt: changes.startsAt ?? meeting.startsAt,
        endsAt: changes.endsAt ?? meeting.endsAt,
      });
      if (changes.title !== undefined) meeting.title = changes.title.trim();
      if (changes.startsAt !== undefined) meeting.startsAt = changes.startsAt;
      if (changes.endsAt !== undefined) meeting.endsAt = changes.endsAt;
      if (changes.place !== undefined) meeting.place = changes.place;
      if (changes.callLink !== undefined) meeting.callLink = changes.callLink;
      this.publish(events, actor, meeting, 'meeting.updated', {
        meetingId: meeting.id,
        title: meeting.title,
        startsAt: meeting.startsAt.toISOString(),
        endsAt: meeting.endsAt.toISOString(),
        place: meeting.place ?? null,
        callLink: meeting.callLink ?? null,
      });
      return meeting;
    });
  }

  async cancel(actor: Actor, meetingId: string, reason?: string | null): Promise<Meeting> {
    screenFields({ reason });
    return this.writes.run(async (em, events) => {
      const meeting = await this.loadForManage(em, actor, meetingId);
      this.assertState(meeting, [MeetingStatus.SCHEDULED], 'cancel it');
      meeting.status = MeetingStatus.CANCELLED;
      meeting.cancelledAt = new Date();
      meeting.cancelReason = reason ?? null;
      this.publish(events, actor, meeting, 'meeting.cancelled', {
        meetingId: meeting.id,
        reason: meeting.cancelReason ?? null,
      });
      return meeting;
    });
  }

  async addAgendaItem(
    actor: Actor,
    meetingId: string,
    item: AgendaItemInput,
    position?: number | null,
  ): Promise<AgendaItem> {
    return this.writes.run(async (em, events) => {
      const meeting = await this.loadForManage(em, actor, meetingId);
      this.assertState(meeting, [MeetingStatus.SCHEDULED, MeetingStatus.LIVE], 'change the agenda');
      const agenda = await this.agendaOf(em, meeting);
      const at = position === undefined || position === null ? agenda.length : position;
      if (!Number.isInteger(at) || at < 0 || at > agenda.length)
        throw badInput('position', `position must be between 0 and ${agenda.length}.`);
      agenda.slice(at).forEach((existing) => (existing.position += 1));
      const created = await this.createAgendaItem(em, meeting, item, at, 'item');
      await this.agendaChanged(em, events, actor, meeting);
      return created;
    });
  }

  async updateAgendaItem(actor: Actor, agendaItemId: string, changes: Partial<AgendaItemInput>): Promise<AgendaItem> {
    return this.writes.run(async (em, events) => {
      const item = await this.loadAgendaItemForManage(em, actor, agendaItemId);
      await this.applyAgendaFields(em, item.meeting, item, changes, 'item');
      await this.agendaChanged(em, events, actor, item.meeting);
      return item;
    });
  }

  /** Removes an item that has no minutes or decisions yet; later items move up. */
  async removeAgendaItem(actor: Actor, agendaItemId: string): Promise<AgendaItem> {
    return this.writes.run(async (em, events) => {
      const item = await this.loadAgendaItemForManage(em, actor, agendaItemId, 'delete');
      if (item.meeting.currentAgendaItemId === item.id) throw agendaItemIsCurrent();
      if ((await em.count(MinuteNote, { agendaItem: item })) || (await em.count(Decision, { agendaItem: item }))) {
        throw agendaItemOnRecord();
      }
      const agenda = await this.agendaOf(em, item.meeting);
      agenda.filter((other) => other.position > item.position).forEach((other) => (other.position -= 1));
      em.remove(item);
      await this.agendaChanged(em, events, actor, item.meeting);
      return item;
    });
  }

  /** Puts the agenda in the given order; the list must name every item exactly once. */
  async reorderAgenda(actor: Actor, meetingId: string, orderedIds: string[]): Promise<AgendaItem[]> {
    return this.writes.run(async (em, events) => {
      const meeting = await this.loadForManage(em, actor, meetingId);
      this.assertState(meeting, [MeetingStatus.SCHEDULED, MeetingStatus.LIVE], 'change the agenda');
      const agenda = await this.agendaOf(em, meeting);
      const byId = new Map(agenda.map((item) => [item.id, item]));
      if (
        orderedIds.length !== agenda.length ||
        new Set(orderedIds).size !== orderedIds.length ||
        orderedIds.some((id) => !byId.has(id))
      ) {
        throw badInput(
          'agendaItemIds',
          `agendaItemIds must list each of this meeting's ${agenda.length} agenda items exactly once.`,
        );
      }
      orderedIds.forEach((id, position) => (byId.get(id)!.position = position));
      await this.agendaChanged(em, events, actor, meeting);
      return orderedIds.map((id) => byId.get(id)!);
    });
  }

  async start(actor: Actor, meetingId: string): Promise<Meeting> {
    return this.writes.run(async (em, events) => {
      const meeting = await this.loadForManage(em, actor, meetingId);
      this.assertState(meeting, [MeetingStatus.SCHEDULED], 'start it');
      const [first] = await this.agendaOf(em, meeting);
      meeting.status = MeetingStatus.LIVE;
      meeting.startedAt = new Date();
      if (first) this.makeCurrent(meeting, first);
      this.publish(events, actor, meeting, 'meeting.started', {
        meetingId: meeting.id,
        currentAgendaItemId: meeting.currentAgendaItemId ?? null,
      });
      return meeting;
    });
  }

  /** Moves to the next agenda item, or to the one chosen. */
  async advance(actor: Actor, meetingId: string, agendaItemId?: string | null): Promise<Meeting> {
    return this.writes.run(async (em, events) => {
      const meeting = await this.loadForManage(em, actor, meetingId);
      this.assertState(meeting, [MeetingStatus.LIVE], 'move through the agenda');
      const agenda = await this.agendaOf(em, meeting);
      let target: AgendaItem | undefined;
      if (agendaItemId) {
        target = agenda.find((item) => item.id === agendaItemId);
        if (!target) throw notOnAgenda('agendaItemId');
      } else {
        const current = agenda.findIndex((item) => item.id === meeting.currentAgendaItemId);
        target = agenda[current + 1];
        if (!target) throw noNextAgendaItem(agenda.length === 0);
      }
      this.makeCurrent(meeting, target);
      this.publish(events, actor, meeting, 'meeting.agendaAdvanced', {
        meetingId: meeting.id,
        currentAgendaItemId: target.id,
      });
      return meeting;
    });
  }

  async end(actor: Actor, meetingId: string): Promise<Meeting> {
    return this.writes.run(async (em, events) => {
      const meeting = await this.loadForManage(em, actor, meetingId);
      this.assertState(meeting, [MeetingStatus.LIVE], 'end it');
      const now = new Date();
      meeting.status = MeetingStatus.ENDED;
      meeting.endedAt = now;
      meeting.currentAgendaItemId = null;
      // Whoever is still in the room leaves when the meeting ends.
      await em.nativeUpdate(Attendance, { meeting, leftAt: null }, { leftAt: now });
      this.publish(events, actor, meeting, 'meeting.ended', { meetingId: meeting.id });
      return meeting;
    });
  }

  /** A member checks in; a coordinator may record someone else's arrival. */
  async checkIn(actor: Actor, meetingId: string, mode: AttendanceMode, memberId?: string | null): Promise<Attendance> {
    return this.writes.run(async (em, events) => {
      const meeting = await this.loadVisible(em, actor, meetingId, true);
      const who = await this.attendee(em, actor, meeting, memberId);
      this.assertState(meeting, [MeetingStatus.SCHEDULED, MeetingStatus.LIVE], 'check in');
      if (await em.count(Attendance, { meeting, member: who, leftAt: null })) {
        throw alreadyCheckedIn();
      }
      const attendance = em.create(Attendance, {
        meeting,
        member: em.getReference(Member, who),
        mode,
        markedBy: em.getReference(Member, actor.memberId),
      });
      this.attendanceChanged(events, actor, meeting, attendance);
      return attendance;
    });
  }

  async checkOut(actor: Actor, meetingId: string, memberId?: string | null): Promise<Attendance> {
    return this.writes.run(async (em, events) => {
      const meeting = await this.loadVisible(em, actor, meetingId, true);
      const who = await this.attendee(em, actor, meeting, memberId);
      const open = await em.findOne(Attendance, { meeting, member: who, leftAt: null });
      if (!open) throw notCheckedIn();
      open.leftAt = new Date();
      this.attendanceChanged(events, actor, meeting, open);
      return open;
    });
  }

  async addNote(actor: Actor, meetingId: string, agendaItemId: string, text: string): Promise<MinuteNote> {
    screenFields({ text });
    return this.writes.run(async (em, events) => {
      // The commonest write of a live meeting only references its meeting: read as a plain row (see
      // readJsonRow), not hydrated into the identity map, which cost a note about 5 % of its CPU.
      const meeting = this.visible(actor, await readJsonRow(em, Meeting, meetingId));
      assertCan(actor, 'meeting.minutes', meeting.taskForce.id);
      this.assertState(meeting, [MeetingStatus.LIVE, MeetingStatus.ENDED], 'add minutes');
      // Against a removal of the item at the same moment: one of the two sees what the other did.
      if (!(await lockRow(em, AgendaItem, agendaItemId, 'reference', { meeting: meeting.id })))
        throw notOnAgenda('agendaItemId');
      // Written at once, not through the unit of work (insertRow): nothing of this write reads the note back,
      // and the entity, its three references and its change set cost a note more than its INSERT.
      const note = {
        id: randomUUID(),
        meeting: { id: meeting.id },
        agendaItem: { id: agendaItemId },
        author: { id: actor.memberId },
        text,
        createdAt: new Date(),
        correctedAt: null,
      } as MinuteNote;
      await insertRow(em, MinuteNote, { ...note });
      this.publish(events, actor, meeting, 'meeting.noteAdded', {
        meetingId: meeting.id,
        agendaItemId,
        noteId: note.id,
        authorId: actor.memberId,
        text,
      });
      return note;
    });
  }

  async recordDecision(
    actor: Actor,
    meetingId: string,
    agendaItemId: string,
    text: string,
    caseSummaryId?: string | null,
  ): Promise<Decision> {
    return this.writes.run((em, events) =>
      this.recordDecisionIn(em, events, actor, { meetingId, agendaItemId, text, caseSummaryId }, []),
    );
  }

  /**
   * Inside the caller's write: the follow-up service records a decision and links the action items
   * chosen with it in one transaction. `actionItemIds` only goes into the event; linking is the caller's.
   */
  async recordDecisionIn(
    em: EntityManager,
    events: EventQueue,
    actor: Actor,
    input: NewDecision,
    actionItemIds: string[],
  ): Promise<Decision> {
    screenFields({ text: input.text });
    if (input.reviewOn && !/^2\d{3}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(input.reviewOn))
      throw badInput('reviewOn', 'reviewOn must be a date written YYYY-MM-DD, such as 2026-12-15.');
    // No lock on the meeting: once live it only moves to ended, and both take decisions, so concurrent
    // decisions need not queue behind each other (nor behind agenda edits) for the whole transaction.
    const meeting = await this.loadVisible(em, actor, input.meetingId);
    assertCan(actor, 'meeting.manage', meeting.taskForce.id);
    this.assertState(meeting, [MeetingStatus.LIVE, MeetingStatus.ENDED], 'record decisions');
    const item = await lockReference(em, AgendaItem, input.agendaItemId, 'reference', { meeting: meeting.id });
    if (!item) throw notOnAgenda('agendaItemId');
    const caseSummary = input.caseSummaryId
      ? await this.caseSummaries.assertInTaskForce(em, meeting.taskForce.id, input.caseSummaryId, 'caseSummaryId')
      : null;
    const decision = em.create(Decision, {
      meeting,
      agendaItem: item,
      text: input.text,
      caseSummary,
      reviewOn: input.reviewOn ?? null,
      recordedBy: em.getReference(Member, actor.memberId),
    });
    this.publish(events, actor, meeting, 'meeting.decisionRecorded', {
      meetingId: meeting.id,
      agendaItemId: item.id,
      decisionId: decision.id,
      text: input.text,
      caseSummaryId: caseSummary?.id ?? null,
      reviewOn: decision.reviewOn ?? null,
      actionItemIds,
    });
    return decision;
  }

  /** The author corrects their note while the meeting runs; the text it replaces is kept as a revision. */
  async correctNote(actor: Actor, noteId: string, text: string): Promise<MinuteNote> {
    screenFields({ text });
    if (!text.trim()) throw badInput('text', 'The note cannot be empty.');
    return this.writes.run(async (em, events) => {
      const note = await findLocked(em, MinuteNote, noteId, 'write');
      if (!note) throw notFound('The note');
      const meeting = this.visible(actor, await em.findOne(Meeting, { id: note.meeting.id }));
      assertCan(actor, 'meeting.minutes', meeting.taskForce.id);
      if (note.author.id !== actor.memberId) throw notNoteAuthor();
      this.assertState(meeting, [MeetingStatus.LIVE], 'correct minutes');
      if (note.text === text) return note;
      em.create(MinuteNoteRevision, { note, text: note.text });
      note.text = text;
      note.correctedAt = new Date();
      this.publish(events, actor, meeting, 'meeting.noteCorrected', {
        meetingId: meeting.id,
        agendaItemId: note.agendaItem.id,
        noteId: note.id,
        authorId: actor.memberId,
        text,
      });
      return note;
    });
  }

  /** The task force of a meeting the actor may see; NOT_FOUND otherwise. */
  async taskForceOf(actor: Actor, meetingId: string): Promise<string> {
    return (await this.loadVisible(this.em.fork(), actor, meetingId)).taskForce.id;
  }

  /** Read-only: a plain row, never managed (nothing writes through it), so nothing is hydrated or tracked. */
  async get(actor: Actor, meetingId: string): Promise<Meeting> {
    return this.visible(actor, await readJsonRow(this.em, Meeting, meetingId));
  }

  /**
   * As get, with lists of rows that name the meeting (its agenda, attendance, ...) read in the same
   * statement: for a query that asks for them, which would otherwise pay a statement more. The caller
   * names the lists; they are handed out only for a meeting the actor may see.
   */
  async getWith<K extends string>(
    actor: Actor,
    meetingId: string,
    parts: Record<K, JsonPart>,
  ): Promise<{ meeting: Meeting; lists: Record<K, object[]> }> {
    const read = await readJsonRowWithParts(this.em, Meeting, meetingId, parts);
    return { meeting: this.visible(actor, read.row), lists: read.parts };
  }

  /** A task force's meetings by start time, then id: a stable order for cursors. */
  async list(
    actor: Actor,
    taskForceId: string,
    filter: MeetingFilter,
    first: number,
    after?: string | null,
  ): Promise<MeetingPage> {
    assertCan(actor, 'meeting.read', taskForceId);
    assertPageSize(first);
    const conditions: object[] = [{ taskForce: taskForceId }];
    if (filter.status) conditions.push({ status: filter.status });
    if (filter.from) conditions.push({ startsAt: { $gte: filter.from } });
    if (filter.to) conditions.push({ startsAt: { $lte: filter.to } });
    if (after) {
      const [startsAt, id] = MEETING_CURSOR.decode(after);
      conditions.push({ $or: [{ startsAt: { $gt: startsAt } }, { startsAt, id: { $gt: id } }] });
    }
    const rows = await this.em.find(
      Meeting,
      { $and: conditions },
      { orderBy: [{ startsAt: 'asc' }, { id: 'asc' }], limit: first + 1 },
    );
    return { meetings: rows.slice(0, first), hasNextPage: rows.length > first };
  }

  /**
   * The meeting is locked first, then the item read as committed now: an edit never works on an item a
   * concurrent removal has just deleted, nor on values a concurrent edit has just changed.
   */
  private async loadAgendaItemForManage(
    em: EntityManager,
    actor: Actor,
    agendaItemId: string,
    lock: 'write' | 'delete' = 'write',
  ): Promise<AgendaItem> {
    const found = await em.findOne(AgendaItem, { id: agendaItemId });
    if (!found) throw notFound('The agenda item');
    const meeting = await findLocked(em, Meeting, found.meeting.id, 'write');
    if (!meeting || !can(actor, 'meeting.read', meeting.taskForce.id)) {
      refuseAggregatesOnly(actor, meeting?.taskForce.id);
      throw notFound('The agenda item');
    }
    assertCan(actor, 'meeting.manage', meeting.taskForce.id);
    this.assertState(meeting, [MeetingStatus.SCHEDULED, MeetingStatus.LIVE], 'change the agenda');
    const item = await findLocked(em, AgendaItem, agendaItemId, lock);
    if (!item) throw notFound('The agenda item');
    return item;
  }

  private publish<T extends HubEventType>(
    events: EventQueue,
    actor: Actor,
    meeting: Meeting,
    type: T,
    data: HubEventMap[T],
  ): void {
    events.record({ type, taskForceId: meeting.taskForce.id, actorId: actor.memberId, data, meetingId: meeting.id });
  }

  private async agendaChanged(em: EntityManager, events: EventQueue, actor: Actor, meeting: Meeting): Promise<void> {
    const agenda = (await this.agendaOf(em, meeting)).map((item) => ({
      id: item.id,
      position: item.position,
      title: item.title,
      presenterId: item.presenter?.id ?? null,
      caseSummaryId: item.caseSummary?.id ?? null,
      timeBoxMinutes: item.timeBoxMinutes ?? null,
    }));
    this.publish(events, actor, meeting, 'meeting.agendaChanged', { meetingId: meeting.id, agenda });
  }

  private attendanceChanged(events: EventQueue, actor: Actor, meeting: Meeting, attendance: Attendance): void {
    this.publish(events, actor, meeting, 'meeting.attendanceChanged', {
      meetingId: meeting.id,
      attendanceId: attendance.id,
      memberId: attendance.member.id,
      mode: attendance.mode,
      arrivedAt: attendance.arrivedAt.toISOString(),
      leftAt: attendance.leftAt?.toISOString() ?? null,
    });
  }

  private makeCurrent(meeting: Meeting, item: AgendaItem): void {
    meeting.currentAgendaItemId = item.id;
    item.startedAt = new Date();
  }

  private async attendee(em: EntityManager, actor: Actor, meeting: Meeting, memberId?: string | null): Promise<string> {
    const who = attendeeFor(actor, meeting.taskForce.id, memberId);
    if (who.onBehalf) await assertMemberOfTaskForce(em, meeting.taskForce.id, who.memberId, 'memberId');
    return who.memberId;
  }

  private agendaOf(em: EntityManager, meeting: Meeting): Promise<AgendaItem[]> {
    return em.find(AgendaItem, { meeting }, { orderBy: { position: 'asc' } });
  }

  private async createAgendaItem(
    em: EntityManager,
    meeting: Meeting,
    input: AgendaItemInput,
    position: number,
    field: string,
  ): Promise<AgendaItem> {
    const item = em.create(AgendaItem, { meeting, position, title: '' });
    await this.applyAgendaFields(em, meeting, item, input, field);
    return item;
  }

  private async applyAgendaFields(
    em: EntityManager,
    meeting: Meeting,
    item: AgendaItem,
    input: Partial<AgendaItemInput>,
    field: string,
  ): Promise<void> {
    screenFields({ [`${field}.title`]: input.title });
    if (input.title !== undefined) item.title = input.title.trim();
    if (input.timeBoxMinutes !== undefined) item.timeBoxMinutes = input.timeBoxMinutes;
    if (input.presenterId !== undefined) {
      item.presenter = input.presenterId
        ? (await assertMemberOfTaskForce(em, meeting.taskForce.id, input.presenterId, `${field}.presenterId`)).member
        : null;
    }
    if (input.caseSummaryId !== undefined) {
      item.caseSummary = input.caseSummaryId
        ? await this.caseSummaries.assertInTaskForce(
            em,
            meeting.taskForce.id,
            input.caseSummaryId,
            `${field}.caseSummaryId`,
          )
        : null;
    }
  }

  private checkDetails(details: MeetingDetails, when: { startsAt: Date; endsAt: Date }): void {
    for (const [field, at] of [
      ['startsAt', when.startsAt],
      ['endsAt', when.endsAt],
    ] as const) {
      // Also keeps dates PostgreSQL cannot store (before year 1, after 9999) from reaching it.
      if (at.getUTCFullYear() < 2000 || at.getUTCFullYear() > 2999)
        throw badInput(field, `${field} must be between the years 2000 and 2999.`);
    }
    if (when.endsAt <= when.startsAt) throw badInput('endsAt', 'endsAt must be after startsAt.');
    if (when.endsAt.getTime() - when.startsAt.getTime() > 24 * 3600_000)
      throw badInput('endsAt', 'A meeting lasts at most 24 hours.');
    screenFields({ title: details.title, place: details.place, callLink: details.callLink });
  }

  private assertState(meeting: Meeting, allowed: MeetingStatus[], action: string): void {
    if (!allowed.includes(meeting.status)) throw wrongMeetingState(meeting.status, action);
  }

  /**
   * `lock` holds the meeting's row for the rest of the transaction (see findLocked), so concurrent
   * check-ins or agenda edits of one meeting queue up instead of both reading the same state.
   */
  private async loadVisible(em: EntityManager, actor: Actor, meetingId: string, lock = false): Promise<Meeting> {
    return this.visible(
      actor,
      lock ? await findLocked(em, Meeting, meetingId, 'write') : await em.findOne(Meeting, { id: meetingId }),
    );
  }

  private visible(actor: Actor, meeting: Meeting | null): Meeting {
    if (!meeting || !can(actor, 'meeting.read', meeting.taskForce.id)) {
      refuseAggregatesOnly(actor, meeting?.taskForce.id);
      throw notFound('The meeting');
    }
    return meeting;
  }

  /** Every managing operation runs in a transaction and holds the meeting's lock. */
  private async loadForManage(em: EntityManager, actor: Actor, meetingId: string): Promise<Meeting> {
    const meeting = await this.loadVisible(em, actor, meetingId, true);
    assertCan(actor, 'meeting.manage', meeting.taskForce.id);
    return meeting;
  }
}
