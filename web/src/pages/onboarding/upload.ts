import { ApiError, type Problem } from '../../api';
import type { Query } from '../../api';

/**
 * Sends a file as the raw request body (the server streams it to disk): the one request the
 * JSON client cannot make. The CSRF token is read from the session, as the client does.
 */
export async function uploadFile<T>(path: string, file: File, query: Query): Promise<T> {
  const session = (await (await fetch('/api/session', { credentials: 'include' })).json()) as { csrfToken: string | null };
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const response = await fetch(`/api${path}?${params}`, {
    method: 'POST',
    credentials: 'include',
    headers: { 'content-type': 'application/octet-stream', accept: 'application/json', ...(session.csrfToken ? { 'x-csrf-token': session.csrfToken } : {}) },
    body: file,
  });
  const data = (await response.json().catch(() => ({}))) as Problem & T;
  if (!response.ok) {
    throw new ApiError(response.status, data.code ?? `http_${response.status}`, { uk: data.message_uk ?? `Помилка (${response.status})`, en: data.message_en ?? `Error (${response.status})` }, data);
  }
  return data;
}
