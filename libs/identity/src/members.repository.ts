import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Member } from './member.entity';

/** Unchecked reads by id, for per-request loaders only; a resolver asks MembersService instead. */
@Injectable()
export class MembersRepository {
  constructor(private readonly em: EntityManager) {}

  /** Read-only (outside the identity map), with the agency joined in: a member is rarely shown without it. */
  findByIds(ids: readonly string[]): Promise<Member[]> {
    return this.em.find(
      Member,
      { id: { $in: [...ids] } },
      { disableIdentityMap: true, strategy: 'joined', populate: ['agency'] },
    );
  }
}
