import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { isDomainError, type Metrics } from '@hub/core';
import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
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

/** One refusal count per refused operation (by its first error's code); root-field latency is timeRootFields'. */
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
      };
    },
  };
}

/**
 * Latency of each root query and mutation field, by wrapping those resolvers in the schema. Apollo's
 * willResolveField would do it too, but a plugin that has it makes Apollo wrap every field of every
 * answer (each scalar of each row) to time the few root ones.
 */
export function timeRootFields(schema: GraphQLSchema, metrics: Metrics): GraphQLSchema {
  for (const type of [schema.getQueryType(), schema.getMutationType()]) {
    if (!type) continue;
    const operation = type === schema.getQueryType() ? 'query' : 'mutation';
    for (const field of Object.values(type.getFields())) {
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        const stop = metrics.resolverDuration.startTimer({ type: operation, field: field.name });
        // Nest's exception filters hand a resolver's error back as its result, not as a rejection.
        const done = (result: unknown) => (stop({ outcome: result instanceof Error ? 'error' : 'ok' }), result);
        const failed = (error: unknown) => {
          stop({ outcome: 'error' });
          throw error;
        };
        try {
          const result = resolve(source, args, context, info);
          return result instanceof Promise ? result.then(done, failed) : done(result);
        } catch (error) {
          return failed(error);
        }
      };
    }
  }
  return schema;
}
