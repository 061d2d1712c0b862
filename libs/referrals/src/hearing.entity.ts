import { Entity, Enum, Index, ManyToOne, Opt, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { CaseSummary } from '@hub/case-summaries';
import { Agency, Member } from '@hub/identity';
import { TaskForce } from '@hub/task-forces';
import { randomUUID } from 'node:crypto';

export enum HearingKind {
  VICTIM_HEARING = 'VICTIM_HEARING',
  TRIAL = 'TRIAL',
  PRONOUNCEMENT = 'PRONOUNCEMENT',
}

/** What must be in place for a victim to testify safely. */
export enum ReadinessItem {
  SUPPORT_WORKER = 'SUPPORT_WORKER',
  INTERPRETER = 'INTERPRETER',
  LEGAL_AID_LAWYER = 'LEGAL_AID_LAWYER',
  TESTIMONY_PROTECTION = 'TESTIMONY_PROTECTION',
  TRANSPORT = 'TRANSPORT',
  PUBLICATION_DATA_REQUEST = 'PUBLICATION_DATA_REQUEST',
}

export enum ReadinessState {
  OPEN = 'OPEN',
  DONE = 'DONE',
  NOT_NEEDED = 'NOT_NEEDED',
}

/** A court hearing of a case. No victim data: the case by its summary, the court, the time, the kind. */
@Entity({ tableName: 'hearing' })
@Index({ properties: ['taskForce', 'startsAt'] })
export class Hearing {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => TaskForce })
  taskForce!: TaskForce;

  @ManyToOne({ entity: () => CaseSummary })
  caseSummary!: CaseSummary;

  @Property({ type: 'string', length: 200 })
  court!: string;

  @Property({ type: 'datetime' })
  startsAt!: Date;

  @Enum({ items: () => HearingKind, type: 'string', length: 16 })
  kind!: HearingKind;

  @ManyToOne({ entity: () => Member })
  createdBy!: Member;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();
}

/** One item of a hearing's readiness checklist, owned by one agency. */
@Entity({ tableName: 'hearing_readiness_item' })
@Unique({ properties: ['hearing', 'item'] })
export class HearingReadinessItem {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Hearing })
  hearing!: Hearing;

  @Enum({ items: () => ReadinessItem, type: 'string', length: 24 })
  item!: ReadinessItem;

  @ManyToOne({ entity: () => Agency })
  ownerAgency!: Agency;

  @Enum({ items: () => ReadinessState, type: 'string', length: 12 })
  state: Opt<ReadinessState> = ReadinessState.OPEN;

  /** For the interpreter: the language booked (screened). */
  @Property({ type: 'string', length: 60, nullable: true })
  language?: string | null;

  @ManyToOne({ entity: () => Member, nullable: true })
  updatedBy?: Member | null;

  @Property({ type: 'datetime' })
  updatedAt: Opt<Date> = new Date();
}
