import { EntityManager, OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  Actor,
  assertCan,
  can,
  caseSectionAccess,
  CaseSection,
  isRestrictedSection,
  readableSections,
  refuseAggregatesOnly,
  sectionAccess,
  sectionOfField,
  type SharedSections,
} from '@hub/access';
import { AuditService } from '@hub/audit';
import {
  badInput,
  conflictOnDuplicate,
  type JsonPart,
  notFound,
  readJsonRow,
  readJsonRowWithParts,
  screenFields,
} from '@hub/core';
import { WriteTransaction } from '@hub/events';
import { Member } from '@hub/identity';
import { TaskForce } from '@hub/task-forces';
import {
  CaseCounts,
  CaseSnapshot,
  CaseStage,
  CaseSummary,
  CaseSummaryRevision,
  ChangedField,
  ExploitationForm,
  SECTION_PROPERTY,
} from './case-summary.entity';
import { caseCodeTaken, headerNotWritable, sectionNotWritable, staleVersion } from './case-summaries.errors';

export interface CaseSummaryChanges {
  caseCode?: string;
  stage?: CaseStage;
  exploitationForms?: ExploitationForm[];
  counts?: Partial<CaseCounts>;
  sections?: Partial<Record<CaseSection, string>>;
}

export interface NewCaseSummary extends CaseSummaryChanges {
  taskForceId: string;
  caseCode: string;
  stage: CaseStage;
}

export interface CaseFilter {
  stage?: CaseStage;
  /** Case codes starting with this text. */
  codePrefix?: string;
}

/** Where a restricted section was read from, for the audit trail. */
export type ReadVia = 'summary' | 'revision' | 'comparison';

export interface SectionRead {
  summary: CaseSummary;
  section: CaseSection;
  via: ReadVia;
  version?: number;
}

export interface RevisionView {
  changed: ChangedField[];
  caseCode: string | null;
  stage: CaseStage | null;
  counts: CaseCounts | null;
}

export interface FieldDifference {
  field: ChangedField;
  before: string;
  after: string;
}

/**
 * What standing referrals share with an agency, by case summary (issue 18). The referrals domain
 * provides it; without it nothing is shared. The rule that turns it into access is in libs/access.
 */
export interface SectionSharing {
  sharedWith(agencyId: string, caseSummaryIds: readonly string[]): Promise<Map<string, SharedSections>>;
  /** The same question as a list to read with a summary's own row (readJsonRowWithParts), and its answer. */
  sharedPart(agencyId: string): JsonPart;
  sharedFrom(rows: readonly object[]): Map<string, SharedSections>;
}

export const SECTION_SHARING = Symbol('SECTION_SHARING');

const COUNT_FIELDS: (keyof CaseCounts)[] = ['victims', 'minors', 'victimsInProceedings', 'protectedWitnesses'];
const SECTIONS = Object.values(CaseSection);

/** Whether the section table alone withholds the actor some section in this task force. */
function tableWithholds(actor: Actor, taskForceId: string): boolean {
  return SECTIONS.some((section) => sectionAccess(actor, taskForceId, section) === 'none');
}

function snapshotOf(summary: CaseSummary): CaseSnapshot {
  return {
    caseCode: summary.caseCode,
    stage: summary.stage,
    exploitationForms: [...summary.exploitationForms],
    victims: summary.victims,
    minors: summary.minors,
    victimsInProceedings: summary.victimsInProceedings,
    protectedWitnesses: summary.protectedWitnesses,
    sections: Object.fromEntries(SECTIONS.map((s) => [s, summary[SECTION_PROPERTY[s]]])) as Record<CaseSection, string>,
  };
}

/** The printable value of one field of a snapshot, for comparisons. */
function fieldValue(snapshot: CaseSnapshot, field: ChangedField): string {
  if (field === 'counts') return COUNT_FIELDS.map((c) => `${c}: ${snapshot[c]}`).join(', ');
  if (field === 'exploitationForms') return snapshot.exploitationForms.join(', ');
  if (field === 'caseCode' || field === 'stage') return snapshot[field];
  return snapshot.sections[field];
}

