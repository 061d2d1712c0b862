import { unwrapResolverError } from '@apollo/server/errors';
import { DriverException, ConnectionException } from '@mikro-orm/core';
import { Logger } from '@nestjs/common';
import { isDomainError, loggableError } from '@hub/core';
import { type GraphQLFormattedError } from 'graphql';

const logger = new Logger('GraphQL');

/** Codes Apollo itself produces for a malformed request: their messages are safe and useful. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

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
 * The one place errors become responses: domain codes pass through with their sentence,
 * request errors keep Apollo's message, anything else is logged and masked.
 */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { locations: formatted.locations, path: formatted.path };
  if (isDomainError(original)) {
    return { ...base, message: original.message, extensions: { code: original.code, ...original.extensions } };
  }
  if (databaseUnavailable(original)) {
    // The code, never the message: a driver message can carry the statement and its values.
    logger.warn(`database unavailable (${codeOf(original) || (original as Error).name})`);
    return {
      ...base,
      message: 'The database is unavailable right now. Nothing was saved; try again in a moment.',
      extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true },
    };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code) && !(original instanceof DriverException)) {
    return { ...base, message: formatted.message, extensions: { code } };
  }
  logger.error(loggableError(original));
  return {
    ...base,
    message:
      'Something went wrong on our side. Nothing you did caused it; try again, and tell an administrator if it persists.',
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
