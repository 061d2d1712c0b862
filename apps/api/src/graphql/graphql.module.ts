import { MikroORM } from '@mikro-orm/core';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { ActionItemsModule } from '@hub/action-items';
import { CaseSummariesModule } from '@hub/case-summaries';
import { AuthService, IdentityModule } from '@hub/identity';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { HUB_CONFIG, HubConfig, Metrics, withRequestEntityManager } from '@hub/core';
import { MeetingsModule } from '@hub/meetings';
import { LiveSessions } from '@hub/events';
import { clientAddress, ConnectionCaps, Drain } from '@hub/platform';
import { TaskForcesModule } from '@hub/task-forces';
import type { Request } from 'express';
import { execute, ExecutionArgs, GraphQLSchema, subscribe } from 'graphql';
import { GraphQLContext, HubRequest } from './context';
import { formatGraphQLError } from './error-format';
import { graphqlWsOptions, WsExtra } from './graphql-ws';
import { limitRules } from './limits';
import { LoadersFactory } from './loaders';
import { loggingPlugin } from './logging.plugin';
import { metricsPlugin, timeRootFields } from './metrics.plugin';

@Module({
  imports: [IdentityModule, TaskForcesModule, CaseSummariesModule, MeetingsModule, ActionItemsModule],
  providers: [LoadersFactory],
  exports: [LoadersFactory, IdentityModule],
})
class LoadersModule {}

/**
 * Apollo, code-first: the schema is generated from the models in memory (nothing written to disk).
 * Subscriptions use graphql-ws on the same path; the token comes in connection_init
 * `{ authorization: "Bearer …" }`, and a refused one closes the socket with 4403.
 */
export const HubGraphQLModule = GraphQLModule.forRootAsync<ApolloDriverConfig>({
  driver: ApolloDriver,
  imports: [LoadersModule],
  inject: [LoadersFactory, AuthService, MikroORM, Drain, Metrics, HUB_CONFIG, LiveSessions, ConnectionCaps],
  useFactory: (
    loaders: LoadersFactory,
    auth: AuthService,
    orm: MikroORM,
    drain: Drain,
    metrics: Metrics,
    config: HubConfig,
    live: LiveSessions,
    caps: ConnectionCaps,
  ) => ({
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    transformSchema: (schema: GraphQLSchema) => timeRootFields(schema, metrics),
    // Every switch explicit, whatever NODE_ENV says (see GraphQLLimits).
    playground: false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // Answers are no-store (configureHttp): cache hints would never be used, and the default plugin that
      // computes them makes Apollo wrap every field of every answer (willResolveField).
      ApolloServerPluginCacheControlDisabled(),
      metricsPlugin(metrics),
      loggingPlugin(),
    ],
    introspection: config.graphql.introspection,
    hideSchemaDetailsFromClientErrors: !config.graphql.suggestions,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    validationRules: limitRules(config.graphql),
    parseOptions: { maxTokens: config.graphql.maxTokens },
    formatError: formatGraphQLError,
    subscriptions: {
      // Operations over graphql-ws run outside an HTTP request: each gets its own ORM context, as a request would.
      execute: (args: ExecutionArgs) => withRequestEntityManager(orm.em, () => execute(args)),
      subscribe: (args: ExecutionArgs) => withRequestEntityManager(orm.em, () => subscribe(args)),
      'graphql-ws': graphqlWsOptions({ auth, live, drain, metrics, config, caps }),
    },
    context: (arg: { req?: Request; extra?: WsExtra }): GraphQLContext => {
      if (arg.extra?.token) {
        // A fresh request per operation, so the guard checks the token, session and memberships every
        // time: a connection opened before a removal or a logout does not keep its old rights.
        const { socket, request, token } = arg.extra;
        const req = {
          headers: { authorization: `Bearer ${token}` },
          ip: clientAddress(request, config.trustProxy),
        } as unknown as HubRequest;
        return {
          req,
          loaders: loaders.create(req),
          connection: { close: (code, reason) => socket.close(code, reason) },
        };
      }
      const req = arg.req as HubRequest;
      return { req, loaders: loaders.create(req) };
    },
  }),
});
