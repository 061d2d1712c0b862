import { UseGuards } from '@nestjs/common';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { Actor } from '@hub/access';
import { Public } from '@hub/core';
import { AuthService } from '@hub/identity';
import { GraphQLContext } from '../graphql/context';
import { CurrentActor } from '../graphql/current-actor.decorator';
import { LoginArgs, RefreshTokenArgs } from './auth.input';
import { AuthPayloadModel } from './auth.model';
import { LoginThrottleGuard } from './login-throttle.guard';

@Resolver()
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @UseGuards(LoginThrottleGuard)
  @Mutation(() => AuthPayloadModel, { description: 'Sign in. The error never tells whether the email exists.' })
  login(@Args() { email, password }: LoginArgs, @Context() { req }: GraphQLContext): Promise<AuthPayloadModel> {
    return this.auth.login(email, password, req.ip);
  }

  @Public()
  @UseGuards(LoginThrottleGuard)
  @Mutation(() => AuthPayloadModel, {
    description:
      'Rotate a refresh token. Reusing a spent one ends that whole session, unless the client that spent it presents it again within REFRESH_RETRY_SECONDS (30 s) before anything rotated from it: its answer was lost, and it gets a new pair.',
  })
  refreshToken(@Args() { token }: RefreshTokenArgs, @Context() { req }: GraphQLContext): Promise<AuthPayloadModel> {
    return this.auth.refresh(token, req.ip);
  }

  @Mutation(() => Boolean, { description: 'End the current session: its access and refresh tokens stop working.' })
  async logout(@CurrentActor() actor: Actor): Promise<boolean> {
    await this.auth.logout(actor);
    return true;
  }
}
