import { type EntityManager, type EntityProperty, JsonType } from '@mikro-orm/core';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';

/**
 * Whether `em` talks to PostgreSQL; otherwise it is SQLite (libsql), the embedded default. The one test
 * every hand-written statement uses to pick its dialect's SQL.
 */
export function isPostgres(em: EntityManager): boolean {
  return em.getPlatform() instanceof PostgreSqlPlatform;
}

/**
 * Whether a property is stored as JSON: jsonb on PostgreSQL, text on SQLite, so a hand-written statement
 * binds it as JSON text and a plain read parses what SQLite gives back. For insertRow and the plain reads.
 */
export function isJsonProperty(prop: EntityProperty): boolean {
  return prop.customType instanceof JsonType || prop.type === 'json' || prop.runtimeType === 'object';
}
