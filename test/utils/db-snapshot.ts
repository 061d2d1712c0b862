import { type MikroORM } from '@mikro-orm/core';
import { createHash } from 'node:crypto';
import { isPostgres } from '@hub/core';

/**
 * The whole database as a test sees it: every table the ORM maps (from its metadata, so a new
 * entity is covered without touching this file), with its row count and a hash of its rows.
 * Comparing two snapshots shows whether anything at all was written in between.
 */
export interface TableState {
  rows: number;
  hash: string;
}

export type DbSnapshot = Record<string, TableState>;

/** Columns the hub changes on its own after a commit (the outbox relay marks events published). */
const VOLATILE: Record<string, string[]> = { domain_event: ['published_at'] };

export function tableNames(orm: MikroORM): string[] {
  const tables = Object.values(orm.getMetadata().getAll())
    .filter((meta) => !meta.embeddable && !meta.virtual && !meta.abstract && meta.tableName)
    .map((meta) => meta.tableName);
  return [...new Set(tables)].sort();
}

function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  return value;
}

async function rowsOf(orm: MikroORM, table: string): Promise<Record<string, unknown>[]> {
  const rows = await orm.em
    .fork()
    .getConnection()
    .execute<Record<string, unknown>[]>(`select * from "${table}"`, [], 'all');
  const volatile = VOLATILE[table] ?? [];
  return rows.map((row: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(row)
        .filter(([column]) => !volatile.includes(column))
        .map(([column, value]) => [column, normalise(value)]),
    ),
  );
}

/** PostgreSQL: one round trip, rows hashed in the database (the same content as the SQLite path, hashed differently). */
async function postgresSnapshot(orm: MikroORM, tables: string[]): Promise<DbSnapshot> {
  const parts = tables.map((table) => {
    const row = (VOLATILE[table] ?? []).reduce((expression, column) => `(${expression} - '${column}')`, 'to_jsonb(t)');
    return `select '${table}' as name, count(*)::int as rows, md5(coalesce(string_agg(${row}::text, chr(10) order by ${row}::text), '')) as hash from "${table}" t`;
  });
  const rows = await orm.em
    .fork()
    .getConnection()
    .execute<{ name: string; rows: number; hash: string }[]>(parts.join(' union all '), [], 'all');
  return Object.fromEntries(
    rows.map((row: { name: string; rows: number; hash: string }) => [
      row.name,
      { rows: Number(row.rows), hash: row.hash },
    ]),
  );
}

export async function snapshot(orm: MikroORM): Promise<DbSnapshot> {
  const tables = tableNames(orm);
  if (isPostgres(orm.em)) return postgresSnapshot(orm, tables);
  const states = await Promise.all(
    tables.map(async (table) => {
      const rows = (await rowsOf(orm, table)).map((row) => JSON.stringify(row)).sort();
      return [table, { rows: rows.length, hash: createHash('sha256').update(rows.join('\n')).digest('hex') }] as const;
    }),
  );
  return Object.fromEntries(states);
}

/** The tables whose content differs between two snapshots. */
export function changedTables(before: DbSnapshot, after: DbSnapshot): string[] {
  const tables = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...tables].filter((table) => before[table]?.hash !== after[table]?.hash).sort();
}

export function rowDelta(before: DbSnapshot, after: DbSnapshot, table: string): number {
  return (after[table]?.rows ?? 0) - (before[table]?.rows ?? 0);
}

/** Where any of `needles` occurs in any column of any row (text, JSON, anything): `table.column` list. */
export async function findInDatabase(orm: MikroORM, needles: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const table of tableNames(orm)) {
    for (const row of await rowsOf(orm, table)) {
      for (const [column, value] of Object.entries(row)) {
        if (value === null || value === undefined) continue;
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        if (needles.some((needle) => text.includes(needle))) found.push(`${table}.${column}`);
      }
    }
  }
  return [...new Set(found)];
}

/** Newest audit actions, for explaining an unexpected write. */
export async function latestRows(orm: MikroORM, table: string, limit = 3): Promise<Record<string, unknown>[]> {
  return orm.em
    .fork()
    .getConnection()
    .execute(`select * from "${table}" order by id desc limit ${Number(limit)}`, [], 'all');
}
