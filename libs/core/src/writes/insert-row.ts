import {
  type EntityManager,
  type EntityMetadata,
  type EntityName,
  type EntityProperty,
  JsonType,
  ReferenceKind,
} from '@mikro-orm/core';
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
        json: prop.customType instanceof JsonType || prop.type === 'json',
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
export async function insertRow<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  row: Record<string, unknown>,
): Promise<void> {
  const meta = em.getMetadata().get<object>(entity as string);
  const props = stored(meta);
  const platform = em.getPlatform();
  const columns: string[] = [];
  const values: unknown[] = [];
  for (const [name, value] of Object.entries(row)) {
    const prop = props.get(name);
    if (!prop) throw new Error(`insertRow: ${meta.className}.${name} is not a stored column`);
    if (prop.boolean)
      throw new Error(`insertRow: ${meta.className}.${name} is a boolean, which insertRow does not write`);
    columns.push(platform.quoteIdentifier(prop.column));
    if (value === null || value === undefined) values.push(null);
    else if (prop.reference) values.push(typeof value === 'object' ? (value as { id: unknown }).id : value);
    else if (value instanceof Date) values.push(platform.processDateProperty(value));
    else if (prop.json) values.push(JSON.stringify(value));
    else values.push(value);
  }
  await sqlRows(
    em,
    `insert into ${platform.quoteIdentifier(meta.tableName)} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`,
    values,
  );
}
