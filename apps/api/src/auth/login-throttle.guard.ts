import { ExecutionContext, Injectable } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { DomainError } from '@hub/core';

/** The account a sign-in names, so guessing one member's password from many addresses is limited too. */
export function loginAccountTracker(req: { ip?: string }, context: ExecutionContext): string {
  const args = GqlExecutionContext.create(context).getArgs<{ email?: unknown }>();
  return typeof args.email === 'string' ? `account:${args.email.trim().toLowerCase()}` : `address:${req.ip}`;
}

/** Rate limits for `login` and `refreshToken`, per address and per account (see ThrottlerModule setup). */
@Injectable()
export class LoginThrottleGuard extends ThrottlerGuard {
  protected override getRequestResponse(context: ExecutionContext) {
    const ctx = GqlExecutionContext.create(context).getContext();
    return { req: ctx.req, res: ctx.req.res };
  }

  protected override async throwThrottlingException(_: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire || detail.timeToExpire));
    throw new DomainError('RATE_LIMITED', `Too many sign-in attempts. Wait ${seconds} seconds and try again.`, {
      retryAfterSeconds: seconds,
    });
  }
}
