import { Entity, Enum, Index, ManyToOne, Opt, PrimaryKey, Property } from '@mikro-orm/core';
import { CaseSummary } from '@hub/case-summaries';
import { Member } from '@hub/identity';
import { TaskForce } from '@hub/task-forces';
import { randomUUID } from 'node:crypto';
import { SeriesCadence } from './series-rule';

export enum MeetingStatus {
  SCHEDULED = 'SCHEDULED',
  LIVE = 'LIVE',
  ENDED = 'ENDED',
  CANCELLED = 'CANCELLED',
}

export enum AttendanceMode {
  IN_PERSON = 'IN_PERSON',
  REMOTE = 'REMOTE',
}

/**
 * A task force's regular meeting ("every second Tuesday at 10:00"): the rule its meetings are
 * scheduled by, in Bucharest's local time. Each new meeting of it opens with what the previous one left open.
 */
@Entity({ tableName: 'meeting_series' })
export class MeetingSeries {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => TaskForce, index: true })
  taskForce!: TaskForce;

  @Property({ type: 'string', length: 200 })
  title!: string;

  @Enum({ items: () => SeriesCadence, type: 'string', length: 16 })
  cadence!: SeriesCadence;

  /** 1 = Monday … 7 = Sunday. */
  @Property({ type: 'integer' })
  weekday!: number;

  @Property({ type: 'integer' })
  interval!: number;

  @Property({ type: 'integer', nullable: true })
  weekOfMonth?: number | null;

  /** HH:MM, Bucharest. */
  @Property({ type: 'string', length: 5 })
  startTime!: string;

  @Property({ type: 'integer' })
  durationMinutes!: number;

  /** YYYY-MM-DD: the first day the series may fall on. */
  @Property({ type: 'string', length: 10 })
  startsOn!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  place?: string | null;

  @Property({ type: 'string', length: 500, nullable: true })
  callLink?: string | null;

  /** The agenda each new meeting starts with, when set. */
  @ManyToOne({ entity: () => AgendaTemplate, nullable: true })
  template?: AgendaTemplate | null;

  @ManyToOne({ entity: () => Member })
  createdBy!: Member;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();
}

/** One item of an agenda template: what a meeting started from it has on its agenda. */
export interface TemplateItem {
  title: string;
  timeBoxMinutes: number | null;
}

/** A named agenda a coordinator saved from a meeting, to start new meetings from. */
@Entity({ tableName: 'agenda_template' })
export class AgendaTemplate {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => TaskForce, index: true })
  taskForce!: TaskForce;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'json' })
  items!: TemplateItem[];

  @ManyToOne({ entity: () => Member })
  createdBy!: Member;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();
}

/** A coordination meeting of one task force: scheduled, run live, then kept as the record. */
@Entity({ tableName: 'meeting' })
@Index({ properties: ['taskForce', 'startsAt'] })
export class Meeting {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => TaskForce })
  taskForce!: TaskForce;

  @Property({ type: 'string', length: 200 })
  title!: string;

  @Property({ type: 'datetime' })
  startsAt!: Date;

  @Property({ type: 'datetime' })
  endsAt!: Date;

  @Property({ type: 'string', length: 200, nullable: true })
  place?: string | null;

  @Property({ type: 'string', length: 500, nullable: true })
  callLink?: string | null;

  @Enum({ items: () => MeetingStatus, type: 'string', length: 16 })
  status: Opt<MeetingStatus> = MeetingStatus.SCHEDULED;

  /** The agenda item under discussion while live. An id, not a relation: the agenda points back here. */
  @Property({ type: 'uuid', nullable: true })
  currentAgendaItemId?: string | null;

  @Property({ type: 'datetime', nullable: true })
  startedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  endedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  cancelledAt?: Date | null;

  @Property({ type: 'string', length: 500, nullable: true })
  cancelReason?: string | null;

  @ManyToOne({ entity: () => MeetingSeries, nullable: true, index: true })
  series?: MeetingSeries | null;

  @ManyToOne({ entity: () => Member })
  createdBy!: Member;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}

@Entity({ tableName: 'agenda_item' })
@Index({ properties: ['meeting', 'position'] })
export class AgendaItem {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Meeting })
  meeting!: Meeting;

  /** 0-based order within the meeting. */
  @Property({ type: 'integer' })
  position!: number;

  @Property({ type: 'string', length: 200 })
  title!: string;

  @ManyToOne({ entity: () => Member, nullable: true })
  presenter?: Member | null;

  @ManyToOne({ entity: () => CaseSummary, nullable: true })
  caseSummary?: CaseSummary | null;

  @Property({ type: 'integer', nullable: true })
  timeBoxMinutes?: number | null;

  /** When the item last became the current one. */
  @Property({ type: 'datetime', nullable: true })
  startedAt?: Date | null;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();
}

/** One presence: an arrival and, later, its departure. A member who leaves and returns has two. */
@Entity({ tableName: 'attendance' })
export class Attendance {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Meeting, index: true })
  meeting!: Meeting;

  @ManyToOne({ entity: () => Member, index: true })
  member!: Member;

  @Enum({ items: () => AttendanceMode, type: 'string', length: 16 })
  mode!: AttendanceMode;

  @Property({ type: 'datetime' })
  arrivedAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', nullable: true })
  leftAt?: Date | null;

  /** Who recorded it: the member themselves, or a coordinator. */
  @ManyToOne({ entity: () => Member })
  markedBy!: Member;
}

/** A note appended to the minutes of one agenda item. Its author may correct it while the meeting runs. */
@Entity({ tableName: 'minute_note' })
export class MinuteNote {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Meeting, index: true })
  meeting!: Meeting;

  @ManyToOne({ entity: () => AgendaItem, index: true })
  agendaItem!: AgendaItem;

  @ManyToOne({ entity: () => Member })
  author!: Member;

  @Property({ type: 'text' })
  text!: string;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', nullable: true })
  correctedAt?: Date | null;
}

/** The text a note had before a correction: the minutes keep every version. Never edited. */
@Entity({ tableName: 'minute_note_revision' })
export class MinuteNoteRevision {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => MinuteNote, index: true })
  note!: MinuteNote;

  @Property({ type: 'text' })
  text!: string;

  /** When this text was replaced. */
  @Property({ type: 'datetime' })
  replacedAt: Opt<Date> = new Date();
}

@Entity({ tableName: 'decision' })
export class Decision {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Meeting, index: true })
  meeting!: Meeting;

  @ManyToOne({ entity: () => AgendaItem, index: true })
  agendaItem!: AgendaItem;

  @Property({ type: 'text' })
  text!: string;

  @ManyToOne({ entity: () => CaseSummary, nullable: true })
  caseSummary?: CaseSummary | null;

  /** YYYY-MM-DD: from then on the decision comes back in its series' follow-up section. */
  @Property({ type: 'string', length: 10, nullable: true })
  reviewOn?: string | null;

  @ManyToOne({ entity: () => Member })
  recordedBy!: Member;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();
}
