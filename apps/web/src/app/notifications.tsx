import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { subscribeToNotifications } from '../api/notifications';
import type { LiveEnvelope } from '../api/types';

const Context = createContext<LiveEnvelope[]>([]);

/** The member's own notifications (graphql-ws `myNotifications`) while signed in, newest first. */
export function NotificationsProvider({ children }: { children: ReactNode }) {
  const [events, setEvents] = useState<LiveEnvelope[]>([]);
  useEffect(() => subscribeToNotifications((event) => setEvents((list) => [event, ...list].slice(0, 30))), []);
  return <Context.Provider value={events}>{children}</Context.Provider>;
}

export function useNotifications(): LiveEnvelope[] {
  return useContext(Context);
}
