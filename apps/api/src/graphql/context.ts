import { type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { type Actor } from '@hub/access';
import { unauthenticated } from '@hub/core';
import type { Request } from 'express';
import type { WsConnection } from '../live/live-subscriptions';
import type { Loaders } from './loaders';

export type HubRequest = Request & { actor?: Actor };

export interface GraphQLContext {
  req: HubRequest;
  loaders: Loaders;
  /** The graphql-ws connection, for subscriptions: closed with 4403 when the session ends. */
  connection?: WsConnection;
}

/**
 * The arguments of a field that takes none, as GraphQL passes a resolver (parent, args, context). A
 * @ResolveField method whose parameters carry no decorator, `agency(member: MemberModel, _: NoArgs,
 * { loaders }: GraphQLContext)`, is called by GraphQL directly; one with @Parent() or @Context() goes
 * through Nest's pipeline on every call (parameter factories, the global pipe), and fields resolved once
 * per row of a list paid that per row. Field resolvers get no guards either way (fieldResolverEnhancers
 * is unset): they are reached only through a root field that checked the actor.
 */
export type NoArgs = Record<string, never>;

/** The HTTP request behind any execution context, GraphQL or plain HTTP. */
export function requestOf(context: ExecutionContext): HubRequest {
  if (context.getType<string>() === 'graphql')
    return GqlExecutionContext.create(context).getContext<GraphQLContext>().req;
  return context.switchToHttp().getRequest<HubRequest>();
}

export function actorOf(req: HubRequest): Actor {
  if (!req.actor) throw unauthenticated();
  return req.actor;
}
