import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from '../shared/errors';

/** problem+json (RFC 9457) with a stable `code` and the message in Ukrainian and English. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  message_uk: string;
  message_en: string;
  [extra: string]: unknown;
}

export function problemOf(err: AppError, requestId?: string): Problem {
  return {
    type: `https://hromada.dev/problems/${err.code}`,
    title: err.messages.en,
    status: err.status,
    code: err.code,
    detail: err.messages.uk,
    message_uk: err.messages.uk,
    message_en: err.messages.en,
    ...err.details,
    ...(requestId ? { requestId } : {}),
  };
}

/** An error raised by PostgreSQL (either deployment): it carries a five-character SQLSTATE. */
interface DatabaseError {
  code: string;
  constraint?: string;
  column?: string;
}

function isDatabaseError(error: unknown): error is DatabaseError {
  const e = error as { code?: unknown; severity?: unknown };
  return typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.severity === 'string';
}

/**
 * The database's own refusals as clear 4xx problems, once for every route: a reference to a row
 * that does not exist (in this community), a duplicate, a broken rule, a value the column cannot
 * hold. Anything else from the database stays a 500.
 */
export function problemOfDatabaseError(error: DatabaseError): AppError | null {
  const where = { ...(error.constraint ? { constraint: error.constraint } : {}), ...(error.column ? { field: error.column } : {}) };
  switch (error.code) {
    case '23503':
      return new AppError('reference_not_found', 404, { uk: 'Пов’язаний запис не знайдено в цій громаді', en: 'A referenced record does not exist in this community' }, where);
    case '23505':
      return new AppError('duplicate', 409, { uk: 'Такий запис уже є', en: 'Such a record already exists' }, where);
    case '23514':
    case '23502':
    case '23P01':
      return new AppError('constraint_violated', 422, { uk: 'Дані порушують правило бази даних', en: 'The data break a database rule' }, where);
    case '22001':
      return new AppError('value_too_long', 422, { uk: 'Значення задовге', en: 'A value is too long' }, where);
    case '22003':
      return new AppError('number_out_of_range', 422, { uk: 'Число поза допустимими межами', en: 'A number is out of range' }, where);
    case '22007':
    case '22008':
      return new AppError('invalid_date', 422, { uk: 'Такої дати не існує', en: 'There is no such date' }, where);
    case '22P02':
    case '22021':
    case '22P05':
    case '2200N':
    case '54000':
      return new AppError('invalid_value', 422, { uk: 'Значення не можна зберегти', en: 'A value cannot be stored' }, where);
    default:
      return null;
  }
}

/** What the log may say about a request: its route and who called, never its query or body. */
function requestFacts(request: FastifyRequest) {
  return { requestId: request.id, method: request.method, route: request.routeOptions?.url ?? null, userId: request.user?.userId ?? null };
}

export function installErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let appError: AppError;
    const dbProblem = isDatabaseError(error) ? problemOfDatabaseError(error) : null;
    if (error instanceof AppError) {
      appError = error;
    } else if (dbProblem) {
      appError = dbProblem;
    } else if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((v) => ({ field: v.instancePath.replace(/^\//, '').replace(/\//g, '.') || '', message: v.message }));
      // The message a person reads names no internal field: `issues` names them for the form,
      // which shows each beside its field under its own label (web/src/api.ts, labelledMessages).
      const count = new Set(issues.map((i) => i.field).filter(Boolean)).size;
      appError = new AppError(
        'validation',
        400,
        {
          uk: count > 1 ? `Некоректні дані: перевірте поля (${count})` : count === 1 ? 'Некоректні дані: перевірте поле' : 'Некоректні дані',
          en: count > 1 ? `Invalid input: check the fields (${count})` : count === 1 ? 'Invalid input: check the field' : 'Invalid input',
        },
        { issues },
      );
    } else if (error.statusCode === 429) {
      appError = new AppError('rate_limited', 429, { uk: 'Забагато спроб, спробуйте пізніше', en: 'Too many attempts, try again later' });
    } else if (error.statusCode && error.statusCode < 500) {
      appError = new AppError(error.code ?? 'bad_request', error.statusCode, { uk: 'Некоректний запит', en: error.message });
    } else {
      const issues = isResponseSerializationError(error) ? error.cause.issues.map((i) => ({ path: i.path.join('.'), code: i.code })) : undefined;
      request.log.error({ ...requestFacts(request), err: error, issues }, 'internal error');
      appError = new AppError('internal', 500, { uk: 'Внутрішня помилка сервера', en: 'Internal server error' });
    }
    if (appError.status >= 500 && appError.code !== 'internal') request.log.error({ ...requestFacts(request), err: error }, appError.code);
    reply.status(appError.status).type('application/problem+json').send(problemOf(appError, request.id));
  });
}
