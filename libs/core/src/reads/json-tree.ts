import {
  type EntityManager,
  type EntityMetadata,
  type EntityProperty,
  type EntityName,
  type MetadataStorage,
  ReferenceKind,
} from '@mikro-orm/core';
import { isJsonProperty, isPostgres } from './dialect';
import { sqlRows } from './sql-rows';

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
  /** More conditions, as readJsonRowsWhere takes them (one column each, a value or one of a list), bound. */
  where?: Record<string, string | readonly string[]>;
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
  const sql = new JsonSql(em);
  const keys = Object.keys(parts) as K[];
  const statement = sql.cached(`parts ${parentIds.length} ${sql.partsShape(parts)}`, () => {
    const marks = parentIds.map(() => '?').join(', ');
    return `select ${keys.map((key) => sql.partSelect(key, parts[key], marks)).join(', ')}`;
  });
  const [row] = await sqlRows<Record<string, unknown>>(
    em,
    statement,
    keys.flatMap((key) => [...parentIds, ...whereValues(parts[key])]),
  );
  return sql.partsOf(row, parts);
}

/**
 * One row by primary key, as readJsonRow gives it (with its joins), and lists of rows that name it (readJsonParts), in ONE
 * statement: for a read that knows up front which of its children the query asks for (a meeting with its
 * agenda, attendance, ...), which would otherwise pay a second statement, and a wave, for them. The lists
 * are empty when the row is missing.
 */
export async function readJsonRowWithParts<T extends object, K extends string>(
  em: EntityManager,
  entity: EntityName<T>,
  id: string,
  parts: Record<K, JsonPart>,
  join?: JsonJoin,
): Promise<{ row: T | null; parts: Record<K, object[]> }> {
  const sql = new JsonSql(em);
  const meta = sql.meta(entity);
  const keys = Object.keys(parts) as K[];
  const statement = sql.cached(`row+parts ${meta.className} ${joinKey(join)} ${sql.partsShape(parts)}`, () => {
    const a = sql.alias();
    const self = `(select ${sql.object(meta, a, join)} from ${q(meta.tableName)} ${a} where ${sql.condition(meta, a, meta.primaryKeys[0], -1)}) as ${q('row')}`;
    return `select ${[self, ...keys.map((key) => sql.partSelect(key, parts[key], '?'))].join(', ')}`;
  });
  const [row] = await sqlRows<Record<string, unknown>>(em, statement, [
    id,
    ...keys.flatMap((key) => [id, ...whereValues(parts[key])]),
  ]);
  const self = parsed(row.row) as Record<string, unknown> | null;
  return { row: self ? (sql.plain(meta, self, join) as T) : null, parts: sql.partsOf(row, parts) };
}

/**
 * One row by primary key, with its joined relations, as a plain object in the entity's shape (as
 * readJsonParts gives list rows), or null: for single-object reads that write nothing, which would
 * otherwise pay for hydrating and tracking an entity the request throws away. PostgreSQL's
 * json_build_object takes at most 100 arguments: an entity read this way has at most 50 columns.
 */
export async function readJsonRow<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  id: string,
  join?: JsonJoin,
): Promise<T | null> {
  const [row] = await readJsonRows(em, entity, [id], join);
  return row ?? null;
}

/**
 * The rows with these primary keys, in no set order, as readJsonRow gives one: for loaders' batches
 * (members, agencies), which otherwise hydrated entities outside the identity map only to throw them away.
 */
export function readJsonRows<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  ids: readonly string[],
  join?: JsonJoin,
): Promise<T[]> {
  const pk = em.getMetadata().get<object>(entity as string).primaryKeys[0];
  return readJsonRowsWhere(em, entity, { [pk]: ids }, join);
}

/**
 * The rows matching `where`, as readJsonRows gives them: each key is a property stored in one column
 * (a many-to-one by its id), equal to a value or, for a list, to one of its values. An empty list
 * matches nothing. For reads that write nothing and want no entities.
 */
export async function readJsonRowsWhere<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  where: Record<string, string | readonly string[]>,
  join?: JsonJoin,
): Promise<T[]> {
  const keys = Object.keys(where).sort();
  if (keys.some((key) => Array.isArray(where[key]) && !where[key].length)) return [];
  const sql = new JsonSql(em);
  const meta = sql.meta(entity);
  const arity = keys.map((key) => whereArity(where[key]));
  const statement = sql.cached(`where ${meta.className} ${keys.join(',')} ${arity.join(',')} ${joinKey(join)}`, () => {
    const a = sql.alias();
    const conditions = keys.map((key, i) => sql.condition(meta, a, key, arity[i]));
    return `select ${sql.object(meta, a, join)} as ${q('row')} from ${q(meta.tableName)} ${a} where ${conditions.join(' and ')}`;
  });
  const params = keys.flatMap((key) => where[key]);
  const rows = await sqlRows<{ row: unknown }>(em, statement, params);
  return rows.map((row) => sql.plain(meta, parsed(row.row) as Record<string, unknown>, join) as T);
}

