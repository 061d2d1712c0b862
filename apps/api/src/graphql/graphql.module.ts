import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { ActionItemsModule } from '@hub/action-items';
import { CaseSummariesModule } from '@hub/case-summaries';
import { IdentityModule } from '@hub/identity';
import { MeetingsModule } from '@hub/meetings';
import { TaskForcesModule } from '@hub/task-forces';
import type { Request } from 'express';
import { GraphQLContext } from './context';
import { formatGraphQLError } from './error-format';
import { LoadersFactory } from './loaders';

@Module({
  imports: [IdentityModule, TaskForcesModule, CaseSummariesModule, MeetingsModule, ActionItemsModule],
  providers: [LoadersFactory],
  exports: [LoadersFactory],
})
class LoadersModule {}

/** Apollo, code-first: the schema is generated from the models in memory (nothing written to disk). */
export const HubGraphQLModule = GraphQLModule.forRootAsync<ApolloDriverConfig>({
  driver: ApolloDriver,
  imports: [LoadersModule],
  inject: [LoadersFactory],
  useFactory: (loaders: LoadersFactory) => ({
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    playground: false,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    formatError: formatGraphQLError,
    context: ({ req }: { req: Request }): GraphQLContext => ({ req, loaders: loaders.create(req) }),
  }),
});
