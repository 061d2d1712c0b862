import { unwrapResolverError } from '@apollo/server/errors';
import { DriverException } from '@mikro-orm/core';
import { Logger } from '@nestjs/common';
import { classifyError } from '@hub/core';
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

/**
 * Errors become GraphQL errors here, as `classifyError` decides: domain codes pass through with their
 * sentence, an unavailable database is retryable SERVICE_UNAVAILABLE, anything else is logged and masked.
 * The one GraphQL-only case: Apollo's own request errors keep Apollo's message.
 */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { locations: formatted.locations, path: formatted.path };
  const classified = classifyError(original);
  const code = formatted.extensions?.code;
  if (
    classified.code === 'INTERNAL_SERVER_ERROR' &&
    typeof code === 'string' &&
    REQUEST_ERROR_CODES.has(code) &&
    !(original instanceof DriverException)
  ) {
    return { ...base, message: formatted.message, extensions: { code } };
  }
  if (classified.log) logger[classified.log.level](classified.log.line);
  return { ...base, message: classified.message, extensions: { code: classified.code, ...classified.extensions } };
}
