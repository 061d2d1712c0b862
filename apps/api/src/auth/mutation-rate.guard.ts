import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { MemberRateLimit } from '@hub/platform';
import { requestOf } from '../graphql/context';

/**
 * Every mutation field a signed-in member runs counts against their limit (a request with ten
 * mutation fields counts ten). Sign-in and refresh are public and have their own limits.
 */
@Injectable()
export class MutationRateGuard implements CanActivate {
  constructor(private readonly limit: MemberRateLimit) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<string>() !== 'graphql') return true;
    if (GqlExecutionContext.create(context).getInfo().operation.operation !== 'mutation') return true;
    const actor = requestOf(context).actor;
    if (actor) await this.limit.take(actor.memberId);
    return true;
  }
}
