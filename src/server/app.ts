import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from './context';
import { installErrorHandler } from './errors';
import { routeModules } from './routes';
import { installAuth } from '../auth/plugin';

const webDist = path.resolve('web/dist');

export interface AppOptions {
  logger?: boolean;
  /** Take the client's address and scheme from X-Forwarded-* (only behind a reverse proxy). */
  trustProxy?: boolean;
}

export async function buildApp(ctx: AppContext, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 50 * 1024 * 1024,
    trustProxy: options.trustProxy ?? process.env.HROMADA_TRUST_PROXY === '1',
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Hromada API', description: 'Єдиний рахунок громади — unified utility bill', version: '0.1.0' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'hromada_session' },
          // Payment agents: HMAC-SHA256 over method, path, X-Timestamp, X-Nonce and the body hash (src/payments/signature.ts).
          agentSignature: { type: 'apiKey', in: 'header', name: 'X-Signature' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  await app.register(
    async (api) => {
      const typed = api.withTypeProvider<ZodTypeProvider>();
      typed.get(
        '/health',
        { schema: { tags: ['system'], response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgres']) }) } } },
        async () => {
          await ctx.db.selectFrom('community').select('community_id').limit(1).execute();
          return { status: 'ok' as const, database: ctx.handle.kind };
        },
      );
      typed.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
      installAuth(api, ctx);
      for (const register of routeModules) await register(api, ctx);
    },
    { prefix: '/api' },
  );

  // The single-page app: static files, and index.html for every other path so that deep links work.
  if (fs.existsSync(path.join(webDist, 'index.html'))) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false });
    app.setNotFoundHandler((request, reply) => {
      if (request.url.startsWith('/api/')) {
        reply.status(404).type('application/problem+json').send({
          type: 'https://hromada.dev/problems/not_found',
          title: 'Not found',
          status: 404,
          code: 'not_found',
          detail: 'Не знайдено',
          message_uk: 'Не знайдено',
          message_en: 'Not found',
        });
        return;
      }
      reply.type('text/html').sendFile('index.html');
    });
  }
  return app;
}
