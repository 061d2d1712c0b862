/**
 * The member's own notifications (`myNotifications`) over graphql-ws on /graphql: items assigned to
 * them or their agency, meetings called, started or cancelled, in every task force they belong to.
 */
import type { LiveEventMessage } from '@hub/contracts';
import { createClient, type Client } from 'graphql-ws';
import { session } from './session';
import type { LiveEnvelope } from './types';

const MY_NOTIFICATIONS = `subscription MyNotifications { myNotifications { type taskForceId cursor at actorId data withheld } }`;

export function subscribeToNotifications(onEvent: (event: LiveEnvelope) => void): () => void {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  const client: Client = createClient({
    url,
    lazy: false,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    retryWait: async (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(1_000 * 2 ** retries, 15_000))),
    connectionParams: async () => {
      const token = await session.freshToken();
      return { authorization: `Bearer ${token ?? ''}` };
    },
    on: {
      // 4403: the session ended or the token expired; refresh so the retry carries a good one.
      closed: (event) => {
        if ((event as CloseEvent | undefined)?.code === 4403) void session.refresh();
      },
    },
  });
  const stop = client.subscribe<{ myNotifications: LiveEventMessage }>(
    { query: MY_NOTIFICATIONS },
    {
      next: ({ data }) => {
        const raw = data?.myNotifications;
        if (raw) onEvent(fromMessage(raw));
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );
  return () => {
    stop();
    void client.dispose();
  };
}

/** The envelope again, from the subscription's JSON `data` (the server sent it from the same contract). */
function fromMessage({ data, withheld, ...rest }: LiveEventMessage): LiveEnvelope {
  // JSON.parse answers `any`: the payload is whatever the contract says for this type.
  const payload = data === null ? null : JSON.parse(data);
  return withheld ? { ...rest, data: null, withheld } : { ...rest, data: payload };
}
