import { type EntityManager } from '@mikro-orm/core';
import { type AbstractSqlDriver, type Knex, type SqlEntityManager } from '@mikro-orm/knex';
import { isPostgres } from './dialect';
import { transactionOf } from '../context/request-scope';

/** What sqlRows needs of a pg connection (knex's pg client hands out pg's Client). */
interface PgConnection {
  query(config: { text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

const NUMBERED = new Map<string, string>();
const MAX_TEXTS = 500;

/**
 * The rows of one hand-written statement, in `em`'s transaction when it has one (through the request's
 * context, also for the global EntityManager). For the hub's own statements on hot paths (plain reads,
 * locking reads, the audit INSERT, the outbox claim): on PostgreSQL they go straight to a connection of
 * the ORM's own pool with their values bound, where em.execute would inline the values into the text and
 * run it through knex's query runner, about 8 % of a read's CPU. On SQLite, em.execute. Errors are the
 * driver's own (PostgreSQL's codes), as with em.getConnection().execute. `?` is a placeholder and nothing
 * else: no `??`, no jsonb `?` operators, no comments or dollar quoting (numbered refuses them).
 */
export async function sqlRows<R>(em: EntityManager, text: string, params: readonly unknown[]): Promise<R[]> {
  // em.execute would make the request's fork only to ask it for a transaction (transactionOf does not).
  if (!isPostgres(em))
    return (em.getDriver() as AbstractSqlDriver).execute<R[]>(text, [...params], 'all', transactionOf(em));
  const transaction = transactionOf<Knex.Transaction>(em);
  // knex's own guard, which lives in the runner this skips: a write's em used after its COMMIT (a promise
  // that outlived it) would otherwise run on a connection already back in the pool, maybe in another write.
  if (transaction?.isCompleted()) throw new Error('Transaction query already complete');
  // In a transaction, knex's transaction client hands out the transaction's connection and keeps it.
  const knex = (transaction ?? (em as SqlEntityManager).getKnex()) as Knex;
  const client = knex.client as Knex.Client & {
    acquireConnection(): Promise<PgConnection>;
    releaseConnection(connection: PgConnection): Promise<unknown>;
  };
  const connection = await client.acquireConnection();
  try {
    const query = { text: numbered(text), values: [...params] };
    // As knex announces its own statements, so that what listens to knex's 'query' (the tests' statement
    // counts, a debugging hook) sees these too.
    client.emit('query', { sql: query.text, bindings: query.values, method: 'raw', ...knexIds(connection) });
    const result = await connection.query(query);
    return result.rows as R[];
  } finally {
    await client.releaseConnection(connection);
  }
}

function knexIds(connection: PgConnection): { __knexUid?: string; __knexTxId?: string } {
  const ids = connection as PgConnection & { __knexUid?: string; __knexTxId?: string };
  return { __knexUid: ids.__knexUid, __knexTxId: ids.__knexTxId };
}

/** `?` → `$1`, `$2`, … outside quoted literals and identifiers; once per text. */
export function numbered(text: string): string {
  let found = NUMBERED.get(text);
  if (found !== undefined) return found;
  if (/\?\?|\$\$|--|\/\*|\?[|&]/.test(text))
    throw new Error(`sqlRows: a statement with ??, ?| or ?&, a comment or dollar quoting: ${text.slice(0, 80)}`);
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
