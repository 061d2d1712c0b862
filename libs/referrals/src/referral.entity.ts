import { Entity, Enum, Index, ManyToOne, Opt, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { CaseSection } from '@hub/access';
import { CaseSummary } from '@hub/case-summaries';
import { Agency, Member } from '@hub/identity';
import { TaskForce } from '@hub/task-forces';
import { randomUUID } from 'node:crypto';

/** What a victim is referred for (the national referral mechanism's services). */
export enum ReferralPurpose {
  ASSISTANCE = 'ASSISTANCE',
  SHELTER = 'SHELTER',
  LEGAL_AID = 'LEGAL_AID',
  HEALTH = 'HEALTH',
  INTERPRETATION = 'INTERPRETATION',
  REPATRIATION = 'REPATRIATION',
  COMPENSATION = 'COMPENSATION',
}

export enum ReferralStatus {
  REQUESTED = 'REQUESTED',
  ACCEPTED = 'ACCEPTED',
  DECLINED = 'DECLINED',
  IN_SERVICE = 'IN_SERVICE',
  COMPLETED = 'COMPLETED',
  WITHDRAWN = 'WITHDRAWN',
  /** The consent it depended on was withdrawn: ended by the hub, in the same transaction. */
  CONSENT_WITHDRAWN = 'CONSENT_WITHDRAWN',
}

/** What a person must be told before consenting (the international case data standard's list). */
export enum ConsentPoint {
  PURPOSE = 'PURPOSE',
  DATA_USE = 'DATA_USE',
  RETENTION = 'RETENTION',
  ACCESS_RIGHT = 'ACCESS_RIGHT',
  WITHDRAWAL = 'WITHDRAWAL',
}

/**
 * Informed consent to share a case with other agencies, kept by the agency that recorded it (never
 * by a receiver). No identity data: it belongs to the case by its summary. Only given consents are
 * stored; a refusal leaves an anonymous count (`ConsentRefusalTally`).
 */
@Entity({ tableName: 'referral_consent' })
@Index({ properties: ['caseSummary', 'agency'] })
export class ReferralConsent {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => TaskForce })
  taskForce!: TaskForce;

  @ManyToOne({ entity: () => CaseSummary })
  caseSummary!: CaseSummary;

  /** The referring agency that keeps it. */
  @ManyToOne({ entity: () => Agency })
  agency!: Agency;

  @ManyToOne({ entity: () => Member })
  recordedBy!: Member;

  @Property({ type: 'json' })
  purposes!: ReferralPurpose[];

  /** Agency ids it covers. */
  @Property({ type: 'json' })
  receivers!: string[];

  @Property({ type: 'json' })
  sections!: CaseSection[];

  /** The language it was explained in (a language name or code, screened). */
  @Property({ type: 'string', length: 60 })
  language!: string;

  @Property({ type: 'boolean' })
  interpreterUsed!: boolean;

  /** Every point of the standard list, explained and read back (checked complete before it is stored). */
  @Property({ type: 'json' })
  explainedPoints!: ConsentPoint[];

  @Property({ type: 'boolean' })
  readBack!: boolean;

  @Property({ type: 'boolean' })
  minor: Opt<boolean> = false;

  /** For a minor: the legal basis for sharing, and the role of who consented (guardian, representative). */
  @Property({ type: 'string', length: 300, nullable: true })
  legalBasis?: string | null;

  @Property({ type: 'string', length: 120, nullable: true })
  guardianRole?: string | null;

  @Property({ type: 'datetime' })
  givenAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', nullable: true })
  withdrawnAt?: Date | null;

  @ManyToOne({ entity: () => Member, nullable: true })
  withdrawnBy?: Member | null;
}

/** Refused consents, counted per task force and month: nothing about the case or the person. */
@Entity({ tableName: 'consent_refusal_tally' })
@Unique({ properties: ['taskForce', 'month'] })
export class ConsentRefusalTally {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => TaskForce })
  taskForce!: TaskForce;

  /** YYYY-MM in Europe/Bucharest. */
  @Property({ type: 'string', length: 7 })
  month!: string;

  @Property({ type: 'integer' })
  refused: Opt<number> = 0;
}

/** A referral of a case, inside a task force, from one agency to another. */
@Entity({ tableName: 'referral' })
@Index({ properties: ['taskForce', 'status'] })
@Index({ properties: ['toAgency', 'caseSummary', 'status'] })
export class Referral {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => TaskForce })
  taskForce!: TaskForce;

  @ManyToOne({ entity: () => CaseSummary })
  caseSummary!: CaseSummary;

  @ManyToOne({ entity: () => Agency })
  fromAgency!: Agency;

  @ManyToOne({ entity: () => Agency })
  toAgency!: Agency;

  @Enum({ items: () => ReferralPurpose, type: 'string', length: 16 })
  purpose!: ReferralPurpose;

  /** The sections the receiving agency may read while the referral stands. */
  @Property({ type: 'json' })
  sections!: CaseSection[];

  @Property({ type: 'boolean' })
  urgent: Opt<boolean> = false;

  @Property({ type: 'datetime' })
  respondBy!: Date;

  @Enum({ items: () => ReferralStatus, type: 'string', length: 20 })
  status: Opt<ReferralStatus> = ReferralStatus.REQUESTED;

  /** The consent that covers it; null only when a coordinator overrode the gate. */
  @ManyToOne({ entity: () => ReferralConsent, nullable: true, index: true })
  consent?: ReferralConsent | null;

  @Property({ type: 'string', length: 500, nullable: true })
  overrideReason?: string | null;

  @Property({ type: 'string', length: 500, nullable: true })
  declineReason?: string | null;

  @ManyToOne({ entity: () => Member })
  requestedBy!: Member;

  @Property({ type: 'datetime' })
  requestedAt: Opt<Date> = new Date();

  /** When the receiver answered (accepted or declined): "answered in time" compares it with respondBy. */
  @Property({ type: 'datetime', nullable: true })
  answeredAt?: Date | null;

  @Property({ type: 'datetime' })
  updatedAt: Opt<Date> = new Date();

  @Property({ type: 'integer', version: true })
  version: Opt<number> = 1;
}

/** Statuses in which the receiving agency reads the referral's sections. */
export const STANDING_STATUSES: readonly ReferralStatus[] = [ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE];
