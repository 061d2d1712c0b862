import { EntityManager, LockMode } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Actor, assertCan, canSeeTaskForce, TaskForceRole } from '@hub/access';
import { AuditService } from '@hub/audit';
import { badInput, conflictOnDuplicate, notFound } from '@hub/core';
import { type EventQueue, WriteTransaction } from '@hub/events';
import { TaskForce } from '@hub/task-forces';
import { ActorCache } from './actor-cache';
import { alreadyMember, lastCoordinator } from './identity.errors';
import { Member } from './member.entity';
import { Membership } from './membership.entity';

@Injectable()
export class MembershipsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
    private readonly writes: WriteTransaction,
    private readonly actors: ActorCache,
  ) {}

  /** Coordinators add people by email: they know colleagues by address, not by id. */
  async add(actor: Actor, input: { taskForceId: string; email: string; role: TaskForceRole }): Promise<Membership> {
    assertCan(actor, 'membership.manage', input.taskForceId);
    const added = await conflictOnDuplicate(alreadyMember, () =>
      this.writes.run(async (em, events) => {
        const taskForce = await em.findOne(TaskForce, { id: input.taskForceId });
        if (!taskForce) throw notFound('The task force');
        const member = await em.findOne(Member, { email: input.email.trim().toLowerCase() });
        if (!member) throw badInput('email', 'No member has this email. An administrator can create the member first.');
        if (member.disabledAt) throw badInput('email', 'This member is disabled and cannot join a task force.');
        if (await em.count(Membership, { taskForce, member })) throw alreadyMember();
        const membership = em.create(Membership, { taskForce, member, role: input.role });
        this.audit.record(em, {
          action: 'membership.added',
          actorId: actor.memberId,
          taskForceId: taskForce.id,
          subjectType: 'Membership',
          subjectId: membership.id,
          ip: actor.ip,
          details: { memberId: member.id, role: input.role },
        });
        this.publish(events, actor, membership, 'membership.added');
        return membership;
      }),
    );
    return this.committed(added);
  }

  async changeRole(actor: Actor, membershipId: string, role: TaskForceRole): Promise<Membership> {
    const changed = await this.writes.run(async (em, events) => {
      const membership = await this.load(em, actor, membershipId);
      const from = membership.role;
      if (from === role) return membership;
      if (from === TaskForceRole.COORDINATOR) await this.keepACoordinator(em, membership);
      membership.role = role;
      this.audit.record(em, {
        action: 'membership.roleChanged',
        actorId: actor.memberId,
        taskForceId: membership.taskForce.id,
        subjectType: 'Membership',
        subjectId: membership.id,
        ip: actor.ip,
        details: { memberId: membership.member.id, from, to: role },
      });
      this.publish(events, actor, membership, 'membership.roleChanged');
      return membership;
    });
    return this.committed(changed);
  }

  async remove(actor: Actor, membershipId: string): Promise<Membership> {
    const removed = await this.writes.run(async (em, events) => {
      const membership = await this.load(em, actor, membershipId);
      if (membership.role === TaskForceRole.COORDINATOR) await this.keepACoordinator(em, membership);
      this.audit.record(em, {
        action: 'membership.removed',
        actorId: actor.memberId,
        taskForceId: membership.taskForce.id,
        subjectType: 'Membership',
        subjectId: membership.id,
        ip: actor.ip,
        details: { memberId: membership.member.id, role: membership.role },
      });
      em.remove(membership);
      this.publish(events, actor, membership, 'membership.removed');
      return membership;
    });
    return this.committed(removed);
  }

  /** After commit, this instance's cached actor of the member goes at once; the others' when the bus brings the event. */
  private committed(membership: Membership): Membership {
    this.actors.forgetMember(membership.member.id);
    return membership;
  }

  private publish(
    events: EventQueue,
    actor: Actor,
    membership: Membership,
    type: 'membership.added' | 'membership.roleChanged' | 'membership.removed',
  ): void {
    events.record({
      type,
      taskForceId: membership.taskForce.id,
      actorId: actor.memberId,
      data: { membershipId: membership.id, memberId: membership.member.id, role: membership.role },
    });
  }

  private async load(em: EntityManager, actor: Actor, membershipId: string): Promise<Membership> {
    const membership = await em.findOne(Membership, { id: membershipId });
    if (!membership || !canSeeTaskForce(actor, membership.taskForce.id)) throw notFound('The membership');
    assertCan(actor, 'membership.manage', membership.taskForce.id);
    return membership;
  }

  /** Locks the coordinators' rows before counting: two demotions at once cannot both see "another one is left". */
  private async keepACoordinator(em: EntityManager, membership: Membership): Promise<void> {
    const coordinators = await em.find(
      Membership,
      { taskForce: membership.taskForce, role: TaskForceRole.COORDINATOR },
      { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } },
    );
    if (coordinators.filter((c) => c.role === TaskForceRole.COORDINATOR).length <= 1) throw lastCoordinator();
  }
}
