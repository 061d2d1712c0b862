import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { badInput } from '@hub/core';
import { CaseSummary, CaseSummaryRevision } from './case-summary.entity';

/**
 * Unchecked reads: for per-request loaders (whose parents the policy already let through) and for
 * checked service methods of other domains. A resolver asks CaseSummariesService instead.
 */
@Injectable()
export class CaseSummariesRepository {
  constructor(private readonly em: EntityManager) {}

  /** Read-only, for loaders: outside the identity map. */
  findByIds(ids: readonly string[]): Promise<CaseSummary[]> {
    return this.em.find(CaseSummary, { id: { $in: [...ids] } }, { disableIdentityMap: true });
  }

  /** Read-only, for loaders: outside the identity map, with the author and their agency joined in. */
  revisionsBySummaryIds(ids: readonly string[]): Promise<CaseSummaryRevision[]> {
    return this.em.find(
      CaseSummaryRevision,
      { caseSummary: { $in: [...ids] } },
      { disableIdentityMap: true, strategy: 'joined', populate: ['author.agency'], orderBy: { version: 'desc' } },
    );
  }

  /** A linked case summary must exist in the same task force; read with the caller's transaction. */
  async assertInTaskForce(
    em: EntityManager,
    taskForceId: string,
    caseSummaryId: string,
    field: string,
  ): Promise<CaseSummary> {
    const summary = await em.findOne(CaseSummary, { id: caseSummaryId, taskForce: taskForceId });
    if (!summary) throw badInput(field, 'No case summary with this id exists in this task force.');
    return summary;
  }
}
