import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { TaskForce } from './task-force.entity';

/** Unchecked reads by id, for per-request loaders only; a resolver asks TaskForcesService instead. */
@Injectable()
export class TaskForcesRepository {
  constructor(private readonly em: EntityManager) {}

  /** Read-only: outside the identity map. */
  findByIds(ids: readonly string[]): Promise<TaskForce[]> {
    return this.em.find(TaskForce, { id: { $in: [...ids] } }, { disableIdentityMap: true });
  }
}
