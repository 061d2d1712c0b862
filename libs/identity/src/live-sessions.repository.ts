import { EntityManager } from '@mikro-orm/core';
import { type SqlEntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { type Actor, type AgencyKind, type TaskForceRole } from '@hub/access';
import { type SessionLookup } from '@hub/events';
import { Agency } from './agency.entity';
import { AuthSession } from './auth-session.entity';
import { AuthService } from './auth.service';
import { Member } from './member.entity';
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
    const em = this.em.fork() as SqlEntityManager;
    // Plain rows, not entities: hydrating a thousand sessions with their members and agencies into an
    // identity map was most of the re-check's CPU, for objects that are read once and dropped.
    const f = fieldsOf(em);
    for (let from = 0; from < sessionIds.length; from += CHUNK) {
      const chunk = sessionIds.slice(from, from + CHUNK);
      const marks = chunk.map(() => '?').join(', ');
      const sessions = await em.execute<SessionRow[]>(
        `select s.${f.session.id} as "sessionId", m.${f.member.id} as "memberId", m.${f.member.agency} as "agencyId", ` +
          `a.${f.agency.kind} as "agencyKind", m.${f.member.isPlatformAdmin} as "admin", m.${f.member.isNationalProgramme} as "national" ` +
          `from ${f.session.table} s join ${f.member.table} m on m.${f.member.id} = s.${f.session.member} ` +
          `join ${f.agency.table} a on a.${f.agency.id} = m.${f.member.agency} ` +
          `where s.${f.session.id} in (${marks}) and s.${f.session.revokedAt} is null and m.${f.member.disabledAt} is null`,
        chunk,
      );
      const memberIds = [...new Set(sessions.map((row) => row.memberId))];
      const memberships = memberIds.length
        ? await em.execute<MembershipRow[]>(
            `select ${f.membership.member} as "memberId", ${f.membership.taskForce} as "taskForceId", ${f.membership.role} as "role" ` +
              `from ${f.membership.table} where ${f.membership.member} in (${memberIds.map(() => '?').join(', ')})`,
            memberIds,
          )
        : [];
      const roles = new Map<string, [string, TaskForceRole][]>();
      for (const row of memberships) {
        const mine = roles.get(row.memberId) ?? [];
        mine.push([row.taskForceId, row.role]);
        roles.set(row.memberId, mine);
      }
      for (const row of sessions)
        actors.set(row.sessionId, {
          memberId: row.memberId,
          sessionId: row.sessionId,
          agencyId: sharedId(row.agencyId),
          agencyKind: row.agencyKind,
          // SQLite gives 0 or 1.
          isPlatformAdmin: Boolean(row.admin),
          isNationalProgramme: Boolean(row.national),
          roles: sharedRoles(roles.get(row.memberId) ?? []),
          ip: null,
        });
    }
    return actors;
  }
}

interface SessionRow {
  sessionId: string;
  memberId: string;
  agencyId: string;
  agencyKind: AgencyKind;
  admin: boolean | number;
  national: boolean | number;
}

interface MembershipRow {
  memberId: string;
  taskForceId: string;
  role: TaskForceRole;
}

/** Quoted table and column names from the entities' metadata, so that the raw reads follow the mapping. */
function fieldsOf(em: EntityManager) {
  const metadata = em.getMetadata();
  const names = <T extends object>(entity: new () => T, props: string[]) => {
    const meta = metadata.get<T>(entity.name);
    const quote = (name: string) => `"${name}"`;
    const out: Record<string, string> = { table: quote(meta.tableName) };
    for (const prop of props)
      out[prop] = quote((meta.properties as Record<string, { fieldNames: string[] }>)[prop].fieldNames[0]);
    return out;
  };
  return {
    session: names(AuthSession, ['id', 'member', 'revokedAt']),
    member: names(Member, ['id', 'agency', 'isPlatformAdmin', 'isNationalProgramme', 'disabledAt']),
    agency: names(Agency, ['id', 'kind']),
    membership: names(Membership, ['member', 'taskForce', 'role']),
  };
}
