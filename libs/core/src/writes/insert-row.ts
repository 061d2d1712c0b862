import {
  type EntityManager,
  type EntityMetadata,
  type EntityName,
  type EntityProperty,
  ReferenceKind,
} from '@mikro-orm/core';
import { isJsonProperty } from '../reads/dialect';
import { sqlRows } from '../reads/sql-rows';

type Stored = { name: string; column: string; reference: boolean; json: boolean; boolean: boolean };
const STORED = new WeakMap<EntityMetadata, Map<string, Stored>>();

function stored(meta: EntityMetadata): Map<string, Stored> {
  let found = STORED.get(meta);
  if (!found) {
    found = new Map();
    for (const prop of meta.props as EntityProperty[]) {
      if (prop.persist === false || prop.formula || prop.fieldNames?.length !== 1) continue;
      if (prop.kind !== ReferenceKind.SCALAR && prop.kind !== ReferenceKind.MANY_TO_ONE) continue;
      found.set(prop.name, {
        name: prop.name,
        column: prop.fieldNames[0],
        reference: prop.kind === ReferenceKind.MANY_TO_ONE,
        json: isJsonProperty(prop),
        boolean: prop.runtimeType === 'boolean',
      });
    }
    STORED.set(meta, found);
  }
  return found;
}

/**
 * Inserts one row at once, in `em`'s transaction, without the unit of work: for the commonest writes
 * of a live meeting, where creating the entity, its references and its change set cost more than the
 * INSERT. `row` names properties (a many-to-one by its id or `{ id }`), complete as the table needs it:
 * the entity's defaults are not applied, and nothing is left in the identity map. Scalars, dates and
 * JSON; a boolean property is refused (the dialects store it differently).
 */
export function insertRow<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  row: Record<string, unknown>,
): Promise<void> {
  return insertRows(em, entity, [row]);
}

/** As insertRow, several rows in one INSERT; each names the properties the first one names. */
export async function insertRows<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  rows: Record<string, unknown>[],
): Promise<void> {
  if (!rows.length) return;
  const meta = em.getMetadata().get<object>(entity as string);
  const props = stored(meta);
  const platform = em.getPlatform();
  const names = Object.keys(rows[0]);
  const targets = names.map((name) => {
    const prop = props.get(name);
    if (!prop) throw new Error(`insertRow: ${meta.className}.${name} is not a stored column`);
    if (prop.boolean)
      throw new Error(`insertRow: ${meta.className}.${name} is a boolean, which insertRow does not write`);
    return prop;
  });
  const values: unknown[] = [];
  for (const row of rows) {
    if (Object.keys(row).length !== names.length || names.some((name) => !(name in row)))
      throw new Error(`insertRows: every ${meta.className} row names the same properties`);
    for (const prop of targets) {
      const value = row[prop.name];
      if (value === null || value === undefined) values.push(null);
      else if (prop.reference) values.push(typeof value === 'object' ? (value as { id: unknown }).id : value);
      else if (value instanceof Date) values.push(platform.processDateProperty(value));
      else if (prop.json) values.push(JSON.stringify(value));
      else values.push(value);
    }
  }
  const columns = targets.map((prop) => platform.quoteIdentifier(prop.column));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  await sqlRows(
    em,
    `insert into ${platform.quoteIdentifier(meta.tableName)} (${columns.join(', ')}) values ${rows.map(() => tuple).join(', ')}`,
    values,
  );
}
