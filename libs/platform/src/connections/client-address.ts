import type { IncomingMessage } from 'node:http';

/**
 * The client's address as Express computes `req.ip` with `trust proxy` set to a hop count, for the
 * places that only have the raw upgrade request (Socket.IO handshakes, graphql-ws): the address
 * `trustProxy` hops back along X-Forwarded-For, or the peer itself when no proxy is trusted.
 */
export function clientAddress(request: IncomingMessage, trustProxy: number): string {
  const peer = request.socket?.remoteAddress ?? 'unknown';
  if (trustProxy <= 0) return peer;
  const header = request.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  // Nearest first: the peer, then the addresses each trusted proxy saw, right to left.
  const chain = [peer, ...forwarded.reverse()];
  return chain[Math.min(trustProxy, chain.length - 1)];
}
