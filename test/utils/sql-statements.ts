import { type MikroORM } from '@mikro-orm/core';
import { type AbstractSqlConnection } from '@mikro-orm/knex';

/**
 * What the hub runs in the background, left out by default: the outbox relay and the event streams
 * (their tables and commits), the e-mail outbox's round (every 5 s), the webhook dispatcher's poll
 * (every second) and the API-key expiry sweep (every 15 s). A request's window that spanned one of
 * these counted it too (a report "cost" 18 statements instead of 16 in CI).
 */
export const BACKGROUND =
  /domain_event|event_cursor|audit_record|email_outbox|webhook_endpoint|webhook_delivery|\bapi_key\b|^\s*(begin|commit|rollback)\b/i;

/**
 * How many SQL statements the hub ran while `work` ran, those matching `ignore` left out.
 * SQL_TRACE=1 prints each counted one.
 */
export async function countStatements<T>(
  orm: MikroORM,
  work: () => Promise<T>,
  ignore: RegExp = BACKGROUND,
): Promise<{ statements: number; result: T }> {
  const knex = (orm.em.getConnection() as AbstractSqlConnection).getKnex();
  let statements = 0;
  const count = (q: { sql: string }) => {
    if (ignore.test(q.sql)) return;
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
