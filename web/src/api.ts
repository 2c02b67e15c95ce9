import { getLang, type Bilingual } from './i18n';

/**
 * The one way the web app talks to the server: JSON over fetch with the session cookie, the CSRF
 * token on every write, and problem+json turned into an ApiError that speaks both languages.
 */

/** A problem+json body (RFC 9457) as the server sends it. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  code?: string;
  detail?: string;
  message_uk?: string;
  message_en?: string;
  /** Set when one input field is at fault (e.g. `iban`). */
  field?: string;
  /** Set by request validation: one entry per faulty field. */
  issues?: Array<{ field?: string; path?: string; message?: string; message_uk?: string; message_en?: string }>;
  [extra: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messages: Bilingual,
    readonly problem: Problem = {},
  ) {
    super(messages[getLang()]);
    this.name = 'ApiError';
  }

  /** The message for each faulty field, so a form can show it beside the field. */
  fieldErrors(): Record<string, Bilingual> {
    const errors: Record<string, Bilingual> = {};
    if (typeof this.problem.field === 'string') errors[this.problem.field] = this.messages;
    if (Array.isArray(this.problem.fields)) {
      for (const field of this.problem.fields) if (typeof field === 'string') errors[field] = this.messages;
    }
    for (const issue of this.problem.issues ?? []) {
      const field = issue.field ?? issue.path;
      if (!field) continue;
      // Beside its field a request-validation issue says only that the value is wrong: the field's
      // label already says which (the server's English words are for API clients).
      errors[field] = {
        uk: issue.message_uk ?? 'Некоректне значення',
        en: issue.message_en ?? 'Invalid value',
      };
    }
    return errors;
  }
}

/**
 * Anything thrown while calling the API, as a pair of texts a person can read. Given the form's
 * labels (by field), a refusal that names fields says which by their labels — «Сума, ₴», never
 * `amount` — each once, with the field's own reason when the server gave one.
 */
export function errorMessages(error: unknown, labels?: Record<string, Bilingual>): Bilingual {
  if (error instanceof ApiError) return labels ? labelledMessages(error, labels) : error.messages;
  const text = error instanceof Error ? error.message : String(error);
  return { uk: `Сталася помилка: ${text}`, en: `Something went wrong: ${text}` };
}

/** An ApiError's message with the faulty fields named by their labels (see errorMessages). */
export function labelledMessages(error: ApiError, labels: Record<string, Bilingual>): Bilingual {
  // A refusal in the server's own words about one field («Період 2026-11 закрито…») is already a
  // sentence: only request validation, or per-field issues, need the labels.
  const perField = (error.problem.issues ?? []).some((i) => i.message_uk || i.message_en);
  if (error.code !== 'validation' && !perField) return error.messages;
  const fields = error.fieldErrors();
  // A nested field (`contacts.2`, `settings.columns.amount`) takes the label of its nearest named
  // parent; fields under one label are named once.
  const labelOf = (field: string) =>
    Object.keys(labels)
      .filter((key) => field === key || field.startsWith(`${key}.`))
      .sort((a, b) => b.length - a.length)[0];
  const byLabel = new Map<string, string>();
  for (const field of Object.keys(fields)) {
    const key = labelOf(field);
    if (key && !byLabel.has(key)) byLabel.set(key, field);
  }
  if (byLabel.size === 0) return error.messages;
  const reasonOf = (field: string, lang: 'uk' | 'en') => {
    const own = error.problem.issues?.find((i) => (i.field ?? i.path) === field);
    return lang === 'uk' ? own?.message_uk : own?.message_en;
  };
  const line = (lang: 'uk' | 'en') =>
    [...byLabel]
      .map(([key, field]) => {
        const reason = reasonOf(field, lang);
        const label = lang === 'uk' ? `«${labels[key].uk}»` : `“${labels[key].en}”`;
        // The server's own words, when it gave them per field, already name the field.
        if (reason && reason.includes(labels[key][lang])) return reason;
        return reason ? `${label}: ${reason}` : label;
      })
      .join('; ');
  const anyReason = [...byLabel.values()].some((field) => reasonOf(field, 'uk') || reasonOf(field, 'en'));
  if (anyReason) return { uk: line('uk'), en: line('en') };
  return byLabel.size === 1
    ? { uk: `Перевірте поле ${line('uk')}`, en: `Check the field ${line('en')}` }
    : { uk: `Перевірте поля: ${line('uk')}`, en: `Check the fields: ${line('en')}` };
}

let csrfToken: string | null = null;
let onSessionLost: (() => void) | null = null;

/** Called when the server answers 401 (the session expired or was ended elsewhere). */
export function setSessionLostHandler(handler: (() => void) | null): void {
  onSessionLost = handler;
}

/** The session route hands out the CSRF token; writes send it back in a header. */
export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token ?? null;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export type Query = Record<string, string | number | boolean | null | undefined>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

async function request<T>(method: Method, path: string, body?: unknown, query?: Query): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/api${withQuery(path, query)}`, {
      method,
      headers,
      credentials: 'include',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', {
      uk: 'Немає зв’язку з сервером. Перевірте з’єднання та спробуйте ще раз.',
      en: 'Cannot reach the server. Check the connection and try again.',
    });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (response.status === 401 && path !== '/auth/sign-in') onSessionLost?.();
  if (!response.ok) throw problemToError(response.status, data);
  return data as T;
}

function problemToError(status: number, data: unknown): ApiError {
  const problem = (data && typeof data === 'object' ? data : {}) as Problem;
  const fallback: Bilingual =
    status === 401
      ? { uk: 'Потрібно увійти', en: 'Sign-in required' }
      : status === 403
        ? { uk: 'Недостатньо прав', en: 'Not allowed' }
        : status === 404
          ? { uk: 'Не знайдено', en: 'Not found' }
          : { uk: `Помилка сервера (${status})`, en: `Server error (${status})` };
  return new ApiError(
    status,
    problem.code ?? `http_${status}`,
    {
      uk: problem.message_uk ?? problem.detail ?? fallback.uk,
      en: problem.message_en ?? problem.title ?? fallback.en,
    },
    problem,
  );
}

/**
 * A request whose body or answer is not JSON (an image upload, a PDF back), with the same cookie,
 * CSRF token and problem+json errors as the rest.
 */
export async function requestBlob(method: Method, path: string, body: unknown, contentType = 'application/json'): Promise<Blob> {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  const payload = contentType === 'application/json' ? JSON.stringify(body) : (body as BodyInit);
  let response: Response;
  try {
    response = await fetch(`/api${path}`, { method, headers, credentials: 'include', body: payload });
  } catch {
    throw new ApiError(0, 'network', { uk: 'Немає зв’язку з сервером. Перевірте з’єднання та спробуйте ще раз.', en: 'Cannot reach the server. Check the connection and try again.' });
  }
  if (response.status === 401) onSessionLost?.();
  if (!response.ok) {
    const text = await response.text();
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
    throw problemToError(response.status, data);
  }
  return response.blob();
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
};
