import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { bearerToken, IS_PUBLIC, unauthenticated } from '@hub/core';
import { AuthService } from '@hub/identity';
import { requestOf } from '../graphql/context';

/** Default deny: every operation needs a valid access token unless it is marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const req = requestOf(context);
    if (req.actor) return true; // one request, several root fields: authenticate once
    const header = req.headers.authorization;
    const token = bearerToken(header);
    if (!token) throw unauthenticated();
    req.actor = await this.auth.authenticate(token, req.ip);
    return true;
  }
}
