/**
 * Who may call each route, in one table: one line per route of the API. The app enforces the
 * roles before the route runs (401 without a session, 403 for a role not listed); the services
 * still scope the ids (a provider's user sees only its own accounts and meters, a resident only
 * their homes, nobody another community) and answer 404 for an id outside that scope.
 *
 * `ids` names what each path or query parameter identifies, so that the access matrix test
 * (tests/integration/access-matrix.test.ts) can call the route with ids of the caller's own,
 * another premise's, another provider's and another community's records. A route that is served
 * without a line here fails that test. To add a route: add its line, `'METHOD /api/path/{param}'`
 * exactly as /api/openapi.json spells it.
 */
import type { Role } from './context';

/** What an id parameter identifies (the matrix test has a record of each kind in each scope). */
export type IdKind = 'premise' | 'building' | 'account' | 'provider' | 'service' | 'meter' | 'unified' | 'job' | 'import' | 'run' | 'reading' | 'period';

export interface AccessRule {
  /** 'anyone': no session needed; 'signed-in': any role; otherwise the roles allowed. */
  who: 'anyone' | 'signed-in' | readonly Role[];
  /** Path and query parameters that name records, and of what kind. */
  ids?: Readonly<Record<string, IdKind>>;
  /**
   * The record the path names is one the matrix fixture does not hold (a logo, a print run, an
   * agent's key, a card order): a 404 for an allowed caller is then the right answer, and the
   * service's own tests cover the scope.
   */
  notInFixture?: true;
}

const STAFF = ['admin', 'operator', 'city'] as const;
const DESK = ['admin', 'operator'] as const;
const STAFF_AND_PROVIDER = ['admin', 'operator', 'city', 'provider'] as const;
const DESK_AND_PROVIDER = ['admin', 'operator', 'provider'] as const;
/** Who decides review-queue rows: the desk, a provider, and the city (rows held above its approved tariff). */
const QUEUE_DECIDERS = ['admin', 'operator', 'provider', 'city'] as const;
const READERS = ['admin', 'operator', 'provider', 'resident'] as const;
/** Who sees a premise, its card and its bill: staff, a provider (its own services there), a resident (their home). */
const PREMISE_READERS = ['admin', 'operator', 'city', 'provider', 'resident'] as const;
/** Who may start a card payment for a household: staff for any, a resident for their own. */
const PAYERS = ['admin', 'operator', 'city', 'resident'] as const;
const RESIDENT = ['resident'] as const;
const ADMIN = ['admin'] as const;

