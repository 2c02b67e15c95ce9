import { useCallback, useEffect, useState } from 'react';
import { api, type Query } from './api';

export interface ApiState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again (e.g. after a save or a failed attempt). */
  reload: () => void;
}

/** Loads `GET /api{path}` when the path or query changes; a null path waits (nothing to load yet). */
export function useApiGet<T>(path: string | null, query?: Query): ApiState<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: path !== null });
  const [attempt, setAttempt] = useState(0);
  const queryKey = JSON.stringify(query ?? {});

  useEffect(() => {
    if (path === null) return;
    let current = true;
    setState((previous) => ({ data: previous.data, loading: true }));
    api.get<T>(path, JSON.parse(queryKey) as Query).then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) => current && setState({ error, loading: false }),
    );
    // A newer request replaces this one: drop its answer if it arrives late.
    return () => {
      current = false;
    };
  }, [path, queryKey, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
