import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Membership } from './membership.entity';

/** Unchecked batch reads, for per-request loaders only; a resolver asks MembershipsService instead. */
@Injectable()
export class MembershipsRepository {
  constructor(private readonly em: EntityManager) {}

  findByTaskForceIds(ids: readonly string[]): Promise<Membership[]> {
    return this.em.find(Membership, { taskForce: { $in: [...ids] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  findByMemberIds(ids: readonly string[]): Promise<Membership[]> {
    return this.em.find(Membership, { member: { $in: [...ids] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }
}
