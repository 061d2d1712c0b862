import { type EntityManager } from '@mikro-orm/core';
import { type Actor, type AgencyKind, type TaskForceRole } from '@hub/access';
import { forkOfRoot, sqlRows } from '@hub/core';
import { Agency } from './agency.entity';
import { AuthSession } from './auth-session.entity';
import { Member } from './member.entity';
import { Membership } from './membership.entity';
import { sharedId, sharedRoles } from './shared-roles';

/** Bounded `in (…)` lists: far below either dialect's limit on bound parameters. */
const CHUNK = 1_000;

/**
 * The actors of the sessions that are still live (not revoked, their member not disabled), by session
 * id: two statements per thousand sessions, plain rows with bound values. Both the actor cache's miss
 * (one session, on whichever request finds its entry expired) and the live watch's re-check (all the
 * sessions an instance holds) read actors this way: through the ORM, a miss hydrated the session, the
 * member, the agency and the memberships into a forked identity map, about 5 % of the read mix's CPU
 * with a 5-s cache TTL (`npm run bench -- graphql`).
 */
export async function readLiveActors(
  context: EntityManager,
  sessionIds: readonly string[],
): Promise<Map<string, Actor>> {
  // A fork of its own: never the transaction of a write that happens to be running (which could see
  // that write's uncommitted rows, or fail with it), nor the request's.
  const em = forkOfRoot(context);
  const actors = new Map<string, Actor>();
  const { sessions: sessionsSql, memberships: membershipsSql } = statementsOf(em);
  for (let from = 0; from < sessionIds.length; from += CHUNK) {
    const chunk = sessionIds.slice(from, from + CHUNK);
    const sessions = await sqlRows<SessionRow>(em, sessionsSql(chunk.length), chunk);
    const memberIds = [...new Set(sessions.map((row) => row.memberId))];
    const memberships = memberIds.length
      ? await sqlRows<MembershipRow>(em, membershipsSql(memberIds.length), memberIds)
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

type Statements = { sessions: (n: number) => string; memberships: (n: number) => string };

/** Built once per metadata (one ORM per process, a few in tests). */
const STATEMENTS = new WeakMap<object, Statements>();

/** The two statements, with table and column names from the entities' metadata so that they follow the mapping. */
function statementsOf(em: EntityManager): Statements {
  const metadata = em.getMetadata();
  let found = STATEMENTS.get(metadata);
  if (found) return found;
  const names = <T extends object>(entity: new () => T, props: string[]) => {
    const meta = metadata.get<T>(entity.name);
    const quote = (name: string) => `"${name}"`;
    const out: Record<string, string> = { table: quote(meta.tableName) };
    for (const prop of props)
      out[prop] = quote((meta.properties as Record<string, { fieldNames: string[] }>)[prop].fieldNames[0]);
    return out;
  };
  const s = names(AuthSession, ['id', 'member', 'revokedAt']);
  const m = names(Member, ['id', 'agency', 'isPlatformAdmin', 'isNationalProgramme', 'disabledAt']);
  const a = names(Agency, ['id', 'kind']);
  const ms = names(Membership, ['member', 'taskForce', 'role']);
  const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');
  // Texts of short lists (a miss asks for one session, one member) are kept; a re-check's long ones are
  // built each time, which costs nothing beside the read, rather than kept for every length ever seen.
  const texts = new Map<string, string>();
  const once = (key: string, build: () => string) => {
    let text = texts.get(key);
    if (text === undefined) {
      text = build();
      if (texts.size < 32) texts.set(key, text);
    }
    return text;
  };
  found = {
    sessions: (n) =>
      once(
        `s${n}`,
        () =>
          `select s.${s.id} as "sessionId", m.${m.id} as "memberId", m.${m.agency} as "agencyId", ` +
          `a.${a.kind} as "agencyKind", m.${m.isPlatformAdmin} as "admin", m.${m.isNationalProgramme} as "national" ` +
          `from ${s.table} s join ${m.table} m on m.${m.id} = s.${s.member} ` +
          `join ${a.table} a on a.${a.id} = m.${m.agency} ` +
          `where s.${s.id} in (${marks(n)}) and s.${s.revokedAt} is null and m.${m.disabledAt} is null`,
      ),
    memberships: (n) =>
      once(
        `m${n}`,
        () =>
          `select ${ms.member} as "memberId", ${ms.taskForce} as "taskForceId", ${ms.role} as "role" ` +
          `from ${ms.table} where ${ms.member} in (${marks(n)})`,
      ),
  };
  STATEMENTS.set(metadata, found);
  return found;
}
