import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { type Actor, type TaskForceRole } from '@hub/access';
import { type SessionLookup } from '@hub/events';
import { AuthSession } from './auth-session.entity';
import { AuthService } from './auth.service';
import { Membership } from './membership.entity';
import { sharedId, sharedRoles } from './shared-roles';

/** Bounded `in (…)` lists: far below either dialect's limit on bound parameters. */
const CHUNK = 1_000;

/**
 * The sessions the live watch holds, read for it: one at a time as AuthService reads them, or all at
 * once for the periodic re-check (two statements per thousand sessions, whatever the members or sockets).
 */
@Injectable()
export class LiveSessionsRepository implements SessionLookup {
  constructor(
    private readonly em: EntityManager,
    private readonly auth: AuthService,
  ) {}

  actorFor(memberId: string, sessionId: string, ip: string | null): Promise<Actor> {
    return this.auth.actorForSession(memberId, sessionId, ip);
  }

  async liveActors(sessionIds: readonly string[]): Promise<Map<string, Actor>> {
    const actors = new Map<string, Actor>();
    for (let from = 0; from < sessionIds.length; from += CHUNK) {
      const em = this.em.fork();
      const sessions = await em.find(
        AuthSession,
        { id: { $in: sessionIds.slice(from, from + CHUNK) }, revokedAt: null, member: { disabledAt: null } },
        { populate: ['member', 'member.agency'] },
      );
      const memberIds = [...new Set(sessions.map((session) => session.member.id))];
      const memberships = memberIds.length ? await em.find(Membership, { member: { $in: memberIds } }) : [];
      const roles = new Map<string, Map<string, TaskForceRole>>();
      for (const membership of memberships) {
        const mine = roles.get(membership.member.id) ?? new Map<string, TaskForceRole>();
        roles.set(membership.member.id, mine.set(membership.taskForce.id, membership.role));
      }
      for (const { id, member } of sessions)
        actors.set(id, {
          memberId: member.id,
          sessionId: id,
          agencyId: sharedId(member.agency.id),
          agencyKind: member.agency.kind,
          isPlatformAdmin: member.isPlatformAdmin,
          isNationalProgramme: member.isNationalProgramme,
          roles: sharedRoles(roles.get(member.id) ?? []),
          ip: null,
        });
    }
    return actors;
  }
}
