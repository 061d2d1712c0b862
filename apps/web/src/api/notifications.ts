/**
 * The member's own notifications (`myNotifications`) over graphql-ws on /graphql: items assigned to
 * them or their agency, meetings called, started or cancelled, in every task force they belong to.
 */
import { createClient, type Client } from 'graphql-ws';
import { session } from './session';
import type { LiveEnvelope } from './types';

const MY_NOTIFICATIONS = `subscription MyNotifications { myNotifications { type taskForceId cursor at actorId data withheld } }`;

interface Raw extends Omit<LiveEnvelope, 'data'> {
  data: string | null;
}

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
  const stop = client.subscribe<{ myNotifications: Raw }>(
    { query: MY_NOTIFICATIONS },
    {
      next: ({ data }) => {
        const raw = data?.myNotifications;
        if (raw) onEvent({ ...raw, data: raw.data ? (JSON.parse(raw.data) as Record<string, unknown>) : null });
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
