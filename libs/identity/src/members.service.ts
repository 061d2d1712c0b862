import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Actor, assertCan, assertCanOnPlatform, canOnPlatform, TaskForceRole } from '@hub/access';
import { AuditService } from '@hub/audit';
import { badInput, conflictOnDuplicate, forbidden, notFound, screenFields } from '@hub/core';
import { WriteTransaction } from '@hub/events';
import { TaskForce } from '@hub/task-forces';
import { Agency } from './agency.entity';
import { ActorCache } from './actor-cache';
import { AuthService } from './auth.service';
import { emailTaken } from './identity.errors';
import { Member } from './member.entity';
import { Membership } from './membership.entity';
import { PasswordHasher } from './password.hasher';

export interface NewMember {
  email: string;
  displayName: string;
  agencyId: string;
  password: string;
  isPlatformAdmin?: boolean;
  /** A coordinator creates members into their own task force, with this role. */
  taskForceId?: string;
  role?: TaskForceRole;
}

@Injectable()
export class MembersService {
  constructor(
    private readonly em: EntityManager,
    private readonly passwords: PasswordHasher,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    private readonly writes: WriteTransaction,
    private readonly actors: ActorCache,
  ) {}

  async create(actor: Actor, input: NewMember): Promise<Member> {
    const administrator = canOnPlatform(actor, 'member.create');
    if (!administrator) {
      if (input.taskForceId) assertCan(actor, 'member.createInTaskForce', input.taskForceId);
      else assertCanOnPlatform(actor, 'member.create');
      if (input.isPlatformAdmin) throw forbidden('Only a platform administrator may create another administrator.');
    }
    if (input.role && !input.taskForceId) throw badInput('role', 'A role needs a taskForceId to apply to.');
    screenFields({ displayName: input.displayName });
    const email = input.email.trim().toLowerCase();
    // Hash before the transaction: it is the slow part and needs no lock.
    const passwordHash = await this.passwords.hash(input.password);
    // Two administrators creating the same email at once: the unique index decides.
    return conflictOnDuplicate(emailTaken, () =>
      this.writes.run(async (em, events) => {
        const agency = await em.findOne(Agency, { id: input.agencyId });
        if (!agency) throw badInput('agencyId', 'No agency has this id. List agencies to pick one.');
        if (await em.count(Member, { email })) throw emailTaken();
        const member = em.create(Member, {
          email,
          displayName: input.displayName.trim(),
          agency,
          passwordHash,
          isPlatformAdmin: input.isPlatformAdmin ?? false,
        });
        this.audit.record(em, {
          action: 'member.created',
          actorId: actor.memberId,
          taskForceId: input.taskForceId ?? null,
          subjectType: 'Member',
          subjectId: member.id,
          ip: actor.ip,
          details: { agencyId: agency.id, isPlatformAdmin: member.isPlatformAdmin },
        });
        if (input.taskForceId) {
          const role = input.role ?? TaskForceRole.MEMBER;
          const taskForce = await em.findOne(TaskForce, { id: input.taskForceId });
          if (!taskForce) throw notFound('The task force');
          const membership = em.create(Membership, { taskForce, member, role });
          this.audit.record(em, {
            action: 'membership.added',
            actorId: actor.memberId,
            taskForceId: input.taskForceId,
            subjectType: 'Membership',
            subjectId: membership.id,
            ip: actor.ip,
            details: { memberId: member.id, role },
          });
          events.record({
            type: 'membership.added',
            taskForceId: taskForce.id,
            actorId: actor.memberId,
            data: { membershipId: membership.id, memberId: member.id, role },
          });
        }
        return member;
      }),
    );
  }

  /** Disabling ends every session at once; the member's data and history stay. */
  async disable(actor: Actor, memberId: string): Promise<Member> {
    assertCanOnPlatform(actor, 'member.disable');
    if (memberId === actor.memberId)
      throw badInput('memberId', 'You cannot disable yourself. Ask another administrator.');
    const disabled = await this.writes.run(async (em, events) => {
      const member = await em.findOne(Member, { id: memberId });
      if (!member) throw notFound('The member');
      if (!member.disabledAt) {
        member.disabledAt = new Date();
        const sessions = await this.auth.revokeAllSessions(em, member.id, 'member-disabled');
        this.audit.record(em, {
          action: 'member.disabled',
          actorId: actor.memberId,
          subjectType: 'Member',
          subjectId: member.id,
          ip: actor.ip,
          details: { sessionsRevoked: sessions },
        });
        // Every instance drops the member's live connections.
        events.recordSystem('member.disabled', { memberId: member.id }, actor.memberId);
      }
      return member;
    });
    // After commit: this instance at once, the others through the bus.
    this.actors.forgetMember(disabled.id);
    return disabled;
  }

  /** Grants or withdraws the national programme role (national aggregates only). */
  async setNationalProgramme(actor: Actor, memberId: string, granted: boolean): Promise<Member> {
    assertCanOnPlatform(actor, 'member.grantNationalProgramme');
    const changed = await this.writes.run(async (em, events) => {
      const member = await em.findOne(Member, { id: memberId });
      if (!member) throw notFound('The member');
      if (member.isNationalProgramme !== granted) {
        member.isNationalProgramme = granted;
        this.audit.record(em, {
          action: 'member.nationalProgrammeChanged',
          actorId: actor.memberId,
          subjectType: 'Member',
          subjectId: member.id,
          ip: actor.ip,
          details: { granted },
        });
        events.recordSystem('member.rolesChanged', { memberId: member.id }, actor.memberId);
      }
      return member;
    });
    this.actors.forgetMember(changed.id);
    return changed;
  }

  async list(actor: Actor): Promise<Member[]> {
    assertCanOnPlatform(actor, 'member.list');
    return this.em.find(Member, {}, { orderBy: { email: 'asc' } });
  }

  async me(actor: Actor): Promise<Member> {
    const member = await this.em.findOne(Member, { id: actor.memberId });
    if (!member) throw notFound('The member');
    return member;
  }
}
