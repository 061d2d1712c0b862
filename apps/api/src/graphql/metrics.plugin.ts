import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { isDomainError, type Metrics } from '@hub/core';
import { type GraphQLContext } from './context';
import { LIMIT_REASONS } from './limits';

/** Codes that are the server's trouble, not a refusal of the request. */
const NOT_REFUSALS = new Set(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE']);

function reasonOf(code: string, message: string): string {
  if (code === 'GRAPHQL_VALIDATION_FAILED' || code === 'GRAPHQL_PARSE_FAILED') {
    return (
      LIMIT_REASONS.find(([pattern]) => pattern.test(message))?.[1] ??
      (code === 'GRAPHQL_PARSE_FAILED' ? 'graphql_parse_failed' : 'graphql_validation')
    );
  }
  return code.toLowerCase();
}

/** Latency of each root field, and one refusal count per refused operation (by its first error's code). */
export function metricsPlugin(metrics: Metrics): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          const first = errors[0];
          const original = unwrapResolverError(first);
          const code = isDomainError(original)
            ? original.code
            : typeof first.extensions?.code === 'string'
              ? first.extensions.code
              : 'INTERNAL_SERVER_ERROR';
          if (NOT_REFUSALS.has(code)) return;
          // The mutation limit counts its own refusals (as mutation_rate_limited).
          if (isDomainError(original) && original.extensions?.limit === 'mutations') return;
          metrics.reject(reasonOf(code, first.message));
          // The HTTP layer would count the same request again by its status.
          const res = contextValue?.req?.res;
          if (res) res.locals.rejectionCounted = true;
        },
        async executionDidStart() {
          return {
            willResolveField({ info }) {
              if (info.path.prev !== undefined) return;
              const stop = metrics.resolverDuration.startTimer({
                type: info.operation.operation,
                field: info.fieldName,
              });
              // Nest's exception filters hand a resolver's error back as its result, not as a rejection.
              return (error, result) => stop({ outcome: error || result instanceof Error ? 'error' : 'ok' });
            },
          };
        },
      };
    },
  };
}
