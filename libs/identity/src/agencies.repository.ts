import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Agency } from './agency.entity';

/** Unchecked reads by id, for per-request loaders only; a resolver asks AgenciesService instead. */
@Injectable()
export class AgenciesRepository {
  constructor(private readonly em: EntityManager) {}

  /** Read-only: outside the identity map. */
  findByIds(ids: readonly string[]): Promise<Agency[]> {
    return this.em.find(Agency, { id: { $in: [...ids] } }, { disableIdentityMap: true });
  }
}
