import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Actor, assertCanOnPlatform, canSeeTaskForce, visibleTaskForces, refuseAggregatesOnly } from '@hub/access';
import { AuditService } from '@hub/audit';
import { conflictOnDuplicate, notFound, screenFields } from '@hub/core';
import { TaskForce } from './task-force.entity';
import { codeTaken } from './task-forces.errors';
import { WriteTransaction } from '@hub/events';

export interface NewTaskForce {
  code: string;
  name: string;
  region: string;
  courtOfAppeal: string;
  counties: string[];
}

@Injectable()
export class TaskForcesService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
    private readonly writes: WriteTransaction,
  ) {}

  async create(actor: Actor, input: NewTaskForce): Promise<TaskForce> {
    assertCanOnPlatform(actor, 'taskForce.create');
    const code = input.code.trim().toUpperCase();
    screenFields({
      name: input.name,
      region: input.region,
      courtOfAppeal: input.courtOfAppeal,
      ...Object.fromEntries(input.counties.map((county, i) => [`counties.${i}`, county])),
    });
    // Two administrators racing for one code: the unique index decides.
    return conflictOnDuplicate(
      () => codeTaken(code),
      () =>
        this.writes.run(async (em) => {
          if (await em.count(TaskForce, { code })) throw codeTaken(code);
          const taskForce = em.create(TaskForce, { ...input, code, counties: [...new Set(input.counties)] });
          this.audit.record(em, {
            action: 'taskForce.created',
            actorId: actor.memberId,
            taskForceId: taskForce.id,
            subjectType: 'TaskForce',
            subjectId: taskForce.id,
            ip: actor.ip,
            details: { code },
          });
          return taskForce;
        }),
    );
  }

  async listVisible(actor: Actor): Promise<TaskForce[]> {
    const visible = visibleTaskForces(actor);
    const where = visible === 'all' ? {} : { id: { $in: visible } };
    return this.em.find(TaskForce, where, { orderBy: { code: 'asc' } });
  }

  async get(actor: Actor, id: string): Promise<TaskForce> {
    if (!canSeeTaskForce(actor, id)) {
      refuseAggregatesOnly(actor, id);
      throw notFound('The task force');
    }
    // Read-only: the row stays out of the request's identity map, which nothing writes through.
    const taskForce = await this.em.findOne(TaskForce, { id }, { disableIdentityMap: true });
    if (!taskForce) throw notFound('The task force');
    return taskForce;
  }
}
