import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { isDomainError } from '@hub/core';
import { Kind } from 'graphql';
import { type GraphQLContext } from './context';

/** What the request's log line says about its GraphQL operation: names and codes, never variables or text. */
export interface GraphQLLogInfo {
  operation: string;
  /** The document's operation name, if the client gave one (a GraphQL name: letters, digits, _). */
  name?: string;
  /** Root fields, at most 10. */
  fields: string[];
  /** Error codes, when some field failed. */
  errors?: string[];
}

/**
 * Puts the operation's type, name and root fields on the request, where the request log line
 * (libs/platform/src/observability/logging.ts) picks them up with the acting member's id and the
 * client's address. Enough to trace an incident; nothing a client typed beyond names in the schema.
 */
export function loggingPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, operationName, contextValue }) {
          const req = contextValue?.req as (GraphQLContext['req'] & { graphql?: GraphQLLogInfo }) | undefined;
          if (!req || !operation) return;
          req.graphql = {
            operation: operation.operation,
            ...(operationName ? { name: operationName } : {}),
            fields: operation.selectionSet.selections
              .map((selection) => (selection.kind === Kind.FIELD ? selection.name.value : `...${selection.kind}`))
              .slice(0, 10),
          };
        },
        async didEncounterErrors({ errors, contextValue }) {
          const req = contextValue?.req as (GraphQLContext['req'] & { graphql?: GraphQLLogInfo }) | undefined;
          if (!req?.graphql) return;
          req.graphql.errors = [
            ...new Set(
              errors.map((error) => {
                const original = unwrapResolverError(error);
                if (isDomainError(original)) return original.code;
                return typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR';
              }),
            ),
          ];
        },
      };
    },
  };
}
