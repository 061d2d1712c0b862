import { Entity, Enum, ManyToOne, Opt, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { CaseSection } from '@hub/access';
import { Member } from '@hub/identity';
import { TaskForce } from '@hub/task-forces';
import { randomUUID } from 'node:crypto';

export enum CaseStage {
  IDENTIFICATION = 'IDENTIFICATION',
  INVESTIGATION = 'INVESTIGATION',
  PROSECUTION = 'PROSECUTION',
  TRIAL = 'TRIAL',
  CLOSED = 'CLOSED',
}

export enum ExploitationForm {
  SEXUAL = 'SEXUAL',
  LABOUR = 'LABOUR',
  FORCED_BEGGING = 'FORCED_BEGGING',
  FORCED_CRIMINALITY = 'FORCED_CRIMINALITY',
  DOMESTIC_SERVITUDE = 'DOMESTIC_SERVITUDE',
  FORCED_MARRIAGE = 'FORCED_MARRIAGE',
  ORGAN_REMOVAL = 'ORGAN_REMOVAL',
  OTHER = 'OTHER',
}

export interface CaseCounts {
  victims: number;
  minors: number;
  victimsInProceedings: number;
  protectedWitnesses: number;
}

/** Which entity property holds each section's text. */
export const SECTION_PROPERTY = {
  [CaseSection.OVERVIEW]: 'overview',
  [CaseSection.INVESTIGATION]: 'investigation',
  [CaseSection.PROSECUTION]: 'prosecution',
  [CaseSection.VICTIM_SUPPORT]: 'victimSupport',
} as const satisfies Record<CaseSection, keyof CaseSummary>;

/**
 * A shared case summary. No victim identity: a pseudonymous case code and counts. Each section's
 * readers and writers are decided by the access policy; `version` detects concurrent edits.
 */
@Entity({ tableName: 'case_summary' })
@Unique({ properties: ['taskForce', 'caseCode'] })
export class CaseSummary {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => TaskForce })
  taskForce!: TaskForce;

  @Property({ type: 'string', length: 32 })
  caseCode!: string;

  @Enum({ items: () => CaseStage, type: 'string', length: 16 })
  stage!: CaseStage;

  @Property({ type: 'json' })
  exploitationForms: Opt<ExploitationForm[]> = [];

  @Property({ type: 'integer' })
  victims: Opt<number> = 0;

  @Property({ type: 'integer' })
  minors: Opt<number> = 0;

  @Property({ type: 'integer' })
  victimsInProceedings: Opt<number> = 0;

  @Property({ type: 'integer' })
  protectedWitnesses: Opt<number> = 0;

  @Property({ type: 'text' })
  overview: Opt<string> = '';

  @Property({ type: 'text' })
  investigation: Opt<string> = '';

  @Property({ type: 'text' })
  prosecution: Opt<string> = '';

  @Property({ type: 'text' })
  victimSupport: Opt<string> = '';

  /** Optimistic lock: every flush checks and increments it, so a concurrent save fails instead of overwriting. */
  @Property({ type: 'integer', version: true })
  version: Opt<number> = 1;

  @ManyToOne({ entity: () => Member })
  createdBy!: Member;

  @ManyToOne({ entity: () => Member })
  updatedBy!: Member;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime' })
  updatedAt: Opt<Date> = new Date();
}

/** The state after one change: fields and section texts, so versions can be listed and compared. */
export interface CaseSnapshot extends CaseCounts {
  caseCode: string;
  stage: CaseStage;
  exploitationForms: ExploitationForm[];
  sections: Record<CaseSection, string>;
}

/** What a revision changed: header fields by name, sections by their CaseSection value. */
export type ChangedField = 'caseCode' | 'stage' | 'exploitationForms' | 'counts' | CaseSection;

@Entity({ tableName: 'case_summary_revision' })
@Unique({ properties: ['caseSummary', 'version'] })
export class CaseSummaryRevision {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => CaseSummary })
  caseSummary!: CaseSummary;

  @Property({ type: 'integer' })
  version!: number;

  @ManyToOne({ entity: () => Member })
  author!: Member;

  @Property({ type: 'datetime' })
  at: Opt<Date> = new Date();

  @Property({ type: 'json' })
  changed!: ChangedField[];

  @Property({ type: 'json' })
  snapshot!: CaseSnapshot;
}
