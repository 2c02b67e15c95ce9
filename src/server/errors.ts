import type { FastifyError, FastifyInstance } from 'fastify';
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

export function problemOf(err: AppError): Problem {
  return {
    type: `https://hromada.dev/problems/${err.code}`,
    title: err.messages.en,
    status: err.status,
    code: err.code,
    detail: err.messages.uk,
    message_uk: err.messages.uk,
    message_en: err.messages.en,
    ...err.details,
  };
}

export function installErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let appError: AppError;
    if (error instanceof AppError) {
      appError = error;
    } else if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((v) => ({ field: v.instancePath.replace(/^\//, '').replace(/\//g, '.') || '', message: v.message }));
      const where = issues.map((i) => i.field).filter(Boolean).join(', ');
      appError = new AppError(
        'validation',
        400,
        {
          uk: `Некоректні дані${where ? ` у полях: ${where}` : ''}`,
          en: `Invalid input${where ? ` in: ${where}` : ''}`,
        },
        { issues },
      );
    } else if (error.statusCode === 429) {
      appError = new AppError('rate_limited', 429, { uk: 'Забагато спроб, спробуйте пізніше', en: 'Too many attempts, try again later' });
    } else if (error.statusCode && error.statusCode < 500) {
      appError = new AppError(error.code ?? 'bad_request', error.statusCode, { uk: 'Некоректний запит', en: error.message });
    } else {
      if (isResponseSerializationError(error)) request.log.error({ issues: error.cause.issues }, 'response does not match its schema');
      request.log.error(error);
      appError = new AppError('internal', 500, { uk: 'Внутрішня помилка сервера', en: 'Internal server error' });
    }
    reply.status(appError.status).type('application/problem+json').send(problemOf(appError));
  });
}
