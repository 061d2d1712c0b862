import type { ClientToServerEvents, ServerToClientEvents } from '@hub/contracts';
import { io, type Socket } from 'socket.io-client';

/** A socket.io-client socket typed by the hub's public contract. */
export type HubClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Connects with socket.io-client as an app would; resolves on connect, rejects with the refusal. */
export function connectSocket(url: string, token?: string): Promise<HubClientSocket> {
  const socket: HubClientSocket = io(url, {
    auth: token === undefined ? {} : { token },
    transports: ['websocket'],
    reconnection: false,
    timeout: 5000,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error: Error & { data?: unknown }) => {
      socket.close();
      reject(error);
    });
  });
}
