import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Membership } from './membership.entity';

/** Read-only (outside the identity map); what a row names is joined in, so the loaders need no second wave. */
const READ = { disableIdentityMap: true, strategy: 'joined', orderBy: { createdAt: 'asc', id: 'asc' } } as const;

/** Unchecked batch reads, for per-request loaders only; a resolver asks MembershipsService instead. */
@Injectable()
export class MembershipsRepository {
  constructor(private readonly em: EntityManager) {}

  /** With the member and their agency. */
  findByTaskForceIds(ids: readonly string[]): Promise<Membership[]> {
    return this.em.find(Membership, { taskForce: { $in: [...ids] } }, { ...READ, populate: ['member.agency'] });
  }

  /** With the task force. */
  findByMemberIds(ids: readonly string[]): Promise<Membership[]> {
    return this.em.find(Membership, { member: { $in: [...ids] } }, { ...READ, populate: ['taskForce'] });
  }
}
