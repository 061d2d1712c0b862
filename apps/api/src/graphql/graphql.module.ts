import { MikroORM, RequestContext } from '@mikro-orm/core';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import type { GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { ActionItemsModule } from '@hub/action-items';
import { CaseSummariesModule } from '@hub/case-summaries';
import { AuthService, IdentityModule } from '@hub/identity';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { HUB_CONFIG, HubConfig, Metrics } from '@hub/core';
import { MeetingsModule } from '@hub/meetings';
import { CLOSE_SERVICE_RESTART, Drain, SHUTDOWN_MESSAGE } from '@hub/platform';
import { TaskForcesModule } from '@hub/task-forces';
import type { Request } from 'express';
import { execute, ExecutionArgs, ExecutionResult, GraphQLError, specifiedRules, subscribe, validate } from 'graphql';
import type { Context as WsContext } from 'graphql-ws';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { GraphQLContext, HubRequest } from './context';
import { formatGraphQLError } from './error-format';
import { limitRules } from './limits';
import { LoadersFactory } from './loaders';
import { metricsPlugin } from './metrics.plugin';

@Module({
  imports: [IdentityModule, TaskForcesModule, CaseSummariesModule, MeetingsModule, ActionItemsModule],
  providers: [LoadersFactory],
  exports: [LoadersFactory, IdentityModule],
})
class LoadersModule {}

type WsExtra = { socket: WebSocket; request: IncomingMessage; token?: string };

function bearer(value: unknown): string | undefined {
  return typeof value === 'string' ? /^Bearer\s+(\S+)$/i.exec(value)?.[1] : undefined;
}

/**
 * Apollo, code-first: the schema is generated from the models in memory (nothing written to disk).
 * Subscriptions use graphql-ws on the same path; the token comes in connection_init
 * `{ authorization: "Bearer …" }`, and a refused one closes the socket with 4403.
 */
export const HubGraphQLModule = GraphQLModule.forRootAsync<ApolloDriverConfig>({
  driver: ApolloDriver,
  imports: [LoadersModule],
  inject: [LoadersFactory, AuthService, MikroORM, Drain, Metrics, HUB_CONFIG],
  useFactory: (loaders: LoadersFactory, auth: AuthService, orm: MikroORM, drain: Drain, metrics: Metrics, config: HubConfig) => {
    const connections = new Set<WebSocket>();
    const limits = limitRules(config.graphql);
    const wsRules = [...specifiedRules, ...limits];
    drain.register('graphql-ws connections', () => {
      const open = [...connections];
      for (const socket of open) socket.close(CLOSE_SERVICE_RESTART, SHUTDOWN_MESSAGE);
      // A client that does not answer the close handshake would hold the server open for ws's 30 s
      // close timeout (the server's close waits for every client): cut those after a second.
      setTimeout(() => open.forEach((socket) => socket.terminate()), 1_000);
      return open.length;
    });
    return {
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    // Every switch explicit, whatever NODE_ENV says (see GraphQLLimits).
    playground: false,
    plugins: [ApolloServerPluginLandingPageDisabled(), metricsPlugin(metrics)],
    introspection: config.graphql.introspection,
    hideSchemaDetailsFromClientErrors: !config.graphql.suggestions,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    validationRules: limits,
    parseOptions: { maxTokens: config.graphql.maxTokens },
    formatError: formatGraphQLError,
    subscriptions: {
      // Operations over graphql-ws run outside an HTTP request: each gets its own ORM context, as a request would.
      execute: (args: ExecutionArgs) => RequestContext.create(orm.em, () => execute(args)),
      subscribe: (args: ExecutionArgs) => RequestContext.create(orm.em, () => subscribe(args)),
      // onError is graphql-ws's own option; Nest's type lists a subset, and passes every option through.
      'graphql-ws': <GraphQLWsSubscriptionsConfig>{
        path: '/graphql',
        // The same limits as over HTTP (Apollo's validationRules do not reach graphql-ws).
        validate: (schema: Parameters<typeof validate>[0], document: Parameters<typeof validate>[1]) => validate(schema, document, wsRules, { maxErrors: 10 }),
        // graphql-ws runs operations itself, outside Apollo: errors go through the same formatter here.
        onNext: (_ctx: unknown, _id: string, _payload: unknown, _args: unknown, result: ExecutionResult) =>
          result.errors?.length ? { ...result, errors: result.errors.map((e) => formatGraphQLError(e.toJSON(), e)) } : undefined,
        onError: (_ctx: unknown, _id: string, _payload: unknown, errors: readonly GraphQLError[]) => errors.map((e) => formatGraphQLError(e.toJSON(), e)),
        onConnect: async (ctx: WsContext<Record<string, unknown> | undefined, unknown>) => {
          const extra = ctx.extra as WsExtra;
          const token = bearer(ctx.connectionParams?.authorization);
          if (!token) {
            metrics.reject('subscription_unauthenticated');
            return false;
          }
          try {
            await auth.authenticate(token, extra.request.socket.remoteAddress);
          } catch {
            metrics.reject('subscription_unauthenticated');
            return false;
          }
          extra.token = token;
          connections.add(extra.socket);
          metrics.socketsConnected.inc({ transport: 'graphql-ws' });
          extra.socket.once('close', () => {
            connections.delete(extra.socket);
            metrics.socketsConnected.dec({ transport: 'graphql-ws' });
          });
          return true;
        },
      },
    },
    context: (arg: { req?: Request; extra?: WsExtra }): GraphQLContext => {
      if (arg.extra?.token) {
        // A fresh request per operation, so the guard checks the token, session and memberships every
        // time: a connection opened before a removal or a logout does not keep its old rights.
        const { socket, request, token } = arg.extra;
        const req = { headers: { authorization: `Bearer ${token}` }, ip: request.socket.remoteAddress } as unknown as HubRequest;
        return { req, loaders: loaders.create(req), connection: { close: (code, reason) => socket.close(code, reason) } };
      }
      const req = arg.req as HubRequest;
      return { req, loaders: loaders.create(req) };
    },
    };
  },
});
