import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { readJsonRows } from '@hub/core';
import { Member } from './member.entity';

/** Unchecked reads by id, for per-request loaders only; a resolver asks MembersService instead. */
@Injectable()
export class MembersRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Plain rows in the entity's shape (readJsonRows), never managed, with the agency joined in: a member
   * is rarely shown without it. Loaders only turn them into models, so hydrating entities was waste.
   */
  findByIds(ids: readonly string[]): Promise<Member[]> {
    return readJsonRows(this.em, Member, ids, { agency: {} });
  }
}
