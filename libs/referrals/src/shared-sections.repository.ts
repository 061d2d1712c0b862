import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { type CaseSection } from '@hub/access';
import { type JsonPart, readJsonRowsWhere } from '@hub/core';
import { type SectionSharing } from '@hub/case-summaries';
import { type StandingShare } from '@hub/events';
import { Referral, STANDING_STATUSES } from './referral.entity';

/**
 * Unchecked reads of what standing referrals share (accepted or in service; a withdrawn consent has
 * already ended its referrals in the same transaction). The policy that uses them is
 * `caseSectionAccess` in libs/access; callers have already let the reader through to the case.
 */
@Injectable()
export class SharedSectionsRepository implements SectionSharing {
  constructor(private readonly em: EntityManager) {}

  /** For one agency: case summary id → the sections shared with it now. One statement. */
  async sharedWith(agencyId: string, caseSummaryIds: readonly string[]): Promise<Map<string, Set<CaseSection>>> {
    if (!caseSummaryIds.length) return new Map();
    // Plain rows (readJsonRowsWhere): this runs on every read of a case summary a table withholds
    // sections of, and hydrating the referrals cost about 5 % of the read mix's CPU.
    const rows = await readJsonRowsWhere(this.em, Referral, {
      toAgency: agencyId,
      caseSummary: [...new Set(caseSummaryIds)],
      status: [...STANDING_STATUSES],
    });
    return this.sharedFrom(rows);
  }

  /** sharedWith's question for the summary a read brings in with it (readJsonRowWithParts). */
  sharedPart(agencyId: string): JsonPart {
    return {
      entity: Referral,
      parent: 'caseSummary',
      where: { toAgency: agencyId, status: [...STANDING_STATUSES] },
      orderBy: [],
    };
  }

  /** Standing referrals' rows, as sharedWith answers: case summary id → the sections they share. */
  sharedFrom(rows: readonly object[]): Map<string, Set<CaseSection>> {
    const shared = new Map<string, Set<CaseSection>>();
    for (const row of rows as Pick<Referral, 'caseSummary' | 'sections'>[]) {
      let sections = shared.get(row.caseSummary.id);
      if (!sections) shared.set(row.caseSummary.id, (sections = new Set()));
      for (const section of row.sections) sections.add(section);
    }
    return shared;
  }

  /** Every standing referral of a task force, for the live streams. */
  async standing(taskForceId: string): Promise<StandingShare[]> {
    const rows = await this.em
      .fork()
      .find(
        Referral,
        { taskForce: taskForceId, status: { $in: [...STANDING_STATUSES] } },
        { fields: ['caseSummary', 'toAgency', 'sections'] },
      );
    return rows.map((row) => ({
      referralId: row.id,
      caseSummaryId: row.caseSummary.id,
      toAgencyId: row.toAgency.id,
      sections: [...row.sections],
    }));
  }
}
