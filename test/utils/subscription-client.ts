import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { waitUntil } from './wait';

/** What a live subscription yields (GraphQL `LiveEvent`, the public contract). */
export type { LiveEventMessage as LiveEvent } from '@hub/contracts';

export interface Subscribed<T> {
  received: T[];
  /** Set when the server completed the subscription or it failed. */
  ended: Promise<{ error?: unknown }>;
  /** Waits until `count` events arrived (or fails after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<T[]>;
  unsubscribe(): void;
}

/** graphql-ws over a real WebSocket to /graphql, with the token in connection_init as the contract says. */
export function subscriptionClient(
  httpUrl: string,
  token: string | undefined,
  onClose?: (code: number, reason: string) => void,
): Client {
  return createClient({
    url: `${httpUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token === undefined ? {} : { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
    // A refused or ended connection is asserted through onClose; graphql-ws would also print it.
    onNonLazyError: () => undefined,
    on: { closed: (event) => onClose?.((event as { code: number }).code, (event as { reason: string }).reason) },
  });
}

export function subscribe<T>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  field: string,
): Subscribed<T> {
  const received: T[] = [];
  let resolveEnded!: (value: { error?: unknown }) => void;
  const ended = new Promise<{ error?: unknown }>((resolve) => (resolveEnded = resolve));
  const unsubscribe = client.subscribe<Record<string, T>>(
    { query, variables },
    {
      next: (result) => {
        if (result.data?.[field]) received.push(result.data[field]);
        if (result.errors) resolveEnded({ error: result.errors });
      },
      error: (error) => resolveEnded({ error }),
      complete: () => resolveEnded({}),
    },
  );
  return {
    received,
    ended,
    unsubscribe,
    waitFor: async (count, timeoutMs = 5_000) => {
      await waitUntil(() => received.length >= count, `${count} events`, {
        timeoutMs,
        everyMs: 20,
        state: () => received,
      });
      return received;
    },
  };
}
