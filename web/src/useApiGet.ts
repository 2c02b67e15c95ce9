import { useCallback, useEffect, useState } from 'react';
import { api, type Query } from './api';

export interface ApiState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /**
   * `data` is the answer for the present path and query (perhaps being loaded again); false while
   * it is still the previous path's, kept on screen until the new answer comes.
   */
  current: boolean;
  /** Loads again (e.g. after a save or a failed attempt). */
  reload: () => void;
}

/** Loads `GET /api{path}` when the path or query changes; a null path waits (nothing to load yet). */
export function useApiGet<T>(path: string | null, query?: Query): ApiState<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean; of?: string }>({ loading: path !== null });
  const [attempt, setAttempt] = useState(0);
  const queryKey = JSON.stringify(query ?? {});
  const key = `${path}?${queryKey}`;

  useEffect(() => {
    if (path === null) return;
    let current = true;
    setState((previous) => ({ data: previous.data, loading: true, of: previous.of }));
    api.get<T>(path, JSON.parse(queryKey) as Query).then(
      (data) => current && setState({ data, loading: false, of: key }),
      (error: unknown) => current && setState({ error, loading: false }),
    );
    // A newer request replaces this one: drop its answer if it arrives late.
    return () => {
      current = false;
    };
  }, [path, queryKey, key, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, current: state.of === key, reload };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ApiList<T> extends ApiState<Page<T>> {
  items: T[];
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
}

/** A keyset-paged list (`{items, nextCursor}`): the first page, then more on request. */
export function useApiList<T>(path: string, query?: Query): ApiList<T> {
  const first = useApiGet<Page<T>>(path, query);
  const [more, setMore] = useState<{ items: T[]; nextCursor: string | null; loading: boolean; error?: unknown }>({
    items: [],
    nextCursor: null,
    loading: false,
  });
  // A new first page (reload or new query) starts the list again.
  useEffect(() => setMore({ items: [], nextCursor: null, loading: false }), [first.data]);

  const cursor = more.items.length > 0 ? more.nextCursor : (first.data?.nextCursor ?? null);
  const queryKey = JSON.stringify(query ?? {});
  const loadMore = useCallback(() => {
    if (!cursor) return;
    setMore((previous) => ({ ...previous, loading: true }));
    api.get<Page<T>>(path, { ...(JSON.parse(queryKey) as Query), cursor }).then(
      (page) => setMore((previous) => ({ items: [...previous.items, ...page.items], nextCursor: page.nextCursor, loading: false })),
      (error: unknown) => setMore((previous) => ({ ...previous, loading: false, error })),
    );
  }, [cursor, path, queryKey]);

  return {
    ...first,
    error: first.error ?? more.error,
    items: [...(first.data?.items ?? []), ...more.items],
    hasMore: cursor !== null,
    loadingMore: more.loading,
    loadMore,
  };
}
