import { Logger } from '@nestjs/common';
import type { GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import { type Actor, ApiScope, hasScope } from '@hub/access';
import { bearerToken, type HubConfig, isDomainError, type Metrics } from '@hub/core';
import { type LiveSession, type LiveSessions, type SessionEndReason } from '@hub/events';
import { type AuthService } from '@hub/identity';
import { clientAddress, CLOSE_SERVICE_RESTART, type ConnectionCaps, type Drain, SHUTDOWN_MESSAGE } from '@hub/platform';
import {
  type DocumentNode,
  type ExecutionResult,
  GraphQLError,
  type GraphQLSchema,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type ValidationRule,
} from 'graphql';
import type { Context as WsContext, SubscribeMessage } from 'graphql-ws';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { CLOSE_FORBIDDEN } from '../live/live-subscriptions';
import { formatGraphQLError } from './error-format';
import { LIMIT_REASONS, limitRules } from './limits';

export type WsExtra = { socket: WebSocket; request: IncomingMessage; token?: string };

/** Tagged as Apollo tags them over HTTP, so the formatter passes their message (which names the limit) through. */
function requestError(error: GraphQLError, code: 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED'): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { code },
  });
}

const reasonOf = (message: string, fallback: string) =>
  LIMIT_REASONS.find(([pattern]) => pattern.test(message))?.[1] ?? fallback;

/** The close reason a graphql-ws client gets, with CLOSE_FORBIDDEN, when the watch ends its connection. */
export const CLOSE_REASONS: Record<SessionEndReason, string> = {
  disabled: 'Forbidden: the session ended',
  revoked: 'Forbidden: the session ended',
  expired: 'Forbidden: the access token expired',
};

/**
 * graphql-ws runs outside Apollo, so everything Apollo does for HTTP is done again here: the same
 * parser token limit, validation rules, introspection and suggestion switches, error format and
 * refusal counts. The live-session watch also ends each connection (4403) when its session ends or its
 * token expires, on every instance, even with no subscription open; on shutdown it is told to reconnect (1012).
 */
/** Close code for a connection over its member's or address's cap (application range 4000–4999). */
export const CLOSE_TOO_MANY = 4429;

const logger = new Logger('GraphQLWs');

export function graphqlWsOptions(deps: {
  auth: AuthService;
  live: LiveSessions;
  drain: Drain;
  metrics: Metrics;
  config: HubConfig;
  caps: ConnectionCaps;
}): GraphQLWsSubscriptionsConfig {
  const { auth, live, drain, metrics, config, caps } = deps;
  const connections = new Map<WebSocket, LiveSession>();
  const rules: ValidationRule[] = [
    ...specifiedRules,
    ...limitRules(config.graphql),
    ...(config.graphql.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
  ];

  drain.register('graphql-ws connections', () => {
    const open = [...connections.keys()];
    for (const socket of open) socket.close(CLOSE_SERVICE_RESTART, SHUTDOWN_MESSAGE);
    // A client that does not answer the close handshake would hold the server open for ws's 30 s
    // close timeout (the server's close waits for every client): cut those after a second.
    setTimeout(() => open.forEach((socket) => socket.terminate()), 1_000);
    return open.length;
  });

  // Nest's type lists a subset of graphql-ws's options, and passes every option through.
  return <GraphQLWsSubscriptionsConfig>{
    path: '/graphql',
    onSubscribe: (_ctx: unknown, _id: string, payload: SubscribeMessage['payload']) => {
      try {
        // graphql-ws parses without options: the token limit is checked here first.
        parse(payload.query, { maxTokens: config.graphql.maxTokens });
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        metrics.reject(reasonOf(error.message, 'graphql_parse_failed'));
        // Sent through onError below, which formats it like every other error.
        return [requestError(error, 'GRAPHQL_PARSE_FAILED')];
      }
      return undefined;
    },
    validate: (schema: GraphQLSchema, document: DocumentNode) =>
      validate(schema, document, rules, { maxErrors: 10, hideSuggestions: !config.graphql.suggestions }).map(
        (error) => {
          metrics.reject(reasonOf(error.message, 'graphql_validation'));
          return requestError(error, 'GRAPHQL_VALIDATION_FAILED');
        },
      ),
    onNext: (_ctx: unknown, _id: string, _payload: unknown, _args: unknown, result: ExecutionResult) =>
      result.errors?.length
        ? { ...result, errors: result.errors.map((e) => formatGraphQLError(e.toJSON(), e)) }
        : undefined,
    onError: (_ctx: unknown, _id: string, _payload: unknown, errors: readonly GraphQLError[]) =>
      errors.map((e) => formatGraphQLError(e.toJSON(), e)),
    onConnect: async (ctx: WsContext<Record<string, unknown> | undefined, unknown>) => {
      const extra = ctx.extra as WsExtra;
      const token = bearerToken(ctx.connectionParams?.authorization);
      const address = clientAddress(extra.request, config.trustProxy);
      let actor: Actor;
      try {
        if (!token) throw new Error('no token');
        actor = await auth.authenticate(token, address);
      } catch {
        metrics.reject('subscription_unauthenticated');
        return false;
      }
      // A service account's key without the subscribe scope opens no live connection (4403, like a refused token).
      if (!hasScope(actor, ApiScope.SUBSCRIBE)) {
        metrics.reject('subscription_forbidden_scope');
        return false;
      }
      // It may have gone while the token was checked: its close event has passed, so nothing would remove it.
      if (extra.socket.readyState !== extra.socket.OPEN) return false;
      let release: () => void;
      try {
        release = caps.admit(actor.memberId, address);
      } catch (error) {
        if (!isDomainError(error)) throw error;
        // 4429 (like HTTP 429): the client should wait before reconnecting, not retry at once.
        extra.socket.close(CLOSE_TOO_MANY, error.message.slice(0, 120));
        return false;
      }
      extra.token = token;
      const session = live.watch(actor, {
        end: (reason) => extra.socket.close(CLOSE_FORBIDDEN, CLOSE_REASONS[reason]),
      });
      connections.set(extra.socket, session);
      metrics.socketsConnected.inc({ transport: 'graphql-ws' });
      logger.log({ memberId: actor.memberId, client: address }, 'graphql-ws connected');
      extra.socket.once('close', (code: number) => {
        logger.log({ memberId: actor.memberId, client: address, code }, 'graphql-ws closed');
        release();
        session.release();
        connections.delete(extra.socket);
        metrics.socketsConnected.dec({ transport: 'graphql-ws' });
      });
      return true;
    },
  };
}
