import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { ApiScope, assertScope } from '@hub/access';
import { bearerToken, IS_PUBLIC, unauthenticated } from '@hub/core';
import { AuthService } from '@hub/identity';
import { MemberRateLimit } from '@hub/platform';
import type { GraphQLResolveInfo, OperationTypeNode } from 'graphql';
import { requestOf } from '../graphql/context';

const SCOPE_OF_OPERATION: Record<OperationTypeNode, ApiScope> = {
  query: ApiScope.READ,
  mutation: ApiScope.WRITE,
  subscription: ApiScope.SUBSCRIBE,
};

/**
 * Default deny: every operation needs a valid access token (or a service account's API key) unless it
 * is marked @Public(). A key is also held to its scopes, per root field, and to its own request budget.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly limit: MemberRateLimit,
  ) {}

  /** @Public() per resolver class and method, read once: the metadata lookups ran on every root field. */
  private readonly publicHandlers = new WeakMap<object, WeakMap<object, boolean>>();

  private isPublic(context: ExecutionContext): boolean {
    const [handler, type] = [context.getHandler(), context.getClass()];
    let handlers = this.publicHandlers.get(type);
    if (!handlers) this.publicHandlers.set(type, (handlers = new WeakMap()));
    let found = handlers.get(handler);
    if (found === undefined)
      handlers.set(handler, (found = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler, type]) === true));
    return found;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.isPublic(context)) return true;
    const req = requestOf(context);
    // One request, several root fields: authenticate once.
    if (!req.actor) {
      const token = bearerToken(req.headers.authorization);
      if (!token) throw unauthenticated();
      req.actor = await this.auth.authenticate(token, req.ip);
    }
    const account = req.actor.serviceAccount;
    if (account) {
      const scope =
        context.getType<string>() === 'graphql'
          ? SCOPE_OF_OPERATION[GqlExecutionContext.create(context).getInfo<GraphQLResolveInfo>().operation.operation]
          : ApiScope.READ;
      assertScope(req.actor, scope);
      await this.limit.takeServiceAccount(account.id);
    }
    return true;
  }
}
