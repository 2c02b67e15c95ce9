/**
 * The access matrix, generated from /api/openapi.json: every route, for every role and for no
 * session, with ids of the caller's own records, of another premise, another provider and another
 * community. Each answer must be the one the route's line in src/server/access-rules.ts gives:
 * 401 without a session, 403 for a role not listed, 403/404 for a record outside the caller's
 * scope — and never a 5xx, never another community's data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessRules, roleAllowed, scopedKinds, type IdKind } from '../../src/server/access-rules';
import type { Role } from '../../src/server/context';
import { sampleOf, urlOf, type Operation } from '../helpers/openapi';
import { FOREIGN_MARKER, idsOf, type IdCase } from './access-fixture';
import { ROLES, startApiWorld, type ApiWorld } from './api-world';

const CASES: IdCase[] = ['self', 'otherPremise', 'otherProvider', 'otherCommunity'];

describe('access matrix over every route of the OpenAPI document', () => {
  let world: ApiWorld;
  let operations: Operation[];

  beforeAll(async () => {
    world = await startApiWorld();
    operations = world.operations;
  }, 120_000);
  afterAll(async () => world?.close());

  it('has a rule for every route the API serves, and a route for every rule', () => {
    const served = operations.map((op) => op.key).sort();
    expect(served.filter((key) => !accessRules[key]), 'routes without a line in src/server/access-rules.ts').toEqual([]);
    expect(Object.keys(accessRules).filter((key) => !served.includes(key)), 'rules of routes that do not exist').toEqual([]);
  });

  it('answers every role, and no session, as the rule says', { timeout: 240_000 }, async () => {
    const wrong: string[] = [];
    // Signing out ends the session the other calls use, and deletions change the fixture: last.
    const ordered = [...operations].sort((a, b) => weight(a) - weight(b));
    for (const op of ordered) {
      const rule = accessRules[op.key];
      if (!rule) continue;
      const kinds = Object.entries(rule.ids ?? {});
      const cases = kinds.some(([, kind]) => kind !== 'period') ? CASES : (['self'] as IdCase[]);
      for (const role of [null, ...ROLES]) {
        for (const idCase of cases) {
          const res = await call(op, role, idCase);
          const outcome = `${op.key} as ${role ?? 'anonymous'} with ${idCase} ids → ${res.statusCode}`;
          if (res.statusCode >= 500) wrong.push(`${outcome}: ${world.loggedError(res.json().requestId) ?? res.body}`);
          if (idCase === 'otherCommunity' && res.body.includes(FOREIGN_MARKER)) wrong.push(`${outcome}: another community's data`);
          const expected = expectedAnswer(role, idCase, rule.who === 'anyone', roleAllowed(rule, role), kinds);
          // A record the fixture lacks is 404 for a caller the rule allows.
          const refusals = rule.notInFixture ? [401, 403] : [401, 403, 404];
          if (expected === 'allowed' && refusals.includes(res.statusCode)) wrong.push(`${outcome}, expected it allowed: ${res.body.slice(0, 160)}`);
          if (expected === 'unauthenticated' && res.statusCode !== 401) wrong.push(`${outcome}, expected 401`);
          if (expected === 'forbidden' && res.statusCode !== 403) wrong.push(`${outcome}, expected 403`);
          if (expected === 'out-of-scope' && ![403, 404].includes(res.statusCode) && !(res.statusCode < 300 && !kinds.some(([p]) => op.pathParams[p]))) {
            wrong.push(`${outcome}, expected 403 or 404`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  type Expected = 'allowed' | 'unauthenticated' | 'forbidden' | 'out-of-scope';

  function expectedAnswer(role: Role | null, idCase: IdCase, open: boolean, allowed: boolean, kinds: Array<[string, IdKind]>): Expected | 'any-but-5xx' {
    if (!allowed) return role === null ? 'unauthenticated' : 'forbidden';
    if (open) return 'any-but-5xx';
    if (idCase === 'otherCommunity' && kinds.some(([, k]) => k !== 'period')) return 'out-of-scope';
    if (role && !kinds.every(([, k]) => inScope(role, idCase, k))) return 'out-of-scope';
    return 'allowed';
  }

  /** Whether a record of another premise or provider is still the role's to see. */
  function inScope(role: Role, idCase: IdCase, kind: IdKind): boolean {
    if (idCase === 'self' || !scopedKinds[role].includes(kind)) return true;
    if (idsOf(idCase)[kind] === idsOf('self')[kind]) return true;
    // A resident's home holds other providers' accounts and meters too.
    return role === 'resident' && idCase === 'otherProvider' && ['account', 'meter', 'reading'].includes(kind);
  }

  function weight(op: Operation): number {
    if (op.key === 'POST /api/auth/sign-out') return 3;
    if (op.method === 'DELETE') return 2;
    return op.method === 'GET' ? 0 : 1;
  }

  async function call(op: Operation, role: Role | null, idCase: IdCase) {
    const rule = accessRules[op.key]!;
    const ids = idsOf(idCase);
    const pathValues: Record<string, unknown> = {};
    const query: Record<string, unknown> = {};
    for (const name of Object.keys(op.pathParams)) pathValues[name] = ids[rule.ids?.[name] ?? 'premise'];
    for (const [name, schema] of Object.entries(op.query)) {
      const kind = rule.ids?.[name];
      if (kind) query[name] = ids[kind];
      else if (op.requiredQuery.includes(name)) query[name] = sampleOf(schema, name);
    }
    const headers: Record<string, string> = role ? { ...world.as[role].headers } : {};
    let payload: string | undefined;
    if (op.body) {
      payload = JSON.stringify(withIds(sampleOf(op.body), idsOf('self')));
      headers['content-type'] = 'application/json';
    } else if (op.method !== 'GET' && op.method !== 'DELETE') {
      // Uploads are the raw body (the document declares none for them).
      payload = 'address;account\nСоборна 1, кв. 1;В-1\n';
      headers['content-type'] = 'application/octet-stream';
    }
    const res = await world.app.inject({ method: op.method as 'GET', url: urlOf(op, pathValues, query), headers, payload });
    if (op.key === 'POST /api/auth/sign-out' && role) await world.signIn(role);
    return res;
  }
});

/** A sample body with its id fields pointing at the caller's own records. */
function withIds(value: unknown, ids: Record<IdKind, string | number>): unknown {
  if (Array.isArray(value)) return value.map((v) => withIds(v, ids));
  if (!value || typeof value !== 'object') return value;
  const byField: Record<string, IdKind> = { premiseId: 'premise', accountId: 'account', providerId: 'provider', serviceId: 'service', meterId: 'meter', buildingId: 'building' };
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, byField[k] ? ids[byField[k]] : withIds(v, ids)]));
}
