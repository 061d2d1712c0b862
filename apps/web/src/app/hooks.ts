import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { ApiError, type Operation } from '../api/graphql';
import { session } from '../api/session';
import type { LiveEnvelope } from '../api/types';
import { useLive } from './live';

export function useSignedIn(): boolean {
  return useSyncExternalStore(
    (notify) => session.subscribe(() => notify()),
    () => session.signedIn,
  );
}

export interface QueryState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload(): void;
}

/**
 * Runs a query and keeps its latest answer; reloads when the variables change, and when a live
 * event for which `refetchOn` says yes arrives (several in a burst, as after a catch-up, cost one
 * reload). `null` variables mean "not yet".
 */
export function useQuery<TData, TVariables>(
  op: Operation<TData, TVariables>,
  variables: TVariables | null,
  refetchOn?: (event: LiveEnvelope) => boolean,
): QueryState<TData> {
  const [state, setState] = useState<{ data?: TData; error?: ApiError; loading: boolean }>({
    loading: variables !== null,
  });
  const key = variables === null ? null : JSON.stringify(variables);
  const generation = useRef(0);
  const load = useCallback(() => {
    if (key === null) return;
    const mine = ++generation.current;
    setState((previous) => ({ ...previous, loading: true }));
    session.request(op, JSON.parse(key) as TVariables).then(
      (data) => mine === generation.current && setState({ data, loading: false }),
      (error: unknown) =>
        mine === generation.current &&
        setState((previous) => ({
          data: previous.data,
          loading: false,
          error: error instanceof ApiError ? error : new ApiError(String(error), 'INTERNAL_SERVER_ERROR'),
        })),
    );
  }, [op, key]);
  useEffect(load, [load]);

  const connection = useLive(false)?.connection;
  const filter = useRef(refetchOn);
  filter.current = refetchOn;
  useEffect(() => {
    if (!connection || !filter.current) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      clearTimeout(timer);
      timer = setTimeout(load, 80);
    };
    const offEvent = connection.onEvent((event) => filter.current?.(event) && soon());
    const offResync = connection.onResync(soon);
    return () => {
      clearTimeout(timer);
      offEvent();
      offResync();
    };
  }, [connection, load]);

  return { data: state.data, error: state.error, loading: state.loading, reload: load };
}

/** A mutation with its pending state and last error, for forms and buttons. */
export function useMutation<TData, TVariables>(op: Operation<TData, TVariables>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const run = useCallback(
    async (variables: TVariables): Promise<TData | undefined> => {
      setPending(true);
      setError(undefined);
      try {
        return await session.request(op, variables);
      } catch (caught) {
        setError(caught instanceof ApiError ? caught : new ApiError(String(caught), 'INTERNAL_SERVER_ERROR'));
        return undefined;
      } finally {
        setPending(false);
      }
    },
    [op],
  );
  return { run, pending, error, clearError: () => setError(undefined) };
}
