import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, setCsrfToken, setSessionLostHandler } from './api';

export type Role = 'admin' | 'operator' | 'provider' | 'city' | 'resident';
export const ALL_ROLES: Role[] = ['admin', 'operator', 'provider', 'city', 'resident'];
/** Staff who see the whole community's registry. */
export const STAFF: Role[] = ['admin', 'operator', 'city'];

export interface SessionUser {
  login: string;
  displayName: string;
  role: Role;
  providerId: number | null;
}

interface SessionResponse {
  user: SessionUser | null;
  csrfToken?: string | null;
}

interface SessionValue {
  /** undefined while the first check runs; null when nobody is signed in. */
  user: SessionUser | null | undefined;
  signIn: (login: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  refresh: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

/** The service worker's cache of the portal's answers (web/vite.config.ts names it the same). */
export const PORTAL_API_CACHE = 'portal-api';

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<SessionUser | null | undefined>(undefined);

  const refresh = useCallback(async () => {
    try {
      const session = await api.get<SessionResponse>('/session');
      setCsrfToken(session.csrfToken);
      setUser(session.user ?? null);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        setCsrfToken((error.problem.csrfToken as string | undefined) ?? null);
        setUser(null);
        return;
      }
      throw error;
    }
  }, []);

  useEffect(() => {
    refresh().catch(() => setUser(null));
  }, [refresh]);

  // An expired session anywhere in the app brings back the sign-in form (the address is kept).
  useEffect(() => {
    setSessionLostHandler(() => {
      setCsrfToken(null);
      setUser(null);
    });
    return () => setSessionLostHandler(null);
  }, []);

  const signIn = useCallback(
    async (login: string, password: string) => {
      const answer = await api.post<Partial<SessionResponse> | undefined>('/auth/sign-in', { login, password });
      if (answer?.csrfToken) setCsrfToken(answer.csrfToken);
      await refresh();
    },
    [refresh],
  );

  const signOut = useCallback(async () => {
    try {
      await api.post('/auth/sign-out');
    } finally {
      setCsrfToken(null);
      setUser(null);
      // The portal's answers the service worker kept for offline use are this person's: gone with them.
      if (typeof caches !== 'undefined') await caches.delete(PORTAL_API_CACHE).catch(() => false);
      // A fresh anonymous session brings a fresh CSRF token for the next sign-in.
      await refresh().catch(() => undefined);
    }
  }, [refresh]);

  const value = useMemo(() => ({ user, signIn, signOut, refresh }), [user, signIn, signOut, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}
