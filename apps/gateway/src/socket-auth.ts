import { Logger } from '@nestjs/common';
import { type Actor, ApiScope, assertScope } from '@hub/access';
import { DomainError, isDomainError, type Metrics, unauthenticated } from '@hub/core';
import { type AuthService } from '@hub/identity';
import { clientAddress, type ConnectionCaps } from '@hub/platform';
import type { HubSocket } from './hub-socket';

const logger = new Logger('RoomsGateway');

/** What a handshake established, kept until the socket disconnects. */
export interface Handshake {
  actor: Actor;
  /** The client's address (through trusted proxies), for the connection caps and the logs. */
  address: string;
  /** Gives its place under the connection caps back. */
  release: () => void;
}

/** The token is not needed after the handshake; Socket.IO would keep it for the connection's life. */
const CHECKED: Record<string, never> = Object.freeze({});

/**
 * Handshake check: the access token from `auth: { token }` must be valid before the connection
 * exists at all, and the member and the address must be under their connection caps. A refusal
 * reaches the client as a connect_error with `data: { code, message }`. What it found is kept in
 * `handshakes` (never taken from the client) until the socket disconnects.
 */
export function socketAuthMiddleware(
  auth: AuthService,
  handshakes: WeakMap<HubSocket, Handshake>,
  metrics: Metrics,
  connections: { caps: ConnectionCaps; trustProxy: number },
) {
  // One listener for every socket (Socket.IO calls it on the socket), not a closure per socket.
  function disconnected(this: HubSocket, reason: string): void {
    const handshake = handshakes.get(this);
    if (!handshake) return;
    handshakes.delete(this);
    handshake.release();
    const { actor, address } = handshake;
    logger.log({ socket: this.id, memberId: actor.memberId, client: address, reason }, 'socket disconnected');
  }
  // Socket.IO ignores a middleware's promise: the refusal below must reach `next` itself.
  return (socket: HubSocket, next: (error?: Error) => void): void => void authenticate(socket, next);
  async function authenticate(socket: HubSocket, next: (error?: Error) => void): Promise<void> {
    try {
      const token: unknown = socket.handshake.auth?.token;
      if (typeof token !== 'string' || token === '') {
        throw unauthenticated('Send your access token in the handshake: io(url, { auth: { token } }).');
      }
      const address = clientAddress(socket.request, connections.trustProxy);
      const actor = await auth.authenticate(token, address);
      assertScope(actor, ApiScope.SUBSCRIBE);
      const release = connections.caps.admit(actor.memberId, address);
      socket.on('disconnect', disconnected);
      handshakes.set(socket, { actor, address, release });
      socket.handshake.auth = CHECKED;
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
