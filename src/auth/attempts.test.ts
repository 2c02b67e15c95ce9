import { describe, expect, it } from 'vitest';
import { AttemptLimiter } from './attempts';

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
