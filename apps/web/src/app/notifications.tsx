import type { NotificationPayload } from '@hub/contracts';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { subscribeToNotifications } from '../api/notifications';

interface Notifications {
  /** What arrived live since sign-in, newest first. */
  live: NotificationPayload[];
  /** Changes whenever the inbox may have changed (a live one, a reconnect, marking read): re-read counts then. */
  version: number;
  changed(): void;
}

const Context = createContext<Notifications>({ live: [], version: 0, changed: () => undefined });

/** The member's inbox, live (graphql-ws `myNotifications`) while signed in. */
export function NotificationsProvider({ children }: { children: ReactNode }) {
  const [live, setLive] = useState<NotificationPayload[]>([]);
  const [version, setVersion] = useState(0);
  const changed = useCallback(() => setVersion((v) => v + 1), []);
  useEffect(
    () =>
      subscribeToNotifications((notification) => {
        setLive((list) => [notification, ...list].slice(0, 30));
        changed();
      }, changed),
    [changed],
  );
  const value = useMemo(() => ({ live, version, changed }), [live, version, changed]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useNotifications(): Notifications {
  return useContext(Context);
}