/** How many values a condition binds: -1 for one value, else the list's length. */
function whereArity(value: string | readonly string[]): number {
  return Array.isArray(value) ? value.length : -1;
}

/** A part's condition properties, in the one order its key, its statement and its values follow. */
function whereKeys(part: JsonPart): string[] {
  return Object.keys(part.where ?? {}).sort();
}

/** A part's condition values, in the order partSelect writes its conditions. */
function whereValues(part: JsonPart): string[] {
  return whereKeys(part).flatMap((key) => part.where![key]);
}

const STATEMENTS = new Map<string, string>();
/** A bound in case a caller's shapes are not constants (a page of any size is one shape per size). */
const MAX_STATEMENTS = 500;
const PART_KEYS = new WeakMap<JsonPart, string>();

/** A join's share of a statement's key (JSON: a join is a tree of relation names). */
function joinKey(join: JsonJoin | undefined): string {
  return join ? JSON.stringify(join) : '{}';
}

/** The dialect's JSON functions and the metadata walk shared by both reads. */
class JsonSql {
  readonly postgres: boolean;
  readonly array: string;
  private readonly objectFn: string;
  private readonly metadata: MetadataStorage;
  private aliases = 0;

  constructor(em: EntityManager) {
    this.postgres = isPostgres(em);
    [this.objectFn, this.array] = this.postgres
      ? ['json_build_object', 'json_agg']
      : ['json_object', 'json_group_array'];
    this.metadata = em.getMetadata();
  }

  /**
   * A statement's text, built once per shape (what is read, how many parents) and dialect: building it
   * walks the metadata, which cost more than reading the answer. Shapes are few (the callers' constants).
   */
  cached(shape: string, build: () => string): string {
    const key = `${this.postgres} ${shape}`;
    let text = STATEMENTS.get(key);
    if (text === undefined) {
      if (STATEMENTS.size >= MAX_STATEMENTS) STATEMENTS.clear();
      text = build();
      STATEMENTS.set(key, text);
    }
    return text;
  }

  /** A part's share of the statement's key; the callers' parts are constants, so each is written once. */
  shape(part: JsonPart): string {
    let found = PART_KEYS.get(part);
    if (found === undefined) {
      const where = whereKeys(part).map((key) => [key, whereArity(part.where![key])]);
      found = JSON.stringify([this.meta(part.entity).className, part.parent, part.join ?? {}, where]);
      // A part with conditions is made per read (its values are the reader's): nothing to keep.
      if (!part.where) PART_KEYS.set(part, found);
    }
    return found;
  }

  /** The parts' share of a statement's key, in the parts' order (the statement's columns follow it). */
  partsShape(parts: Record<string, JsonPart>): string {
    return Object.entries(parts)
      .map(([key, part]) => `${key}=${this.shape(part)}`)
      .join(' ');
  }

  /** A part as one column: the JSON array of its rows whose parent is one of `marks`. */
  partSelect(key: string, part: JsonPart, marks: string): string {
    const meta = this.meta(part.entity);
    const a = this.alias();
    const parentColumn = q((meta.properties as Record<string, EntityProperty>)[part.parent].fieldNames[0]);
    const conditions = [
      `${a}.${parentColumn} in (${marks})`,
      ...whereKeys(part).map((key) => this.condition(meta, a, key, whereArity(part.where![key]))),
    ];
    return `(select ${this.array}(${this.object(meta, a, part.join)}) from ${q(meta.tableName)} ${a} where ${conditions.join(' and ')}) as ${q(key)}`;
  }

  /** `alias.column = ?`, or `in (?, ...)` for a list of `arity` values (-1: one value). */
  condition(meta: EntityMetadata, alias: string, key: string, arity: number): string {
    const fields = (meta.properties as Record<string, EntityProperty | undefined>)[key]?.fieldNames;
    // Named as before for readJsonRowsWhere's callers; a part's conditions are checked the same way.
    if (fields?.length !== 1) throw new Error(`readJsonRowsWhere: ${meta.className}.${key} is not one column`);
    const column = `${alias}.${q(fields[0])}`;
    if (arity === 0) return '1 = 0'; // one of nothing: no row
    return arity < 0 ? `${column} = ?` : `${column} in (${Array(arity).fill('?').join(', ')})`;
  }

