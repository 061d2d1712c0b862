import { type Actor } from '@hub/access';
import { DomainError, isDomainError, type Metrics, unauthenticated } from '@hub/core';
import { type AuthService } from '@hub/identity';
import type { HubSocket } from './hub-socket';

/**
 * Handshake check: the access token from `auth: { token }` must be valid before the connection
 * exists at all. A refusal reaches the client as a connect_error with `data: { code, message }`.
 * The actor it found is kept in `handshakes` (never taken from the client) until the connection starts.
 */
export function socketAuthMiddleware(auth: AuthService, handshakes: WeakMap<HubSocket, Actor>, metrics: Metrics) {
  // Socket.IO ignores a middleware's promise: the refusal below must reach `next` itself.
  return (socket: HubSocket, next: (error?: Error) => void): void => void authenticate(socket, next);
  async function authenticate(socket: HubSocket, next: (error?: Error) => void): Promise<void> {
    try {
      const token: unknown = socket.handshake.auth?.token;
      if (typeof token !== 'string' || token === '') {
        throw unauthenticated('Send your access token in the handshake: io(url, { auth: { token } }).');
      }
      const actor = await auth.authenticate(token, socket.handshake.address);
      handshakes.set(socket, actor);
      // Shared with other instances through the adapter (presence): only what is needed there.
      socket.data = { memberId: actor.memberId };
      next();
    } catch (error) {
      const refusal = isDomainError(error)
        ? error
        : new DomainError('SERVICE_UNAVAILABLE', 'The hub cannot check your token right now. Try again shortly.');
      metrics.reject(`socket_${refusal.code.toLowerCase()}`);
      next(Object.assign(new Error(refusal.message), { data: { code: refusal.code, message: refusal.message } }));
    }
  }
}
