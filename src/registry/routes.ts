/**
 * Registry HTTP API (all under /api; JSON; errors are problem+json {code, message_uk, message_en, field?}).
 * Reads: admin, operator, city, and provider users (who see only their own provider and accounts).
 * Writes: admin, operator; each needs header x-csrf-token (from GET /api/session) and is audited.
 *
 * GET    /addresses/search?q=&limit=≤50   → {parsed: {streetName, streetType, houseKey, apartment} | null,
 *          items: [{kind: 'premise'|'building'|'street', score, streetId, streetType, streetName, byFormerName, formerNames,
 *                   buildingId, houseKey, premiseId, apartment, unifiedAccount, postalCode, address}]}
 * GET    /streets?cursor=&limit=≤200      → {items: [{streetId, type, name, formerNames, postalCode, buildingCount}], nextCursor}
 * GET    /buildings/:id                   → {buildingId, streetId, streetType, streetName, number, letter, fraction, block,
 *          address, postalCode, totalArea, floors, management, managementName,
 *          premises: [{premiseId, number, kind, totalArea, rooms, unifiedAccount, accountCount}]}
 * GET    /premises/:id                    → {premiseId, buildingId, number, address, postalCode, kind, totalArea, heatedArea,
 *          rooms, registeredPersons, period, unifiedAccount,
 *          accounts: [{accountId, number, provider: {providerId, name, shortName, edrpou},
 *                      service: {serviceId, code, nameUk, nameEn}, openedOn, closedOn, open}]}
 * GET    /providers?q=&cursor=&limit=     → {items: [provider], nextCursor}   provider = {providerId, edrpou, iban, name,
 *          shortName, phone, email, address}
 * GET    /providers/:id                   → provider + {accountCount}
 * POST   /providers {edrpou, iban, name, shortName?, phone?, email?, address?} → 201 provider
 *          422 invalid_edrpou / invalid_iban (field named), 409 duplicate_edrpou
 * PATCH  /providers/:id {any of the above} → provider
 * DELETE /providers/:id                   → 204; 409 provider_has_accounts / provider_has_users
 * GET    /services                        → {items: [service], nextCursor: null}  service = {serviceId, code, nameUk, nameEn,
 *          unit, metered, sortOrder}
 * GET    /services/:id, POST /services {code, nameUk, nameEn, unit, metered?, sortOrder?} → 201,
 * PATCH  /services/:id, DELETE /services/:id → 204; 409 duplicate_service_code, service_has_accounts
 * Areas are strings (numeric, e.g. "54.30"); dates 'YYYY-MM-DD'.
 */
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../server/access';
import type { RouteModule } from '../server/routes';
import { pageQuerySchema, pageSchema } from '../shared/pagination';
import { searchAddresses } from './search';
import * as registry from './service';

const idParams = z.object({ id: z.coerce.number().int().positive() });

const addressHitSchema = z.object({
  kind: z.enum(['street', 'building', 'premise']),
  score: z.number(),
  streetId: z.number(),
  streetType: z.string(),
  streetName: z.string(),
  byFormerName: z.boolean(),
  formerNames: z.array(z.string()),
  buildingId: z.number().nullable(),
  houseKey: z.string().nullable(),
  premiseId: z.number().nullable(),
  apartment: z.string().nullable(),
  unifiedAccount: z.string().nullable(),
  postalCode: z.string().nullable(),
  address: z.string(),
});

const searchSchema = z.object({
  parsed: z
    .object({ streetName: z.string(), streetType: z.string().nullable(), houseKey: z.string().nullable(), apartment: z.string().nullable() })
    .nullable(),
  items: z.array(addressHitSchema),
});

const streetSchema = z.object({
  streetId: z.number(),
  type: z.string(),
  name: z.string(),
  formerNames: z.array(z.string()),
  postalCode: z.string().nullable(),
  buildingCount: z.number(),
});

const management = z.enum(['osbb', 'company', 'none']);
const premiseKind = z.enum(['residential', 'non_residential']);

const buildingSchema = z.object({
  buildingId: z.number(),
  streetId: z.number(),
  streetType: z.string(),
  streetName: z.string(),
  number: z.number(),
  letter: z.string().nullable(),
  fraction: z.string().nullable(),
  block: z.string().nullable(),
  address: z.string(),
  postalCode: z.string().nullable(),
  totalArea: z.string().nullable(),
  floors: z.number().nullable(),
  management,
  managementName: z.string().nullable(),
  premises: z.array(
    z.object({
      premiseId: z.number(),
      number: z.string().nullable(),
      kind: premiseKind,
      totalArea: z.string().nullable(),
      rooms: z.number().nullable(),
      unifiedAccount: z.string().nullable(),
      accountCount: z.number(),
    }),
  ),
});

const premiseSchema = z.object({
  premiseId: z.number(),
  buildingId: z.number(),
  number: z.string().nullable(),
  address: z.string(),
  postalCode: z.string().nullable(),
  kind: premiseKind,
  totalArea: z.string().nullable(),
  heatedArea: z.string().nullable(),
  rooms: z.number().nullable(),
  registeredPersons: z.number(),
  period: z.string(),
  unifiedAccount: z.string().nullable(),
  accounts: z.array(
    z.object({
      accountId: z.number(),
      number: z.string(),
      provider: z.object({ providerId: z.number(), name: z.string(), shortName: z.string().nullable(), edrpou: z.string() }),
      service: z.object({ serviceId: z.number(), code: z.string(), nameUk: z.string(), nameEn: z.string() }),
      openedOn: z.string(),
      closedOn: z.string().nullable(),
      open: z.boolean(),
    }),
  ),
});