  /** The parts' columns of a row, each as its plain rows in the part's order. */
  partsOf<K extends string>(row: Record<string, unknown>, parts: Record<K, JsonPart>): Record<K, object[]> {
    const result = {} as Record<K, object[]>;
    for (const key of Object.keys(parts) as K[]) {
      const part = parts[key];
      const meta = this.meta(part.entity);
      const rows = (parsed(row[key]) as Record<string, unknown>[] | null) ?? [];
      result[key] = sortBy(
        rows.map((r) => this.plain(meta, r, part.join)),
        part.orderBy,
      );
    }
    return result;
  }

  meta<T extends object>(entity: EntityName<T> | string): EntityMetadata {
    return this.metadata.get<object>(entity as string);
  }

  alias(): string {
    return `j${this.aliases++}`;
  }

  /** A JSON object of the row at `alias`, joined relations as nested objects (one subquery each). */
  object(meta: EntityMetadata, alias: string, join: JsonJoin = {}): string {
    const pairs: string[] = [];
    for (const prop of columns(meta)) {
      const column = `${alias}.${q(prop.fieldNames[0])}`;
      const sub = join[prop.name];
      if (prop.kind === ReferenceKind.MANY_TO_ONE && sub) {
        const target = this.meta(prop.type);
        const a = this.alias();
        const where = `${a}.${q(target.getPrimaryProps()[0].fieldNames[0])} = ${column}`;
        pairs.push(
          `'${prop.name}'`,
          `(select ${this.object(target, a, sub)} from ${q(target.tableName)} ${a} where ${where})`,
        );
      } else pairs.push(`'${prop.name}'`, column);
    }
    return `${this.objectFn}(${pairs.join(', ')})`;
  }

  plain(meta: EntityMetadata, row: Record<string, unknown>, join: JsonJoin = {}): object {
    return plain(this.metadata, meta, row, this.postgres, join);
  }
}

/** Scalars and single-column many-to-one relations that are stored; hidden ones (password hashes) are left out. */
const COLUMNS = new WeakMap<EntityMetadata, EntityProperty[]>();

function columns(meta: EntityMetadata): EntityProperty[] {
  let found = COLUMNS.get(meta);
  if (!found) COLUMNS.set(meta, (found = storedColumns(meta)));
  return found;
}

function storedColumns(meta: EntityMetadata): EntityProperty[] {
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

/** How plain() turns one column's JSON value into the entity's: decided once per entity, not per row. */
type Conversion = 'reference' | 'date' | 'boolean' | 'json' | 'as-is';
const CONVERSIONS = new WeakMap<EntityMetadata, { name: string; type: string; conversion: Conversion }[]>();

function conversions(meta: EntityMetadata) {
  let found = CONVERSIONS.get(meta);
  if (!found)
    CONVERSIONS.set(
      meta,
      (found = columns(meta).map((prop) => ({
        name: prop.name,
        type: prop.type,
        conversion: conversionOf(prop),
      }))),
    );
  return found;
}

function conversionOf(prop: EntityProperty): Conversion {
  if (prop.kind === ReferenceKind.MANY_TO_ONE) return 'reference';
  if (prop.runtimeType === 'Date') return 'date';
  if (prop.runtimeType === 'boolean') return 'boolean';
  if (isJsonProperty(prop)) return 'json';
  return 'as-is';
}

function plain(
  metadata: MetadataStorage,
  meta: EntityMetadata,
  row: Record<string, unknown>,
  postgres: boolean,
  join: JsonJoin = {},
): object {
  const out: Record<string, unknown> = {};
  for (const { name, type, conversion } of conversions(meta)) {
    const value = row[name];
    if (value === null || value === undefined) out[name] = null;
    else if (conversion === 'reference')
      out[name] = join[name]
        ? plain(metadata, metadata.get(type), parsed(value) as Record<string, unknown>, postgres, join[name])
        : { id: value };
    // PostgreSQL gives ISO strings, SQLite the milliseconds it stores.
    else if (conversion === 'date') out[name] = new Date(value as string | number);
    else if (conversion === 'boolean') out[name] = Boolean(value);
    // SQLite stores JSON as text, which json_object embeds as a string; PostgreSQL embeds the value itself,
    // which may be a string (parsing that again would fail or change it).
    else if (conversion === 'json') out[name] = postgres ? value : parsed(value);
    else out[name] = value;
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
