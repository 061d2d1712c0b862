import { type EntityManager } from '@mikro-orm/core';
import { isPostgres } from '@hub/core';

/**
 * The few expressions where SQLite and PostgreSQL differ, so that each report query is written once.
 * SQLite keeps instants as milliseconds since the epoch (MikroORM's default there), PostgreSQL as
 * timestamptz; JSON is read with json_extract or ->>.
 *
 * A due day ends at 24:00 Bucharest standard time (UTC+2) in both dialects: SQLite has no time
 * zones, and the two must count alike. In summer (UTC+3) an item completed in the first hour after
 * local midnight therefore still counts as on time; docs/reports.md says so.
 */
export interface SqlDialect {
  postgres: boolean;
  /** A placeholder for an instant, and the value to bind to it. */
  instant: string;
  bindInstant(at: Date): unknown;
  /** A placeholder for text (a calendar day). */
  text: string;
  jsonText(column: string, key: string): string;
  jsonInt(column: string, key: string): string;
  /** The instant a due day (a YYYY-MM-DD column) ends. */
  endOfDay(dayColumn: string): string;
  /** Whole days from `from` to `to`, rounded up (for a positive difference). */
  daysUp(from: string, to: string): string;
  /** Days from `from` to `to`, with fractions. */
  days(from: string, to: string): string;
}

const SQLITE: SqlDialect = {
  postgres: false,
  instant: '?',
  bindInstant: (at) => at.getTime(),
  text: '?',
  jsonText: (column, key) => `json_extract(${column}, '$.${key}')`,
  jsonInt: (column, key) => `cast(json_extract(${column}, '$.${key}') as integer)`,
  endOfDay: (day) => `((cast(strftime('%s', ${day}) as integer) + 79200) * 1000)`,
  daysUp: (from, to) => `(((${to}) - (${from}) + 86399999) / 86400000)`,
  days: (from, to) => `(((${to}) - (${from})) / 86400000.0)`,
};

const POSTGRES: SqlDialect = {
  postgres: true,
  instant: 'cast(? as timestamptz)',
  bindInstant: (at) => at.toISOString(),
  text: 'cast(? as text)',
  jsonText: (column, key) => `(${column}->>'${key}')`,
  jsonInt: (column, key) => `cast(${column}->>'${key}' as integer)`,
  endOfDay: (day) => `((cast(${day} as date) + 1)::timestamp - interval '2 hours') at time zone 'UTC'`,
  daysUp: (from, to) => `cast(ceil(extract(epoch from ((${to}) - (${from}))) / 86400) as integer)`,
  days: (from, to) => `(extract(epoch from ((${to}) - (${from}))) / 86400.0)`,
};

export function dialectOf(em: EntityManager): SqlDialect {
  return isPostgres(em) ? POSTGRES : SQLITE;
}
