import { io, type Socket } from 'socket.io-client';

/** Connects with socket.io-client as an app would; resolves on connect, rejects with the refusal. */
export function connectSocket(url: string, token?: string): Promise<Socket> {
  const socket = io(url, {
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