const UPDATED_BY = { updatedBy: { agency: {} } };

@Injectable()
export class CaseSummariesService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
    private readonly writes: WriteTransaction,
    @Optional() @Inject(SECTION_SHARING) private readonly sharing?: SectionSharing,
  ) {}

  /** Whether the actor may see this field of a case summary (header fields follow the overview). */
  mayRead(actor: Actor, taskForceId: string, field: ChangedField, shared?: SharedSections): boolean {
    return caseSectionAccess(actor, taskForceId, sectionOfField(field), shared) !== 'none';
  }

  /**
   * What standing referrals share with the actor's agency, for these summaries: asked only for those
   * of which the table alone does not already let the actor read every section. One statement.
   */
  async sharedSections(actor: Actor, summaries: readonly CaseSummary[]): Promise<Map<string, SharedSections>> {
    const wanting = summaries.filter((summary) => this.wantsShared(actor, summary));
    if (!this.sharing || !wanting.length) return new Map();
    return this.sharing.sharedWith(
      actor.agencyId,
      wanting.map((summary) => summary.id),
    );
  }

  /** Whether referrals may add to what the table lets the actor read of this summary. */
  private wantsShared(actor: Actor, summary: CaseSummary): boolean {
    return can(actor, 'caseSummary.read', summary.taskForce.id) && tableWithholds(actor, summary.taskForce.id);
  }

  /** The sections the actor may read of one summary, what referrals share included. */
  readable(actor: Actor, summary: CaseSummary, shared?: SharedSections): CaseSection[] {
    return readableSections(actor, summary.taskForce.id, shared);
  }

  async create(actor: Actor, input: NewCaseSummary): Promise<CaseSummary> {
    assertCan(actor, 'caseSummary.create', input.taskForceId);
    const changed = this.checkWrite(actor, input.taskForceId, input);
    const caseCode = input.caseCode.trim().toUpperCase();
    const counts = this.validCounts({
      victims: 0,
      minors: 0,
      victimsInProceedings: 0,
      protectedWitnesses: 0,
      ...input.counts,
    });
    return conflictOnDuplicate(
      () => caseCodeTaken(caseCode),
      () =>
        this.writes.run(async (em, events) => {
          if (await em.count(CaseSummary, { taskForce: input.taskForceId, caseCode })) throw caseCodeTaken(caseCode);
          const author = em.getReference(Member, actor.memberId);
          const summary = em.create(CaseSummary, {
            taskForce: em.getReference(TaskForce, input.taskForceId),
            caseCode,
            stage: input.stage,
            exploitationForms: [...new Set(input.exploitationForms ?? [])],
            ...counts,
            createdBy: author,
            updatedBy: author,
          });
          for (const section of SECTIONS) {
            const text = input.sections?.[section];
            if (text !== undefined) summary[SECTION_PROPERTY[section]] = text;
          }
          em.create(CaseSummaryRevision, {
            caseSummary: summary,
            version: 1,
            author,
            changed: ['caseCode', 'stage', ...changed],
            snapshot: snapshotOf(summary),
          });
          this.audit.record(em, {
            action: 'caseSummary.created',
            actorId: actor.memberId,
            taskForceId: input.taskForceId,
            subjectType: 'CaseSummary',
            subjectId: summary.id,
            ip: actor.ip,
            details: { caseCode, version: 1 },
          });
          events.record({
            type: 'caseSummary.created',
            taskForceId: input.taskForceId,
            actorId: actor.memberId,
            data: { caseSummaryId: summary.id, caseCode, version: 1, changed: ['caseCode', 'stage', ...changed] },
          });
          return summary;
        }),
    );
  }

  /**
   * Applies a change made on top of `baseVersion`. If someone saved in between, nothing is applied
   * and CONFLICT carries the current version: an edit never overwrites another person's change.
   */
  async update(actor: Actor, id: string, baseVersion: number, changes: CaseSummaryChanges): Promise<CaseSummary> {
    try {
      return await this.writes.run(async (em, events) => {
        const summary = await this.load(em, actor, id);
        this.checkWrite(actor, summary.taskForce.id, changes);
        if (summary.version !== baseVersion) throw staleVersion(summary.version, baseVersion);
        const changed = await this.apply(em, summary, changes);
        if (!changed.length) return summary;
        const author = em.getReference(Member, actor.memberId);
        summary.updatedBy = author;
        summary.updatedAt = new Date();
        // The ORM's optimistic lock adds "AND version = <base>" to the UPDATE: of two concurrent saves, the second updates nothing and fails.
        await em.flush();
        em.create(CaseSummaryRevision, {
          caseSummary: summary,
          version: summary.version,
          author,
          changed,
          snapshot: snapshotOf(summary),
        });
        this.audit.record(em, {
          action: 'caseSummary.updated',
          actorId: actor.memberId,
          taskForceId: summary.taskForce.id,
          subjectType: 'CaseSummary',
          subjectId: summary.id,
          ip: actor.ip,
          details: { version: summary.version, changed },
        });
        events.record({
          type: 'caseSummary.updated',
          taskForceId: summary.taskForce.id,
          actorId: actor.memberId,
          data: { caseSummaryId: summary.id, caseCode: summary.caseCode, version: summary.version, changed },
        });
        return summary;
      });
    } catch (error) {
      if (error instanceof OptimisticLockError || error instanceof UniqueConstraintViolationException) {
        const current = await this.em.fork().findOne(CaseSummary, { id });
        if (error instanceof UniqueConstraintViolationException && changes.caseCode)
          throw caseCodeTaken(changes.caseCode.trim().toUpperCase());
        throw staleVersion(current?.version ?? baseVersion, baseVersion);
      }
      throw error;
    }
  }

  /** Sets what differs from the current state; returns what changed. */
  private async apply(em: EntityManager, summary: CaseSummary, changes: CaseSummaryChanges): Promise<ChangedField[]> {
    const changed: ChangedField[] = [];
    if (changes.caseCode !== undefined && changes.caseCode.trim().toUpperCase() !== summary.caseCode) {
      const caseCode = changes.caseCode.trim().toUpperCase();
      if (await em.count(CaseSummary, { taskForce: summary.taskForce, caseCode, id: { $ne: summary.id } }))
        throw caseCodeTaken(caseCode);
      summary.caseCode = caseCode;
      changed.push('caseCode');
    }
    if (changes.stage !== undefined && changes.stage !== summary.stage) {
      summary.stage = changes.stage;
      changed.push('stage');
    }
    if (changes.exploitationForms !== undefined) {
      const forms = [...new Set(changes.exploitationForms)];
      if (forms.join() !== summary.exploitationForms.join()) {
        summary.exploitationForms = forms;
        changed.push('exploitationForms');
      }
    }
    if (changes.counts !== undefined) {
      const counts = this.validCounts({ ...snapshotOf(summary), ...changes.counts });
      if (COUNT_FIELDS.some((c) => counts[c] !== summary[c])) {
        Object.assign(summary, counts);
        changed.push('counts');
      }
    }
    for (const section of SECTIONS) {
      const text = changes.sections?.[section];
      if (text !== undefined && text !== summary[SECTION_PROPERTY[section]]) {
        summary[SECTION_PROPERTY[section]] = text;
        changed.push(section);
      }
    }
    return changed;
  }

  /**
   * Read-only: a plain row, never managed (nothing writes through it), so nothing is hydrated or
   * tracked; who updated it last (and their agency) comes joined in.
   */
  async get(actor: Actor, id: string): Promise<CaseSummary> {
    return this.visible(actor, await readJsonRow(this.em, CaseSummary, id, UPDATED_BY));
  }

  /**
   * As get, with what referrals share of it with the actor's agency (sharedSections' answer for it),
   * read in the summary's own statement when the table withholds the actor a section in some task force
   * of theirs: a read of its sections would otherwise ask the referrals in a statement of its own.
   */
  async getWithShared(
    actor: Actor,
    id: string,
  ): Promise<{
    summary: CaseSummary;
    /** Absent: not read, ask sharedSections. */ shared?: { sections?: SharedSections };
  }> {
    const withheldSomewhere = [...actor.roles.keys()].some((taskForceId) => tableWithholds(actor, taskForceId));
    if (!this.sharing || !withheldSomewhere) return { summary: await this.get(actor, id) };
    const parts = { shared: this.sharing.sharedPart(actor.agencyId) };
    const read = await readJsonRowWithParts(this.em, CaseSummary, id, parts, UPDATED_BY);
    const summary = this.visible(actor, read.row);
    // As sharedSections answers for it: nothing where the table alone decides.
    if (!this.wantsShared(actor, summary)) return { summary, shared: {} };
    return { summary, shared: { sections: this.sharing.sharedFrom(read.parts.shared).get(summary.id) } };
  }

  async list(actor: Actor, taskForceId: string, filter: CaseFilter = {}): Promise<CaseSummary[]> {
    assertCan(actor, 'caseSummary.read', taskForceId);
    const where: Record<string, unknown> = { taskForce: taskForceId };
    if (filter.stage) where.stage = filter.stage;
    if (filter.codePrefix) where.caseCode = { $like: `${filter.codePrefix.toUpperCase().replace(/[%_\\]/g, '')}%` };
    return this.em.find(CaseSummary, where, { orderBy: { caseCode: 'asc' } });
  }

  /** A revision as the actor may see it: the changes they may know of, and the header if they may read it. */
  revisionView(
    actor: Actor,
    summary: CaseSummary,
    revision: CaseSummaryRevision,
    shared?: SharedSections,
  ): RevisionView {
    const taskForceId = summary.taskForce.id;
    const { snapshot } = revision;
    const header = this.mayRead(actor, taskForceId, 'caseCode', shared);
    return {
      changed: revision.changed.filter((field) => this.mayRead(actor, taskForceId, field, shared)),
      caseCode: header ? snapshot.caseCode : null,
      stage: header ? snapshot.stage : null,
      counts: header
        ? {
            victims: snapshot.victims,
            minors: snapshot.minors,
            victimsInProceedings: snapshot.victimsInProceedings,
            protectedWitnesses: snapshot.protectedWitnesses,
          }
        : null,
    };
  }

  /** What differs between two versions, limited to what the actor may read; restricted sections read are audited. */
  async compare(actor: Actor, id: string, fromVersion: number, toVersion: number): Promise<FieldDifference[]> {
    const summary = await this.load(this.em, actor, id);
    const revisions = await this.em.find(CaseSummaryRevision, {
      caseSummary: id,
      version: { $in: [fromVersion, toVersion] },
    });
    const from = revisions.find((r) => r.version === fromVersion);
    const to = revisions.find((r) => r.version === toVersion);
    if (!from)
      throw badInput(
        'fromVersion',
        `Version ${fromVersion} does not exist; this case summary has versions 1 to ${summary.version}.`,
      );
    if (!to)
      throw badInput(
        'toVersion',
        `Version ${toVersion} does not exist; this case summary has versions 1 to ${summary.version}.`,
      );
    const fields: ChangedField[] = ['caseCode', 'stage', 'exploitationForms', 'counts', ...SECTIONS];
    const shared = (await this.sharedSections(actor, [summary])).get(summary.id);
    const differences = fields
      .filter((field) => this.mayRead(actor, summary.taskForce.id, field, shared))
      .map((field) => ({ field, before: fieldValue(from.snapshot, field), after: fieldValue(to.snapshot, field) }))
      .filter((d) => d.before !== d.after);
    await this.recordReads(
      actor,
      differences
        .filter((d) => SECTIONS.includes(d.field as CaseSection))
        .map((d) => ({ summary, section: d.field as CaseSection, via: 'comparison' as const, version: toVersion })),
    );
    return differences;
  }

  /**
   * The texts of sections, one per read, null where the policy withholds the section. Reads of
   * restricted sections are written to the audit trail as one INSERT before the text is returned.
   */
  async readSections(
    actor: Actor,
    reads: (SectionRead & { text: string })[],
    /** Where the caller already asks sharedSections for these summaries (a request's loader): asked once. */
    sharedOf: (summaries: CaseSummary[]) => Promise<Map<string, SharedSections>> = (summaries) =>
      this.sharedSections(actor, summaries),
  ): Promise<(string | null)[]> {
    const byTable = reads.map((read) => sectionAccess(actor, read.summary.taskForce.id, read.section) !== 'none');
    // Only what the table withholds is asked of the referrals: a standing one may share it.
    const shared = await sharedOf(reads.filter((_, i) => !byTable[i]).map((read) => read.summary));
    const allowed = reads.map(
      (read, i) =>
        byTable[i] ||
        caseSectionAccess(actor, read.summary.taskForce.id, read.section, shared.get(read.summary.id)) !== 'none',
    );
    await this.recordReads(
      actor,
      reads.filter((_, i) => allowed[i]),
    );
    return reads.map((read, i) => (allowed[i] ? read.text : null));
  }

  private async recordReads(actor: Actor, reads: SectionRead[]): Promise<void> {
    const restricted = reads.filter((read) => isRestrictedSection(read.section));
    await this.audit.insertNow(
      restricted.map((read) => ({
        action: 'caseSummary.sectionRead',
        actorId: actor.memberId,
        taskForceId: read.summary.taskForce.id,
        subjectType: 'CaseSummary',
        subjectId: read.summary.id,
        ip: actor.ip,
        details: { section: read.section, via: read.via, ...(read.version !== undefined && { version: read.version }) },
      })),
    );
  }

  private async load(em: EntityManager, actor: Actor, id: string): Promise<CaseSummary> {
    return this.visible(actor, await em.findOne(CaseSummary, { id }));
  }

  private visible(actor: Actor, summary: CaseSummary | null): CaseSummary {
    if (!summary || !can(actor, 'caseSummary.read', summary.taskForce.id)) {
      refuseAggregatesOnly(actor, summary?.taskForce.id);
      throw notFound('The case summary');
    }
    return summary;
  }

  /** Refuses a change that touches anything the actor may not write; screens every text. Returns the touched fields. */
  private checkWrite(actor: Actor, taskForceId: string, changes: CaseSummaryChanges): ChangedField[] {
    const touched: ChangedField[] = [];
    const header: [ChangedField, unknown][] = [
      ['caseCode', changes.caseCode],
      ['stage', changes.stage],
      ['exploitationForms', changes.exploitationForms],
      ['counts', changes.counts],
    ];
    for (const [field, value] of header) {
      if (value === undefined) continue;
      if (sectionAccess(actor, taskForceId, CaseSection.OVERVIEW) !== 'write') throw headerNotWritable(field);
      if (field !== 'caseCode' && field !== 'stage') touched.push(field);
    }
    for (const section of SECTIONS) {
      if (changes.sections?.[section] === undefined) continue;
      if (sectionAccess(actor, taskForceId, section) !== 'write') throw sectionNotWritable(section);
      touched.push(section);
    }
    screenFields({
      caseCode: changes.caseCode,
      ...Object.fromEntries(SECTIONS.map((s) => [`sections.${SECTION_PROPERTY[s]}`, changes.sections?.[s]])),
    });
    return touched;
  }

  private validCounts(counts: CaseCounts): CaseCounts {
    for (const field of COUNT_FIELDS) {
      if (!Number.isInteger(counts[field]) || counts[field] < 0 || counts[field] > 100_000) {
        throw badInput(`counts.${field}`, `counts.${field} must be a whole number from 0 to 100000.`);
      }
    }
    if (counts.minors > counts.victims)
      throw badInput('counts.minors', 'counts.minors cannot be more than counts.victims.');
    if (counts.victimsInProceedings > counts.victims) {
      throw badInput('counts.victimsInProceedings', 'counts.victimsInProceedings cannot be more than counts.victims.');
    }
    return {
      victims: counts.victims,
      minors: counts.minors,
      victimsInProceedings: counts.victimsInProceedings,
      protectedWitnesses: counts.protectedWitnesses,
    };
  }
}