export const accessRules: Readonly<Record<string, AccessRule>> = {
  // system
  'GET /api/health': { who: 'anyone' },
  // auth
  'POST /api/auth/sign-in': { who: 'anyone' },
  'POST /api/auth/sign-out': { who: 'anyone' },
  'GET /api/session': { who: 'anyone' },
  'GET /api/audit': { who: ['admin', 'city'] },
  'POST /api/users': { who: ADMIN },
  'GET /api/users': { who: ADMIN },
  'PATCH /api/users/{id}': { who: ADMIN },
  'POST /api/users/{id}/reset-password': { who: ADMIN },
  'GET /api/auth/lockouts': { who: ADMIN },
  'POST /api/auth/lockouts/lift': { who: ADMIN, notInFixture: true },
  // billing
  'GET /api/billing/tariffs': { who: STAFF_AND_PROVIDER, ids: { providerId: 'provider', serviceId: 'service' } },
  'POST /api/billing/tariffs': { who: DESK },
  'GET /api/billing/approved-tariffs': { who: STAFF },
  'POST /api/billing/approved-tariffs': { who: ['admin', 'city'] },
  'POST /api/billing/tariff-flags/check': { who: ['admin', 'city'] },
  'GET /api/billing/tariff-flags': { who: STAFF },
  'GET /api/billing/periods': { who: STAFF },
  'POST /api/billing/runs': { who: DESK },
  'POST /api/billing/runs/{id}/discard': { who: ADMIN, ids: { id: 'run' } },
  'GET /api/billing/runs/{id}': { who: STAFF, ids: { id: 'run' } },
  'GET /api/billing/runs/{id}/summary': { who: STAFF, ids: { id: 'run' } },
  'GET /api/billing/runs/{id}/outliers': { who: STAFF, ids: { id: 'run' } },
  'POST /api/billing/periods/{period}/close': { who: DESK, ids: { period: 'period' } },
  'GET /api/billing/accounts/{id}': { who: STAFF_AND_PROVIDER, ids: { id: 'account' } },
  'GET /api/billing/premises/{id}/statement': { who: STAFF, ids: { id: 'premise', period: 'period' } },
  'POST /api/billing/adjustments': { who: DESK },
  'POST /api/billing/recalculations': { who: DESK },
  'GET /api/billing/settings': { who: STAFF },
  'PUT /api/billing/settings': { who: ADMIN },
  'PUT /api/billing/settings/first-period': { who: ADMIN },
  'POST /api/billing/benefits': { who: DESK },
  'POST /api/billing/subsidies': { who: DESK },
  'GET /api/billing/premises/{id}/support': { who: STAFF, ids: { id: 'premise' } },
  'GET /api/billing/premises/{id}/persons': { who: STAFF, ids: { id: 'premise' } },
  // metering
  'GET /api/metering/lookup': { who: STAFF_AND_PROVIDER },
  'GET /api/metering/lookup/examples': { who: STAFF_AND_PROVIDER },
  'GET /api/metering/premises/{premiseId}/meters': { who: ['admin', 'operator', 'city', 'provider', 'resident'], ids: { premiseId: 'premise' } },
  'GET /api/metering/buildings/{buildingId}/premises': { who: STAFF, ids: { buildingId: 'building' } },
  'GET /api/metering/meters/{meterId}/history': { who: ['admin', 'operator', 'city', 'provider', 'resident'], ids: { meterId: 'meter' } },
  'POST /api/metering/meters/{meterId}/readings': { who: READERS, ids: { meterId: 'meter' } },
  'POST /api/metering/meters/{meterId}/readings/check': { who: READERS, ids: { meterId: 'meter' } },
  'POST /api/metering/readings/bulk': { who: DESK_AND_PROVIDER },
  'POST /api/metering/accounts/{unifiedNumber}/readings': { who: DESK, ids: { unifiedNumber: 'unified' } },
  'GET /api/metering/review': { who: DESK_AND_PROVIDER },
  'POST /api/metering/review/{readingId}/accept': { who: DESK_AND_PROVIDER, ids: { readingId: 'reading' } },
  'POST /api/metering/review/{readingId}/reject': { who: DESK_AND_PROVIDER, ids: { readingId: 'reading' } },
  'POST /api/metering/meters': { who: DESK_AND_PROVIDER },
  'POST /api/metering/meters/{meterId}/replace': { who: DESK_AND_PROVIDER, ids: { meterId: 'meter' } },
  'POST /api/metering/meters/{meterId}/status': { who: DESK_AND_PROVIDER, ids: { meterId: 'meter' } },
  'GET /api/metering/settings': { who: STAFF },
  'PUT /api/metering/settings': { who: DESK },
  'PUT /api/metering/norms/{serviceId}': { who: DESK, ids: { serviceId: 'service' } },
  'POST /api/metering/consumption/{period}': { who: DESK, ids: { period: 'period' } },
  // registry
  'GET /api/addresses/search': { who: STAFF_AND_PROVIDER },
  'GET /api/streets': { who: STAFF_AND_PROVIDER },
  'GET /api/buildings/{id}': { who: STAFF_AND_PROVIDER, ids: { id: 'building' } },
  'GET /api/premises/{id}': { who: PREMISE_READERS, ids: { id: 'premise' } },
  'GET /api/providers': { who: STAFF_AND_PROVIDER },
  'POST /api/providers': { who: DESK },
  'GET /api/providers/{id}': { who: STAFF_AND_PROVIDER, ids: { id: 'provider' } },
  'PATCH /api/providers/{id}': { who: DESK, ids: { id: 'provider' } },
  'DELETE /api/providers/{id}': { who: DESK, ids: { id: 'provider' } },
  'GET /api/services': { who: STAFF_AND_PROVIDER },
  'POST /api/services': { who: DESK },
  'GET /api/services/{id}': { who: STAFF_AND_PROVIDER, ids: { id: 'service' } },
  'PATCH /api/services/{id}': { who: DESK, ids: { id: 'service' } },
  'DELETE /api/services/{id}': { who: DESK, ids: { id: 'service' } },
  // onboarding
  'POST /api/imports/preview': { who: DESK_AND_PROVIDER },
  'POST /api/imports': { who: DESK_AND_PROVIDER, ids: { providerId: 'provider' } },
  'GET /api/imports': { who: STAFF_AND_PROVIDER },
  'GET /api/imports/tariff-holds': { who: STAFF },
  'GET /api/imports/{id}': { who: STAFF_AND_PROVIDER, ids: { id: 'import' } },
  'GET /api/imports/{id}/report.csv': { who: STAFF_AND_PROVIDER, ids: { id: 'import' } },
  'GET /api/imports/{id}/report.xlsx': { who: STAFF_AND_PROVIDER, ids: { id: 'import' } },
  'GET /api/imports/{id}/queue': { who: STAFF_AND_PROVIDER, ids: { id: 'import' } },
  'POST /api/imports/{id}/queue/accept': { who: QUEUE_DECIDERS, ids: { id: 'import' } },
  'POST /api/imports/{id}/queue/create': { who: DESK, ids: { id: 'import' } },
  'POST /api/imports/{id}/queue/reject': { who: QUEUE_DECIDERS, ids: { id: 'import' } },
  'GET /api/import-profiles': { who: STAFF_AND_PROVIDER, ids: { providerId: 'provider' } },
  'POST /api/import-profiles': { who: DESK_AND_PROVIDER },
  // bills
  'GET /api/bills/premises/{id}': { who: PREMISE_READERS, ids: { id: 'premise', period: 'period' } },
  'GET /api/bills/premises/{id}/pdf': { who: PREMISE_READERS, ids: { id: 'premise', period: 'period' } },
  'GET /api/bills/premises/{id}/html': { who: PREMISE_READERS, ids: { id: 'premise', period: 'period' } },
  'PUT /api/bills/premises/{id}/delivery': { who: DESK, ids: { id: 'premise' } },
  'GET /api/bills/design': { who: STAFF },
  'PUT /api/bills/design': { who: ADMIN },
  'GET /api/bills/design/logo': { who: STAFF, notInFixture: true },
  'PUT /api/bills/design/logo': { who: ADMIN },
  'DELETE /api/bills/design/logo': { who: ADMIN },
  'POST /api/bills/design/preview': { who: ADMIN },
  'POST /api/bills/ebills': { who: DESK },
  'GET /api/bills/ebills': { who: STAFF, ids: { period: 'period' } },
  'POST /api/bills/print-runs': { who: DESK },
  'GET /api/bills/print-runs': { who: STAFF },
  'GET /api/bills/print-runs/{id}': { who: STAFF, notInFixture: true },
  'GET /api/bills/print-runs/{id}/files/{name}': { who: STAFF, notInFixture: true },
  'GET /api/bills/notices': { who: STAFF_AND_PROVIDER, ids: { period: 'period' } },
  'POST /api/bills/notices': { who: DESK_AND_PROVIDER },
  'DELETE /api/bills/notices/{id}': { who: DESK_AND_PROVIDER, notInFixture: true },
  // payments: the agent API and the bank's XML sign each request with the agent's key (no session)
  'GET /api/agent/v1/debt': { who: 'anyone' },
  'POST /api/agent/v1/check': { who: 'anyone' },
  'POST /api/agent/v1/pay': { who: 'anyone' },
  'POST /api/agent/v1/cancel': { who: 'anyone' },
  'GET /api/agent/v1/payments/{txnId}': { who: 'anyone' },
  'POST /api/debt/v1/': { who: 'anyone' },
  'POST /api/payments/card/callback': { who: 'anyone' },
  'GET /api/receipts/{code}': { who: 'anyone' },
  'GET /api/payments': { who: STAFF },
  'GET /api/payments/daily': { who: STAFF },
  'GET /api/payments/chain/verify': { who: ['admin', 'city'] },
  'POST /api/payments/{id}/reverse': { who: DESK, notInFixture: true },
  'GET /api/payments/agents': { who: DESK },
  'POST /api/payments/agents': { who: ADMIN },
  'PATCH /api/payments/agents/{id}': { who: ADMIN, notInFixture: true },
  'POST /api/payments/agents/{id}/keys': { who: ADMIN, notInFixture: true },
  'POST /api/payments/agents/{id}/keys/{keyId}/retire': { who: ADMIN, notInFixture: true },
  'POST /api/payments/agents/{id}/registries/{date}': { who: DESK, notInFixture: true },
  'GET /api/payments/registries': { who: STAFF },
  'POST /api/payments/card/start': { who: PAYERS },
  'GET /api/payments/card/orders/{orderId}': { who: PAYERS, notInFixture: true },
  'POST /api/payments/settlement/contracts': { who: ADMIN },
  'GET /api/payments/settlement/contracts': { who: STAFF_AND_PROVIDER },
  'GET /api/payments/settlement/owing': { who: STAFF_AND_PROVIDER },
  'POST /api/payments/settlement/{date}/export': { who: DESK },
  'GET /api/payments/settlement/{date}': { who: STAFF_AND_PROVIDER },
  'GET /api/payments/settlement/{providerId}/{file}': { who: STAFF_AND_PROVIDER, ids: { providerId: 'provider' } },
  // residents' portal: signing up and in is open; the rest is a resident's own homes
  'POST /api/portal/sign-up': { who: 'anyone' },
  'POST /api/portal/confirm': { who: 'anyone' },
  'POST /api/portal/sign-in': { who: 'anyone' },
  'POST /api/portal/reset': { who: 'anyone' },
  'POST /api/portal/reset/confirm': { who: 'anyone' },
  'GET /api/portal/outbox': { who: 'anyone' },
  'GET /api/portal/sessions': { who: 'signed-in' },
  'DELETE /api/portal/sessions/{id}': { who: 'signed-in', notInFixture: true },
  'GET /api/portal/home': { who: RESIDENT },
  'POST /api/portal/premises': { who: RESIDENT },
  'DELETE /api/portal/premises/{id}': { who: RESIDENT, ids: { id: 'premise' } },
  'POST /api/portal/premises/{id}/invites': { who: RESIDENT, ids: { id: 'premise' } },
  'POST /api/portal/invites/accept': { who: RESIDENT },
  'GET /api/portal/premises/{id}/bills': { who: RESIDENT, ids: { id: 'premise' } },
  'PUT /api/portal/premises/{id}/delivery': { who: RESIDENT, ids: { id: 'premise' } },
  'POST /api/portal/premises/{id}/pay': { who: RESIDENT, ids: { id: 'premise' }, notInFixture: true },
  'POST /api/portal/readings': { who: RESIDENT },
  'GET /api/portal/premises/{id}/history': { who: RESIDENT, ids: { id: 'premise' } },
  'GET /api/portal/premises/{id}/payments': { who: RESIDENT, ids: { id: 'premise' } },
  // jobs, dashboard
  'GET /api/jobs/{id}': { who: STAFF_AND_PROVIDER, ids: { id: 'job' } },
  'GET /api/jobs': { who: STAFF_AND_PROVIDER },
  'GET /api/dashboard': { who: STAFF },
  'GET /api/provider/home': { who: ['provider'] },
  'GET /api/provider/accounts': { who: ['provider'] },
};

/** The table's key of a route as Fastify names it: `GET /api/premises/:id` → `GET /api/premises/{id}`. */
export function ruleKey(method: string, url: string): string {
  return `${method} ${url.replace(/:(\w+)/g, '{$1}')}`;
}

/** Whether a role passes a rule's `who` (the ids are the services' to check). */
export function roleAllowed(rule: AccessRule, role: Role | null): boolean {
  if (rule.who === 'anyone') return true;
  if (role === null) return false;
  return rule.who === 'signed-in' || rule.who.includes(role);
}

/**
 * Kinds of record a role sees only its own of (a provider: its accounts, meters and the premises
 * where it has an account; a resident: their homes and meters); staff see the whole community.
 * Everyone is confined to their own community.
 */
export const scopedKinds: Readonly<Record<Role, readonly IdKind[]>> = {
  admin: [],
  operator: [],
  city: [],
  provider: ['premise', 'building', 'account', 'meter', 'unified', 'provider', 'reading', 'job', 'import'],
  resident: ['premise', 'building', 'account', 'meter', 'unified', 'reading', 'job'],
};
