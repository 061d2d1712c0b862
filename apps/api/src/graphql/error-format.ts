import { unwrapResolverError } from '@apollo/server/errors';
import { DriverException, ConnectionException } from '@mikro-orm/core';
import { Logger } from '@nestjs/common';
import { isDomainError } from '@hub/core';
import { GraphQLFormattedError } from 'graphql';

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
  if (original instanceof ConnectionException || (original instanceof DriverException && /connect|terminat/i.test(original.message))) {
    logger.warn(`database unavailable: ${original.message}`);
    return { ...base, message: 'The database is unavailable right now. Nothing was saved; try again in a moment.', extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code) && !(original instanceof DriverException)) {
    return { ...base, message: formatted.message, extensions: { code } };
  }
  logger.error(original instanceof Error ? (original.stack ?? original.message) : String(original));
  return { ...base, message: 'Something went wrong on our side. Nothing you did caused it; try again, and tell an administrator if it persists.', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
