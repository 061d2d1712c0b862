import { ConnectionException, DeadlockException, LockWaitTimeoutException } from '@mikro-orm/core';
import { DomainError, type ErrorCode, isDomainError } from './domain-error';
import { loggableError } from './loggable-error';

/**
 * What any error thrown at a transport means for the client, decided once for GraphQL, socket
 * acknowledgements and plain HTTP; each transport only puts it into its own shape.
 *
 * - a DomainError: its code, sentence and extensions, as the domain wrote them; nothing to log;
 * - the database not there right now (restart, outage, exhausted pool), or a write conflict the
 *   database gave up on: SERVICE_UNAVAILABLE, retryable; logged as a warning by code, never by message;
 * - anything else: INTERNAL_SERVER_ERROR, masked; logged as an error without SQL values.
 */
export interface Classified {
  code: ErrorCode | 'INTERNAL_SERVER_ERROR';
  message: string;
  /** Safe to send: the domain's own extensions, or `retryable`. */
  extensions: Record<string, unknown>;
  /** What the transport should log, if anything: never a driver's message. */
  log: { level: 'warn' | 'error'; line: string } | null;
}

export const INTERNAL_ERROR_MESSAGE =
  'Something went wrong on our side. Nothing you did caused it; try again, and tell an administrator if it persists.';

const UNAVAILABLE_MESSAGE = 'The database is unavailable right now. Nothing was saved; try again in a moment.';

/** PostgreSQL SQLSTATEs and socket errors that mean "the database is not there right now" (try again). */
const UNAVAILABLE_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

function codeOf(error: unknown): string {
  return String((error as { code?: unknown } | null)?.code ?? '');
}

/**
 * A restart or an outage of the database, seen through MikroORM, pg or knex: connection exceptions,
 * SQLSTATE class 08 and the shutdown codes, socket errors, an exhausted pool, and a transaction whose
 * connection died under it.
 */
export function databaseUnavailable(error: unknown): boolean {
  if (error instanceof ConnectionException) return true;
  if (!(error instanceof Error)) return false;
  const code = codeOf(error);
  if (code.startsWith('08') || UNAVAILABLE_CODES.has(code)) return true;
  if (error.name === 'KnexTimeoutError' || /^Transaction query already complete/.test(error.message)) return true;
  // knex prefixes the statement ("COMMIT; - Connection terminated unexpectedly"); pg gives no code for these.
  return /(^|\s-\s)(Connection terminated|Client has encountered a connection error)/.test(error.message);
}

/**
 * A refusal the database may give any transaction under contention, after which the whole transaction
 * may simply run again: a deadlock or a serialization failure (PostgreSQL 40P01, 40001), or SQLite's
 * "database is locked" when another process holds the write lock past the busy timeout.
 */
export function isRetryableConflict(error: unknown): boolean {
  if (error instanceof DeadlockException || error instanceof LockWaitTimeoutException) return true;
  // A raw statement (connection.execute) reaches us as the driver's own error, not converted by the ORM.
  return error instanceof Error && RETRYABLE_CODES.has(codeOf(error));
}

const RETRYABLE_CODES = new Set(['40P01', '40001', 'SQLITE_BUSY']);

/** A write that kept meeting conflicting writes until its retries ran out (or was never retried). */
export const busyWithOtherWrites = () =>
  new DomainError(
    'SERVICE_UNAVAILABLE',
    'The hub is busy with other changes to the same thing. Nothing was saved; try again in a moment.',
    { retryable: true },
  );

export function classifyError(error: unknown): Classified {
  if (isDomainError(error)) {
    return { code: error.code, message: error.message, extensions: { ...error.extensions }, log: null };
  }
  if (databaseUnavailable(error)) {
    // The code, never the message: a driver message can carry the statement and its values.
    const line = `database unavailable (${codeOf(error) || (error as Error).name})`;
    return {
      code: 'SERVICE_UNAVAILABLE',
      message: UNAVAILABLE_MESSAGE,
      extensions: { retryable: true },
      log: { level: 'warn', line },
    };
  }
  if (isRetryableConflict(error)) {
    const busy = busyWithOtherWrites();
    const line = `write conflict not retried (${codeOf(error) || (error as Error).name})`;
    return { code: busy.code, message: busy.message, extensions: { ...busy.extensions }, log: { level: 'warn', line } };
  }
  return {
    code: 'INTERNAL_SERVER_ERROR',
    message: INTERNAL_ERROR_MESSAGE,
    extensions: {},
    log: { level: 'error', line: loggableError(error) },
  };
}
