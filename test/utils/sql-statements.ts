import { type MikroORM } from '@mikro-orm/core';
import { type AbstractSqlConnection } from '@mikro-orm/knex';

/** The outbox relay and the event streams poll and commit in the background; their tables are left out by default. */
export const BACKGROUND = /domain_event|event_cursor|audit_record|^\s*(begin|commit|rollback)\b/i;

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
