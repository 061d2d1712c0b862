import { type EntityManager } from '@mikro-orm/core';
import { type Knex, type SqlEntityManager } from '@mikro-orm/knex';

/** What sqlRows needs of a pg connection (knex's pg client hands out pg's Client). */
interface PgConnection {
  query(config: { text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

const NUMBERED = new Map<string, string>();
const MAX_TEXTS = 500;

/**
 * The rows of one hand-written statement (`?` placeholders), in `em`'s transaction when it has one. For
 * the statements whose text is built once per shape (plain reads, locking reads): on PostgreSQL they go
 * straight to a connection of the ORM's own pool with their values bound, where em.execute would inline
 * the values into the text and run it through knex's query runner, about 8 % of a read's CPU. On SQLite,
 * em.execute. Errors are the driver's own (PostgreSQL's codes), as with em.getConnection().execute.
 */
export async function sqlRows<R>(em: EntityManager, text: string, params: readonly unknown[]): Promise<R[]> {
  if (!em.getPlatform().constructor.name.startsWith('PostgreSql'))
    return (em as SqlEntityManager).execute<R[]>(text, [...params]);
  // In a transaction, knex's transaction client hands out the transaction's connection and keeps it.
  const knex = (em.getTransactionContext<Knex.Transaction>() ?? (em as SqlEntityManager).getKnex()) as Knex;
  const client = knex.client as Knex.Client & {
    acquireConnection(): Promise<PgConnection>;
    releaseConnection(connection: PgConnection): Promise<unknown>;
  };
  const connection = await client.acquireConnection();
  try {
    const result = await connection.query({ text: numbered(text), values: [...params] });
    return result.rows as R[];
  } finally {
    await client.releaseConnection(connection);
  }
}

/** `?` → `$1`, `$2`, … outside quoted literals and identifiers; once per text. */
export function numbered(text: string): string {
  let found = NUMBERED.get(text);
  if (found !== undefined) return found;
  let n = 0;
  let quote: string | null = null;
  let out = '';
  for (const char of text) {
    if (quote) {
      if (char === quote) quote = null;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === '?') {
      out += `$${++n}`;
      continue;
    }
    out += char;
  }
  if (NUMBERED.size >= MAX_TEXTS) NUMBERED.clear();
  NUMBERED.set(text, (found = out));
  return found;
}
