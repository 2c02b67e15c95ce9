/** A message in both languages of the interface: Ukrainian first, then English. */
export interface Bilingual {
  uk: string;
  en: string;
}

/**
 * The one application error. `code` is stable (clients and tests match on it); `status` is the
 * HTTP status it maps to; `details` says where (file, row, field) when that is known.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly messages: Bilingual,
    readonly details?: Record<string, unknown>,
  ) {
    super(`${messages.en} (${code})`);
    this.name = 'AppError';
  }
}

export const notFound = (what: Bilingual, details?: Record<string, unknown>) =>
  new AppError('not_found', 404, { uk: `${what.uk}: не знайдено`, en: `${what.en}: not found` }, details);

export const invalid = (code: string, messages: Bilingual, details?: Record<string, unknown>) =>
  new AppError(code, 422, messages, details);

export const forbidden = (messages: Bilingual = { uk: 'Недостатньо прав', en: 'Not allowed' }) =>
  new AppError('forbidden', 403, messages);

export const conflict = (code: string, messages: Bilingual, details?: Record<string, unknown>) =>
  new AppError(code, 409, messages, details);

export const unauthenticated = () =>
  new AppError('unauthenticated', 401, { uk: 'Потрібно увійти', en: 'Sign-in required' });
