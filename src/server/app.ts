import fs from 'node:fs';
import path from 'node:path';
import { Stream } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import helmet from 'helmet';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from './context';
import { installErrorHandler } from './errors';
import { routeModules } from './routes';
import { installAuth } from '../auth/plugin';
import { AppError, forbidden, notFound, unauthenticated } from '../shared/errors';
import { recordInScope, scopeChecked } from './scope';
import { accessRules, roleAllowed, ruleKey } from './access-rules';
import { REPLAY_WINDOW_SECONDS } from '../payments/signature';

const webDist = path.resolve('web/dist');

/**
 * HROMADA_TRUST_PROXY: the reverse proxies' addresses or subnets, comma-separated (`loopback` for
 * one on this machine; `1`, as before, means that). Unset or 0: no proxy, the socket's address.
 * Never "trust every hop": the leftmost X-Forwarded-For entry, which the client writes itself,
 * would then be its address.
 */
export function trustProxyFromEnv(value: string | undefined): string | false {
  const v = value?.trim();
  if (!v || v === '0') return false;
  return v === '1' ? 'loopback' : v;
}

/** How a payment agent signs a request, as the OpenAPI document tells the bank's developers. */
const AGENT_SIGNING = [
  'Every call of the agent API (and the Debt protocol) carries four headers:',
  '`X-Agent-Key` — the key id issued on «Платіжні агенти»; `X-Timestamp` — Unix time in whole seconds;',
  '`X-Nonce` — a random string of at most 100 characters, never used before by this agent;',
  '`X-Signature` — lower-case hex HMAC-SHA256, with the key\'s secret, of the text',
  '`METHOD\\nPATH\\nX-Timestamp\\nX-Nonce\\nhex(SHA-256(body))` (the method in capitals, the path with its query, the body exactly as sent; an empty body hashes the empty string).',
  `A timestamp more than ${REPLAY_WINDOW_SECONDS} s from the server's clock, a nonce used before, an unknown or retired key or a wrong signature is refused with 401 (problem+json with \`code\`, \`message_uk\`, \`message_en\`) and nothing is done; an address outside the agent's allow-list gets 403.`,
  'After a key rotation the previous key keeps working for its overlap (24 h by default).',
].join(' ');

export interface AppOptions {
  /** true or pino options (level, stream): Fastify's own logger, see `loggerOptions`. */
  logger?: boolean | { level?: string; stream?: { write(line: string): void } };
  /**
   * Take the client's address and scheme from X-Forwarded-* when the request comes through these
   * proxies (addresses or subnets, comma-separated): the client is the address the outermost of
   * them saw, and entries written before it are not believed. Default: HROMADA_TRUST_PROXY.
   */
  trustProxy?: string | false;
}

/**
 * Pino through Fastify. A request is logged by its method and route pattern only: query strings
 * and bodies hold names, addresses and passwords, so they never reach the log; cookies neither.
 */
function loggerOptions(options: { level?: string; stream?: { write(line: string): void } }) {
  return {
    level: options.level ?? 'info',
    ...(options.stream ? { stream: options.stream } : {}),
    serializers: {
      req: (req: FastifyRequest) => ({ method: req.method, route: req.routeOptions?.url ?? null }),
    },
  };
}

/**
 * PostgreSQL text cannot hold U+0000, so a NUL anywhere in the query, path or JSON body is refused
 * here, with the field named, before any route sees it.
 */
function refuseNulBytes(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [['query', request.query], ['params', request.params], ['body', request.body]] as const) {
      const field = nulField(value, part);
      if (field !== null) {
        throw new AppError('nul_byte', 400, { uk: `Поле ${field} містить символ NUL (\\0)`, en: `Field ${field} contains a NUL character (\\0)` }, { field });
      }
    }
  });
}

/**
 * The Content-Security-Policy of the web app: scripts only from our own files (the Vite build emits
 * no inline script), styles also inline because Mantine writes its CSS variables into a <style>
 * element and components set style attributes. Nothing may frame our pages; our own pages may frame
 * our PDFs (the bill preview), so PDF answers carry frame-ancestors 'self' instead. No
 * upgrade-insecure-requests: on a plain-http install (tests, a LAN) it would break every request.
 */
const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  // blob:: the bill preview shows a PDF the page made from the server's answer (URL.createObjectURL).
  connectSrc: ["'self'", 'blob:'],
  frameSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null,
};

// Swagger UI (/api/docs) loads its own scripts and inline styles; same rules otherwise.
const DOCS_CSP =
  "default-src 'self'; base-uri 'self'; font-src 'self' data:; frame-ancestors 'none'; img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self' 'unsafe-inline'";

function securityHeaders(app: FastifyInstance) {
  app.addHook('onSend', async (_request, reply, payload) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('application/pdf')) {
      reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'self'");
      reply.header('x-frame-options', 'SAMEORIGIN');
    }
    return payload;
  });
}

function nulField(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\0') ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulField(value[i], `${path}.${i}`);
      if (found !== null) return found;
    }
  } else if (value && typeof value === 'object' && !Buffer.isBuffer(value) && !(value instanceof Stream)) {
    // An upload's body is a stream (read by its route, not here): walking it never ends.
    for (const [key, inner] of Object.entries(value)) {
      const found = key.includes('\0') ? `${path}.${key}` : nulField(inner, `${path}.${key}`);
      if (found !== null) return found;
    }
  }
  return null;
}

/**
 * The access rule table, applied before any route runs: the roles (401, 403), then every path
 * parameter that names a record of the caller's reach (404 otherwise, see scope.ts). A route
 * without a line is left to its service (and fails the access matrix test until it has one).
 */
function enforceAccessRules(api: FastifyInstance, ctx: AppContext) {
  api.addHook('onRequest', async (request) => {
    const url = request.routeOptions.url;
    if (!url) return;
    const rule = accessRules[ruleKey(request.method === 'HEAD' ? 'GET' : request.method, url)];
    if (!rule) return;
    if (!roleAllowed(rule, request.user?.role ?? null)) throw request.user ? forbidden() : unauthenticated();
    const params = request.params as Record<string, string>;
    for (const [name, kind] of Object.entries(rule.ids ?? {})) {
      const value = params[name];
      if (value === undefined || !request.user || !scopeChecked(kind)) continue;
      if (!(await recordInScope(ctx.db, request.user, kind, value))) throw notFound({ uk: `Запис ${value} (${name})`, en: `Record ${value} (${name})` }, { field: name });
    }
  });
}

export async function buildApp(ctx: AppContext, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ? loggerOptions(options.logger === true ? {} : options.logger) : false,
    bodyLimit: 50 * 1024 * 1024,
    trustProxy: options.trustProxy ?? trustProxyFromEnv(process.env.HROMADA_TRUST_PROXY),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  refuseNulBytes(app);
  // Built once: @fastify/helmet built the middleware (and parsed the CSP) anew for every request.
  const securityHeadersOf = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
  app.addHook('onRequest', (request, reply, done) => securityHeadersOf(request.raw, reply.raw, (error) => done(error as Error | undefined)));
  securityHeaders(app);
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Hromada API', description: 'Єдиний рахунок громади — unified utility bill', version: '0.1.0' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'hromada_session' },
          // Payment agents: HMAC-SHA256 over method, path, X-Timestamp, X-Nonce and the body hash (src/payments/signature.ts).
          agentSignature: { type: 'apiKey', in: 'header', name: 'X-Signature', description: AGENT_SIGNING },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: DOCS_CSP });

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
      enforceAccessRules(api, ctx);
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
