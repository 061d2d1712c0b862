/**
 * The member's inbox live (`myNotifications`) over graphql-ws on /graphql: one `notification.created`
 * per new inbox entry, from every task force they belong to. Kinds and ids only, never titles.
 */
import type { LiveEventMessage, NotificationPayload } from '@hub/contracts';
import { createClient, type Client } from 'graphql-ws';
import { session } from './session';

const MY_NOTIFICATIONS = `subscription MyNotifications { myNotifications { type taskForceId cursor at actorId data withheld } }`;

/** `onReconnect`: the connection came back; what arrived meanwhile is in the inbox, not in this stream. */
export function subscribeToNotifications(
  onNotification: (notification: NotificationPayload) => void,
  onReconnect: () => void,
): () => void {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  let connections = 0;
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
      connected: () => {
        if (connections++ > 0) onReconnect();
      },
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
        // The server sends the payload from the same contract, as JSON.
        if (raw?.type === ('notification.created' as string) && raw.data)
          onNotification(JSON.parse(raw.data) as NotificationPayload);
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
