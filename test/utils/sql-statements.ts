import { type MikroORM } from '@mikro-orm/core';
import { type AbstractSqlConnection } from '@mikro-orm/knex';

/**
 * What the hub runs in the background, left out by default: the outbox relay and the event streams
 * (their tables and commits), and, where a suite turns them on, the e-mail outbox's round, the webhook
 * dispatcher's poll and the API-key expiry sweep.
 */
export const BACKGROUND =
  /domain_event|event_cursor|audit_record|email_outbox|webhook_endpoint|webhook_delivery|\bapi_key\b|^\s*(begin|commit|rollback)\b/i;

/**
 * The actor lookup (AuthService.actorForSession: the live session with its member and agency, then the
 * member's memberships; libs/identity/src/live-actors.read.ts), always left out: a cached actor is read
 * again when its ACTOR_CACHE_TTL_MS has passed since it was read, whichever request that falls on, so a
 * count that spanned that moment was 2 higher (18 for a report's 16, 3 for a case summary's 1, in CI).
 * The live watch's re-check reads with the same two statements: its own test counts them (countActorReads).
 */
const AUTHENTICATION = /from "auth_session" s join "member" m |from "membership" where "member_id" in \(/i;

/**
 * How many SQL statements the hub ran while `work` ran, those matching `ignore` left out, and the actor
 * lookup's unless `countActorReads` (for a test of those reads themselves, such as the re-check's).
 * SQL_TRACE=1 prints each counted one.
 */
export async function countStatements<T>(
  orm: MikroORM,
  work: () => Promise<T>,
  ignore: RegExp = BACKGROUND,
  { countActorReads = false }: { countActorReads?: boolean } = {},
): Promise<{ statements: number; result: T }> {
  const knex = (orm.em.getConnection() as AbstractSqlConnection).getKnex();
  let statements = 0;
  const count = (q: { sql: string }) => {
    if (ignore.test(q.sql) || (!countActorReads && AUTHENTICATION.test(q.sql))) return;
    statements++;
    if (process.env.SQL_TRACE) console.log(q.sql.slice(0, 160));
  };
  knex.on('query', count);
  try {
    const result = await work();
    return { statements, result };
  } finally {
    knex.removeListener('query', count);
  }
}
