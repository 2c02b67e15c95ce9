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
    // A refusal (4xx) is an answer, not a fault: its code and details say where, and capturing the
    // stack was the largest single cost of a refused agent call (bench:payments' ceiling).
    const stackTraceLimit = Error.stackTraceLimit;
    if (status < 500) Error.stackTraceLimit = 0;
    super(`${messages.en} (${code})`);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'AppError';
  }
}

export const notFound = (what: Bilingual, details?: Record<string, unknown>) =>
  new AppError('not_found', 404, { uk: `${what.uk}: не знайдено`, en: `${what.en}: not found` }, details);

export const invalid = (code: string, messages: Bilingual, details?: Record<string, unknown>) =>
  new AppError(code, 422, messages, details);

/** One bad field of a form: its internal name (for the form), a code, and a sentence naming it by its label. */
export interface FieldProblem {
  code: string;
  field: string;
  uk: string;
  en: string;
  value?: unknown;
}

/**
 * Every bad field of one submission, refused at once: one field with its own code and `field`;
 * several with `invalid_fields`, `fields` and one issue per field (what a form shows beside each).
 * Returns nothing when there are no problems.
 */
export function refuseFields(problems: FieldProblem[]): void {
  if (problems.length === 1) {
    const [p] = problems;
    throw invalid(p.code, { uk: p.uk, en: p.en }, { field: p.field, ...(p.value !== undefined ? { value: p.value } : {}) });
  }
  if (problems.length > 1) {
    throw invalid(
      'invalid_fields',
      { uk: problems.map((p) => p.uk).join('; '), en: problems.map((p) => p.en).join('; ') },
      { fields: problems.map((p) => p.field), issues: problems.map((p) => ({ field: p.field, code: p.code, message_uk: p.uk, message_en: p.en })) },
    );
  }
}

export const forbidden = (messages: Bilingual = { uk: 'Недостатньо прав', en: 'Not allowed' }) =>
  new AppError('forbidden', 403, messages);

export const conflict = (code: string, messages: Bilingual, details?: Record<string, unknown>) =>
  new AppError(code, 409, messages, details);

export const unauthenticated = () =>
  new AppError('unauthenticated', 401, { uk: 'Потрібно увійти', en: 'Sign-in required' });
