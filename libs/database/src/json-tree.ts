import {
  type EntityManager,
  type EntityMetadata,
  type EntityProperty,
  type EntityName,
  type MetadataStorage,
  ReferenceKind,
} from '@mikro-orm/core';
import { type SqlEntityManager } from '@mikro-orm/knex';

/** Relations to bring in with each row, each with its own (`{ presenter: { agency: {} } }`). */
export interface JsonJoin {
  [relation: string]: JsonJoin;
}

/** One list of a tree: the rows of `entity` whose many-to-one `parent` is one of the ids asked for. */
export interface JsonPart {
  entity: EntityName<object>;
  parent: string;
  join?: JsonJoin;
  /** Ascending sort keys (properties). Sorted after reading: the dialects aggregate in no set order. */
  orderBy: string[];
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Reads several lists of rows for a set of parents in ONE statement, a JSON array per list, and
 * returns them as plain objects in the entities' shape (scalars typed as MikroORM would give them,
 * many-to-one relations as `{ id }` or, when joined, the related row): read-only, never managed.
 * For loader waves whose lists are independent (a meeting's agenda, attendance, decisions, ...), so
 * that a wave costs one statement instead of one per list. PostgreSQL and SQLite.
 */
export async function readJsonParts<K extends string>(
  em: EntityManager,
  parentIds: readonly string[],
  parts: Record<K, JsonPart>,
): Promise<Record<K, object[]>> {
  const postgres = em.getPlatform().constructor.name.startsWith('PostgreSql');
  const [object, array] = postgres ? ['json_build_object', 'json_agg'] : ['json_object', 'json_group_array'];
  const metadata: MetadataStorage = em.getMetadata();
  let aliases = 0;

  const objectSql = (meta: EntityMetadata, alias: string, join: JsonJoin = {}): string => {
    const pairs: string[] = [];
    for (const prop of columns(meta)) {
      const column = `${alias}.${q(prop.fieldNames[0])}`;
      const sub = join[prop.name];
      if (prop.kind === ReferenceKind.MANY_TO_ONE && sub) {
        const target = metadata.get<object>(prop.type);
        const a = `j${aliases++}`;
        const pk = target.getPrimaryProps()[0];
        const where = `${a}.${q(pk.fieldNames[0])} = ${column}`;
        pairs.push(
          `'${prop.name}'`,
          `(select ${objectSql(target, a, sub)} from ${q(target.tableName)} ${a} where ${where})`,
        );
      } else pairs.push(`'${prop.name}'`, column);
    }
    return `${object}(${pairs.join(', ')})`;
  };

  const keys = Object.keys(parts) as K[];
  const marks = parentIds.map(() => '?').join(', ');
  const selects = keys.map((key) => {
    const part = parts[key];
    const meta = metadata.get<object>(part.entity as string);
    const a = `j${aliases++}`;
    const parentColumn = q((meta.properties as Record<string, EntityProperty>)[part.parent].fieldNames[0]);
    return `(select ${array}(${objectSql(meta, a, part.join)}) from ${q(meta.tableName)} ${a} where ${a}.${parentColumn} in (${marks})) as ${q(key)}`;
  });
  const [row] = await (em as SqlEntityManager).execute<Record<string, unknown>[]>(
    `select ${selects.join(', ')}`,
    keys.flatMap(() => [...parentIds]),
  );

  const result = {} as Record<K, object[]>;
  for (const key of keys) {
    const part = parts[key];
    const meta = metadata.get<object>(part.entity as string);
    const rows = (parsed(row[key]) as Record<string, unknown>[] | null) ?? [];
    result[key] = sortBy(
      rows.map((r) => plain(metadata, meta, r, postgres, part.join)),
      part.orderBy,
    );
  }
  return result;
}

/** Scalars and single-column many-to-one relations that are stored; hidden ones (password hashes) are left out. */
function columns(meta: EntityMetadata) {
  return meta.props.filter(
    (p) =>
      p.persist !== false &&
      !p.hidden &&
      !p.formula &&
      p.fieldNames?.length === 1 &&
      (p.kind === ReferenceKind.SCALAR || p.kind === ReferenceKind.MANY_TO_ONE),
  );
}

/** SQLite hands nested JSON from a subquery back as text; PostgreSQL as JSON. */
function parsed(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

function plain(
  metadata: MetadataStorage,
  meta: EntityMetadata,
  row: Record<string, unknown>,
  postgres: boolean,
  join: JsonJoin = {},
): object {
  const out: Record<string, unknown> = {};
  for (const prop of columns(meta)) {
    const value = row[prop.name];
    if (value === null || value === undefined) out[prop.name] = null;
    else if (prop.kind === ReferenceKind.MANY_TO_ONE)
      out[prop.name] = join[prop.name]
        ? plain(metadata, metadata.get(prop.type), parsed(value) as Record<string, unknown>, postgres, join[prop.name])
        : { id: value };
    // PostgreSQL gives ISO strings, SQLite the milliseconds it stores.
    else if (prop.runtimeType === 'Date') out[prop.name] = new Date(value as string | number);
    else if (prop.runtimeType === 'boolean') out[prop.name] = Boolean(value);
    // SQLite stores JSON as text, which json_object embeds as a string; PostgreSQL embeds the value itself,
    // which may be a string (parsing that again would fail or change it).
    else if (prop.type === 'json' || prop.runtimeType === 'object') out[prop.name] = postgres ? value : parsed(value);
    else out[prop.name] = value;
  }
  return out;
}

function sortBy<T extends object>(rows: T[], keys: string[]): T[] {
  const value = (row: T, key: string) => {
    const v = (row as Record<string, unknown>)[key];
    return v instanceof Date ? v.getTime() : (v as string | number);
  };
  return rows.sort((x, y) => {
    for (const key of keys) {
      const [a, b] = [value(x, key), value(y, key)];
      if (a < b) return -1;
      if (a > b) return 1;
    }
    return 0;
  });
}
