import { badInput } from '../errors/domain-error';

/**
 * Keyset paging: a list ordered by a few columns hands out, as its end cursor, the last row's values of
 * those columns; the next page starts after them. Cursors are opaque to clients ("<kind>:<v1>|<v2>" in
 * base64url) and decoding is strict: a cursor is accepted only if encoding what it decodes to gives the
 * very same text, so only the shape this server issues reaches a query. That keeps out dates that
 * overflow PostgreSQL (years past 9999), impossible days ("2026-02-30"), ids that are not UUIDs, SQL,
 * and a cursor of another list.
 */
interface PartTypes {
  /** A timestamp, as `Date.toISOString()` writes it (years 0000–9999). */
  instant: Date;
  /** A calendar day, `YYYY-MM-DD`. */
  day: string;
  /** A lower-case UUID, as the database gives them. */
  uuid: string;
  /** A positive integer id (at most 15 digits: exact as a JavaScript number). */
  int: number;
}

export type CursorPart = keyof PartTypes;
export type CursorValues<P extends readonly CursorPart[]> = { -readonly [K in keyof P]: PartTypes[P[K]] };

const SHAPE: Record<CursorPart, RegExp> = {
  instant: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
  day: /^\d{4}-\d{2}-\d{2}$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  int: /^[1-9]\d{0,14}$/,
};

const PARSE: { [P in CursorPart]: (text: string) => PartTypes[P] } = {
  instant: (text) => new Date(text),
  day: (text) => text,
  uuid: (text) => text,
  int: (text) => Number(text),
};

const FORMAT: { [P in CursorPart]: (value: PartTypes[P]) => string } = {
  instant: (value) => value.toISOString(),
  // Through a Date and back, so an impossible day ("2026-02-30" would roll over) does not come out as it went in.
  day: (value) => new Date(`${value}T00:00:00.000Z`).toISOString().slice(0, 10),
  uuid: (value) => value,
  int: (value) => String(value),
};

export const notOurCursor = () =>
  badInput('after', 'The "after" cursor is not one this server issued. Use pageInfo.endCursor from the previous page.');

export interface KeysetCursor<P extends readonly CursorPart[]> {
  encode(values: CursorValues<P>): string;
  /** The values, or BAD_USER_INPUT on `after` for anything this codec would not have written. */
  decode(cursor: string): CursorValues<P>;
}

export function keysetCursor<const P extends readonly CursorPart[]>(kind: string, parts: P): KeysetCursor<P> {
  const text = (values: CursorValues<P>) =>
    `${kind}:${parts.map((part, i) => (FORMAT[part] as (value: unknown) => string)(values[i])).join('|')}`;
  const encode = (values: CursorValues<P>) => Buffer.from(text(values)).toString('base64url');
  return {
    encode,
    decode(cursor) {
      const decoded = Buffer.from(cursor, 'base64url').toString();
      if (!decoded.startsWith(`${kind}:`)) throw notOurCursor();
      const fields = decoded.slice(kind.length + 1).split('|');
      if (fields.length !== parts.length || !parts.every((part, i) => SHAPE[part].test(fields[i])))
        throw notOurCursor();
      const values = parts.map((part, i) => PARSE[part](fields[i])) as CursorValues<P>;
      let again: string;
      try {
        again = encode(values);
      } catch {
        throw notOurCursor(); // no date at all ("2026-13-45"): toISOString throws
      }
      if (again !== cursor) throw notOurCursor();
      return values;
    },
  };
}

/** The one check of a page size: a whole number from 1 to `max`. */
export function assertPageSize(first: number, max = 200): void {
  if (!Number.isInteger(first) || first < 1 || first > max)
    throw badInput('first', `"first" must be between 1 and ${max}.`);
}
