/**
 * No 5xx for any input (issue #18 item 2): every route of /api/openapi.json is called with values
 * fast-check draws from its own schema, one in four replaced by something hostile (NUL, lone
 * surrogates, a million characters, numbers at and past 2⁵³, dates like 2026-02-30, negative
 * kopecks), as a caller its rule allows. Any internal error fails the test with the route, the
 * input fast-check shrank it to, and the stack the server logged.
 *
 * Bounded: FUZZ_RUNS inputs per route (default 12); FUZZ_SEED repeats a run (default fixed, so CI
 * is repeatable; set it to explore).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { accessRules, type AccessRule } from '../../src/server/access-rules';
import type { Role } from '../../src/server/context';
import { arbitraryOf, hostileStrings, urlOf, type Operation } from '../helpers/openapi';
import { startApiWorld, type ApiWorld } from './api-world';

const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
const SEED = Number(process.env.FUZZ_SEED ?? 20261204);

/** A caller the rule lets through: the broadest role, so that the route's own code runs. */
function callerOf(rule: AccessRule): Role | null {
  if (rule.who === 'anyone') return null;
  if (rule.who === 'signed-in') return 'admin';
  return (['admin', 'operator', 'provider', 'city', 'resident'] as const).find((r) => (rule.who as readonly Role[]).includes(r)) ?? null;
}

/** Signing out ends the caller's session, and deletions change the fixture: they go last. */
const order = (op: Operation) => (op.key === 'POST /api/auth/sign-out' ? 3 : op.method === 'DELETE' ? 2 : op.method === 'GET' ? 0 : 1);

describe('API fuzz: no input makes any route answer 5xx', () => {
  let world: ApiWorld;
  beforeAll(async () => {
    world = await startApiWorld();
  }, 120_000);
  afterAll(async () => world?.close());

  it(`every route, ${RUNS} inputs each`, { timeout: 600_000 }, async () => {
    const failures: string[] = [];
    const operations = [...world.operations].sort((a, b) => order(a) - order(b));
    for (const op of operations) {
      const rule = accessRules[op.key];
      if (!rule) continue; // the access matrix fails for a route without a rule
      const role = callerOf(rule);
      const input = fc.record({
        path: fc.record(Object.fromEntries(Object.entries(op.pathParams).map(([name, schema]) => [name, arbitraryOf(schema, name)]))),
        query: fc.record(
          Object.fromEntries(Object.entries(op.query).map(([name, schema]) => [name, arbitraryOf(schema, name)])),
          { requiredKeys: [] },
        ),
        body: op.body ? arbitraryOf(op.body) : fc.oneof(fc.constantFrom(...hostileStrings), fc.string({ maxLength: 200 })),
      });
      let lastError = '';
      const started = Date.now();
      try {
        await fc.assert(
          fc.asyncProperty(input, async ({ path, query, body }) => {
            const headers: Record<string, string> = role ? { ...world.as[role].headers } : {};
            const raw = !op.body && op.method !== 'GET' && op.method !== 'DELETE';
            if (op.method !== 'GET' && op.method !== 'DELETE') headers['content-type'] = raw ? 'application/octet-stream' : 'application/json';
            const res = await world.app.inject({
              method: op.method as 'GET',
              url: urlOf(op, path, query),
              headers,
              payload: op.method === 'GET' || op.method === 'DELETE' ? undefined : raw ? String(body) : JSON.stringify(body),
            });
            if (op.key === 'POST /api/auth/sign-out' && role) await world.signIn(role);
            if (res.statusCode >= 500) {
              let requestId: string | undefined;
              try {
                requestId = res.json().requestId;
              } catch {
                requestId = undefined;
              }
              lastError = world.loggedError(requestId) ?? res.body.slice(0, 300);
              return false;
            }
            return true;
          }),
          { numRuns: RUNS, seed: SEED, endOnFailure: false },
        );
      } catch (e) {
        const counterexample = (e as Error).message.split('\n').find((l) => l.startsWith('Counterexample:')) ?? '';
        failures.push(`${op.key} as ${role ?? 'anonymous'}: ${counterexample.slice(0, 400)}\n    ${lastError.split('\n').slice(0, 4).join('\n    ')}`);
      }
      if (process.env.FUZZ_TIMES) console.log(`${Date.now() - started} ms ${op.key}`);
    }
    expect(failures, 'routes that answered 5xx').toEqual([]);
  });
});
