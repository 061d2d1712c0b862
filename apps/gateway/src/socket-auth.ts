import { Logger } from '@nestjs/common';
import { type Actor } from '@hub/access';
import { DomainError, isDomainError, type Metrics, unauthenticated } from '@hub/core';
import { type AuthService } from '@hub/identity';
import { clientAddress, type ConnectionCaps } from '@hub/platform';
import type { Socket } from 'socket.io';
import { SocketRateLimit } from './socket-limits';

const logger = new Logger('RoomsGateway');

/** What the gateway keeps per socket. Set by the handshake; never taken from the client. */
export interface SocketState {
  actor: Actor;
  limit: SocketRateLimit;
  /** room name → what it is, for leaving and re-checking. */
  joined: Map<string, { taskForceId: string; meetingId?: string; presenceRoom: string }>;
  expiry?: NodeJS.Timeout;
  /** The client's address (through trusted proxies), for the connection caps and the logs. */
  address: string;
  /** Its rate limiting has been logged once already. */
  limitLogged?: boolean;
}

/**
 * Handshake check: the access token from `auth: { token }` must be valid before the connection
 * exists at all, and the member and the address must be under their connection caps. A refusal
 * reaches the client as a connect_error with `data: { code, message }`.
 */
export function socketAuthMiddleware(
  auth: AuthService,
  states: WeakMap<Socket, SocketState>,
  metrics: Metrics,
  connections: { caps: ConnectionCaps; trustProxy: number },
) {
  // Socket.IO ignores a middleware's promise: the refusal below must reach `next` itself.
  return (socket: Socket, next: (error?: Error) => void): void => void authenticate(socket, next);
  async function authenticate(socket: Socket, next: (error?: Error) => void): Promise<void> {
    try {
      const token: unknown = socket.handshake.auth?.token;
      if (typeof token !== 'string' || token === '') {
        throw unauthenticated('Send your access token in the handshake: io(url, { auth: { token } }).');
      }
      const address = clientAddress(socket.request, connections.trustProxy);
      const state: SocketState = {
        actor: await auth.authenticate(token, address),
        limit: new SocketRateLimit(),
        joined: new Map(),
        address,
      };
      const release = connections.caps.admit(state.actor.memberId, address);
      socket.once('disconnect', (reason: string) => {
        release();
        logger.log(
          { socket: socket.id, memberId: state.actor.memberId, client: address, reason },
          'socket disconnected',
        );
      });
      states.set(socket, state);
      // Shared with other instances through the adapter (presence): only what is needed there.
      socket.data = { memberId: state.actor.memberId };
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
