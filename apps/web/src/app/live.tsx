import { createContext, type ReactNode, useContext, useEffect, useState, useSyncExternalStore } from 'react';
import { LiveConnection, type LiveState } from '../api/live';
import type { LiveEnvelope } from '../api/types';

interface Live {
  connection: LiveConnection;
  /** The latest events, newest last, each once (keyed by cursor). */
  recent: LiveEnvelope[];
}

const Context = createContext<Live | null>(null);
const KEEP = 200;

/** One live connection per task force screen; everything below reads from it. */
export function LiveProvider({ taskForceId, children }: { taskForceId: string; children: ReactNode }) {
  const [connection, setConnection] = useState<LiveConnection | null>(null);
  const [recent, setRecent] = useState<LiveEnvelope[]>([]);
  useEffect(() => {
    const created = new LiveConnection(taskForceId);
    setConnection(created);
    setRecent([]);
    const off = created.onEvent((event) => setRecent((list) => [...list, event].slice(-KEEP)));
    return () => {
      off();
      created.close();
    };
  }, [taskForceId]);
  if (!connection) return null;
  return <Context.Provider value={{ connection, recent }}>{children}</Context.Provider>;
}

export function useLive(required: false): Live | null;
export function useLive(required?: true): Live;
export function useLive(required = true): Live | null {
  const live = useContext(Context);
  if (!live && required) throw new Error('useLive outside LiveProvider');
  return live;
}

export function useLiveState(): LiveState {
  const { connection } = useLive();
  return useSyncExternalStore(
    (notify) => connection.onState(() => notify()),
    () => connection.current,
  );
}
