import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { GraphQLLimits } from '@hub/core';
import { GraphQLError, ValidationContext, ValidationRule } from 'graphql';

/**
 * The rules throw by default, which Apollo answers as a 500; reported instead, a refusal is an
 * ordinary validation error (400, GRAPHQL_VALIDATION_FAILED) with the limit in its message.
 */
const report = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''))),
  ],
};

/** Reasons `hub_rejected_requests_total` shows for operations refused by a limit, by the rule's message. */
export const LIMIT_REASONS: [RegExp, string][] = [
  [/depth limit/i, 'query_depth'],
  [/cost limit/i, 'query_cost'],
  [/aliases limit/i, 'query_aliases'],
  [/directives limit/i, 'query_directives'],
  // graphql-js says "more that 5000 tokens".
  [/more tha[nt] \d+ tokens/i, 'query_tokens'],
];

/**
 * What one operation may ask for, on HTTP and graphql-ws alike: depth, aliases, directives and an
 * estimated cost (objects and scalars, weighted by depth). Token count is limited by the parser.
 */
export function limitRules(limits: GraphQLLimits): ValidationRule[] {
  return [
    maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: true, ...report }),
    maxAliasesRule({ n: limits.maxAliases, ...report }),
    maxDirectivesRule({ n: limits.maxDirectives, ...report }),
    costLimitRule({ maxCost: limits.maxCost, ignoreIntrospection: true, ...report }),
  ] as ValidationRule[];
}

/** Bytes one graphql-ws message may have: a subscription is a short query and a cursor. */
export const WS_MAX_PAYLOAD = 64 * 1024;

/**
 * Nest creates the graphql-ws WebSocket server with ws's 100 MiB default frame limit and no option to
 * change it; ws reads the limit at each upgrade, so it is set here before the first client connects.
 */
@Injectable()
export class GraphQLWsPayloadLimit implements OnApplicationBootstrap {
  constructor(private readonly modules: ModuleRef) {}

  onApplicationBootstrap(): void {
    const driver = this.modules.get(GraphQLModule, { strict: false }).graphQlAdapter as unknown as {
      _subscriptionService?: { wss?: { options?: { maxPayload?: number } } };
    };
    const options = driver._subscriptionService?.wss?.options;
    if (!options)
      throw new Error('graphql-ws server not found: cannot limit its message size (has @nestjs/apollo changed?)');
    options.maxPayload = WS_MAX_PAYLOAD;
  }
}
