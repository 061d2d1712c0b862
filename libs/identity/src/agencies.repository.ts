import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { readJsonRows } from '@hub/core';
import { Agency } from './agency.entity';

/** Unchecked reads by id, for per-request loaders only; a resolver asks AgenciesService instead. */
@Injectable()
export class AgenciesRepository {
  constructor(private readonly em: EntityManager) {}

  /** Plain rows in the entity's shape (readJsonRows), never managed. */
  findByIds(ids: readonly string[]): Promise<Agency[]> {
    return readJsonRows(this.em, Agency, ids);
  }
}
