import { Actor } from '@hub/access';
import { DomainError, isDomainError, unauthenticated } from '@hub/core';
import { AuthService } from '@hub/identity';
import type { Socket } from 'socket.io';

export type HubSocket = Socket & { data: { actor: Actor } };

/**
 * Handshake check: the access token from `auth: { token }` must be valid before the connection
 * exists at all. A refusal reaches the client as a connect_error with `data: { code, message }`.
 */
export function socketAuthMiddleware(auth: AuthService) {
  return async (socket: Socket, next: (error?: Error) => void) => {
    try {
      const token: unknown = socket.handshake.auth?.token;
      if (typeof token !== 'string' || token === '') {
        throw unauthenticated('Send your access token in the handshake: io(url, { auth: { token } }).');
      }
      socket.data.actor = await auth.authenticate(token, socket.handshake.address);
      next();
    } catch (error) {
      const refusal = isDomainError(error) ? error : new DomainError('SERVICE_UNAVAILABLE', 'The hub cannot check your token right now. Try again shortly.');
      next(Object.assign(new Error(refusal.message), { data: { code: refusal.code, message: refusal.message } }));
    }
  };
}
