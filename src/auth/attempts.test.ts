import { describe, expect, it } from 'vitest';
import { AttemptLimiter, SignInGuard } from './attempts';

describe('AttemptLimiter', () => {
  it('allows 10 failures in 15 minutes, refuses the 11th try, and frees the key as the window moves', () => {
    let t = 0;
    const limiter = new AttemptLimiter(10, 15 * 60_000, () => t);
    for (let i = 0; i < 10; i++) {
      expect(limiter.retryAfterMs('login:ivan')).toBe(0);
      limiter.fail('login:ivan');
      t += 60_000; // one a minute: failures at 0, 1, …, 9 minutes
    }
    // Now t = 10 min; the oldest failure (t = 0) leaves the window at 15 min.
    expect(limiter.retryAfterMs('login:ivan')).toBe(5 * 60_000);
    expect(limiter.retryAfterMs('login:petro')).toBe(0);
    t = 15 * 60_000 + 1;
    expect(limiter.retryAfterMs('login:ivan')).toBe(0);
  });
});

describe('SignInGuard', () => {
  it('locks a login only for addresses that failed; a clean address still may try it', () => {
    const t = 0;
    const guard = new SignInGuard(() => t);
    // 10 guesses for «ivan», one from each of 10 addresses (a spread attack).
    for (let i = 0; i < 10; i++) guard.fail('Ivan', `198.51.100.${i}`);
    expect(guard.retryAfterMs('ivan', '198.51.100.3')).toBeGreaterThan(0); // an attacking address: refused
    expect(guard.retryAfterMs('ivan', '192.0.2.1')).toBe(0); // the person's own, clean address: allowed
    expect(guard.retryAfterMs('petro', '198.51.100.3')).toBe(0); // another login from that address: allowed
    expect(guard.lockedLogins()).toEqual(['ivan']);
  });

  it('answers the scopes each failure locked, once', () => {
    const guard = new SignInGuard(() => 0);
    const locks: string[][] = [];
    for (let i = 0; i < 11; i++) locks.push(guard.fail('ivan', '203.0.113.1'));
    expect(locks.slice(0, 9).every((l) => l.length === 0)).toBe(true);
    expect(locks[9]).toEqual(['login', 'login_address']);
    expect(locks[10]).toEqual([]);
    for (let i = 0; i < 39; i++) guard.fail(`user${i}`, '203.0.113.1');
    expect(guard.retryAfterMs('someone', '203.0.113.1')).toBeGreaterThan(0); // 50 from one address
    expect(guard.retryAfterMs('someone', '203.0.113.2')).toBe(0);
  });

  it('lifts every lockout of a login, from every address', () => {
    const guard = new SignInGuard(() => 0);
    for (let i = 0; i < 10; i++) guard.fail('ivan', '203.0.113.1');
    expect(guard.retryAfterMs('IVAN', '203.0.113.1')).toBe(15 * 60_000);
    expect(guard.lift(' Ivan ')).toBe(true);
    expect(guard.retryAfterMs('ivan', '203.0.113.1')).toBe(0);
    expect(guard.lockedLogins()).toEqual([]);
    expect(guard.lift('ivan')).toBe(false);
  });
});