const providerSchema = z.object({
  providerId: z.number(),
  edrpou: z.string(),
  iban: z.string(),
  name: z.string(),
  shortName: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  address: z.string().nullable(),
});

// Identifiers are plain strings here: the service checks them and says what is wrong, by field.
const providerInput = z.object({
  edrpou: z.string().max(20),
  iban: z.string().max(50),
  name: z.string().max(300),
  shortName: z.string().max(100).nullable().optional(),
  phone: z.string().max(50).nullable().optional(),
  email: z.string().max(200).nullable().optional(),
  address: z.string().max(300).nullable().optional(),
});

const serviceSchema = z.object({
  serviceId: z.number(),
  code: z.string(),
  nameUk: z.string(),
  nameEn: z.string(),
  unit: z.string(),
  metered: z.boolean(),
  sortOrder: z.number(),
});

const serviceInput = z.object({
  code: z.string().max(40),
  nameUk: z.string().max(200),
  nameEn: z.string().max(200),
  unit: z.string().max(30),
  metered: z.boolean().optional(),
  sortOrder: z.number().int().min(0).max(100000).optional(),
});

export const registryRoutes: RouteModule = (app, ctx) => {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['registry'];

  api.get(
    '/addresses/search',
    {
      schema: {
        tags,
        summary: 'Find a street, building or premise from free text as it is typed (or a unified account number)',
        querystring: z.object({ q: z.string().max(200), limit: z.coerce.number().int().min(1).max(50).default(20) }),
        response: { 200: searchSchema },
      },
    },
    async (request) => searchAddresses(ctx.db, actorOf(request), request.query.q, request.query.limit),
  );

  api.get(
    '/streets',
    { schema: { tags, summary: 'Streets in name order', querystring: pageQuerySchema, response: { 200: pageSchema(streetSchema) } } },
    async (request) => registry.listStreets(ctx.db, actorOf(request), request.query),
  );

  api.get(
    '/buildings/:id',
    { schema: { tags, summary: 'Building card with its premises', params: idParams, response: { 200: buildingSchema } } },
    async (request) => registry.getBuilding(ctx.db, actorOf(request), request.params.id),
  );

  api.get(
    '/premises/:id',
    { schema: { tags, summary: 'Premise card with its accounts', params: idParams, response: { 200: premiseSchema } } },
    async (request) => registry.getPremise(ctx.db, actorOf(request), request.params.id),
  );

  // Providers
  api.get(
    '/providers',
    {
      schema: {
        tags,
        summary: 'Providers in name order (a provider user sees only their own)',
        querystring: pageQuerySchema.extend({ q: z.string().max(100).optional() }),
        response: { 200: pageSchema(providerSchema) },
      },
    },
    async (request) => registry.listProviders(ctx.db, actorOf(request), request.query),
  );
  api.get(
    '/providers/:id',
    { schema: { tags, summary: 'One provider', params: idParams, response: { 200: providerSchema.extend({ accountCount: z.number() }) } } },
    async (request) => registry.getProvider(ctx.db, actorOf(request), request.params.id),
  );
  api.post(
    '/providers',
    { schema: { tags, summary: 'Add a provider (ЄДРПОУ and IBAN are checked)', body: providerInput, response: { 201: providerSchema } } },
    async (request, reply) => {
      const created = await registry.createProvider(ctx.db, actorOf(request), request.body);
      reply.status(201);
      return created;
    },
  );
  api.patch(
    '/providers/:id',
    { schema: { tags, summary: 'Change a provider', params: idParams, body: providerInput.partial(), response: { 200: providerSchema } } },
    async (request) => registry.updateProvider(ctx.db, actorOf(request), request.params.id, request.body),
  );
  api.delete(
    '/providers/:id',
    { schema: { tags, summary: 'Delete a provider that has no accounts or users', params: idParams } },
    async (request, reply) => {
      await registry.deleteProvider(ctx.db, actorOf(request), request.params.id);
      reply.status(204).send();
    },
  );

  // Services catalogue
  api.get(
    '/services',
    { schema: { tags, summary: 'The services catalogue in bill order', response: { 200: pageSchema(serviceSchema) } } },
    async (request) => ({ items: await registry.listServices(ctx.db, actorOf(request)), nextCursor: null }),
  );
  api.get(
    '/services/:id',
    { schema: { tags, summary: 'One service', params: idParams, response: { 200: serviceSchema } } },
    async (request) => registry.getService(ctx.db, actorOf(request), request.params.id),
  );
  api.post(
    '/services',
    { schema: { tags, summary: 'Add a service', body: serviceInput, response: { 201: serviceSchema } } },
    async (request, reply) => {
      const created = await registry.createService(ctx.db, actorOf(request), request.body);
      reply.status(201);
      return created;
    },
  );
  api.patch(
    '/services/:id',
    { schema: { tags, summary: 'Change a service', params: idParams, body: serviceInput.partial(), response: { 200: serviceSchema } } },
    async (request) => registry.updateService(ctx.db, actorOf(request), request.params.id, request.body),
  );
  api.delete(
    '/services/:id',
    { schema: { tags, summary: 'Delete a service no account uses', params: idParams } },
    async (request, reply) => {
      await registry.deleteService(ctx.db, actorOf(request), request.params.id);
      reply.status(204).send();
    },
  );
};
