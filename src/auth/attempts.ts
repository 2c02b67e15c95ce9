/**
 * Counts failed sign-in attempts per key (an IP address, a login) in a sliding window. Failures
 * only: a person who signs in correctly now and then is never locked out, while guessing is. Once a
 * key is over the limit it is refused until the window moves on or an administrator lifts it.
 *
 * In memory, per process: enough to make guessing slow; each API process counts on its own.
 */
export class AttemptLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    readonly maxFailures = 10,
    readonly windowMs = 15 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until the key may try again; 0 when it may try now. */
  retryAfterMs(key: string): number {
    const recent = this.recent(key);
    if (recent.length < this.maxFailures) return 0;
    return recent[recent.length - this.maxFailures] + this.windowMs - this.now();
  }

  /** Failures of the key inside the window. */
  count(key: string): number {
    return this.recent(key).length;
  }

  /** Records a failure; true when this one locked the key (it reached the limit just now). */
  fail(key: string): boolean {
    const recent = this.recent(key);
    recent.push(this.now());
    this.failures.set(key, recent);
    return recent.length === this.maxFailures;
  }

  /** Forgets the failures of every key `match` accepts (an administrator lifting a lockout). */
  clear(match: (key: string) => boolean): number {
    let cleared = 0;
    for (const key of [...this.failures.keys()]) {
      if (match(key) && this.recent(key).length > 0) cleared++;
      if (match(key)) this.failures.delete(key);
    }
    return cleared;
  }

  /** Keys over the limit now, with the milliseconds until each is free. */
  locked(): { key: string; retryAfterMs: number }[] {
    return [...this.failures.keys()].map((key) => ({ key, retryAfterMs: this.retryAfterMs(key) })).filter((k) => k.retryAfterMs > 0);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }
}

export type LockScope = 'login' | 'address' | 'login_address';

/**
 * The sign-in policy (see src/auth/README.md, OWASP ASVS 2.2.1): failures are counted per login,
 * per client address, and per login from one address, each in a 15-minute window.
 * - 10 failures for a login from one address: that address may not try that login again.
 * - 50 failures from one address (any logins): that address may not sign in at all.
 * - 10 failures for a login from anywhere: addresses that have failed recently may not try it; an
 *   address with no recent failure still may, so guessing from many addresses gets one try per
 *   address while the person, from their own clean address, signs in with the right password.
 */
export class SignInGuard {
  readonly byLogin: AttemptLimiter;
  readonly byAddress: AttemptLimiter;
  readonly byLoginAddress: AttemptLimiter;

  constructor(now: () => number = Date.now, windowMs = 15 * 60 * 1000) {
    this.byLogin = new AttemptLimiter(10, windowMs, now);
    this.byAddress = new AttemptLimiter(50, windowMs, now);
    this.byLoginAddress = new AttemptLimiter(10, windowMs, now);
  }

  /** Milliseconds until this login may be tried from this address; 0 when it may now. */
  retryAfterMs(login: string, address: string): number {
    const key = normalLogin(login);
    const addressFailed = this.byAddress.count(address) > 0;
    return Math.max(
      this.byLoginAddress.retryAfterMs(pairKey(key, address)),
      this.byAddress.retryAfterMs(address),
      addressFailed ? this.byLogin.retryAfterMs(key) : 0,
    );
  }

  /** Records a failure; answers the scopes this failure locked (to be written to the audit log). */
  fail(login: string, address: string): LockScope[] {
    const key = normalLogin(login);
    const locked: LockScope[] = [];
    if (this.byLogin.fail(key)) locked.push('login');
    if (this.byAddress.fail(address)) locked.push('address');
    if (this.byLoginAddress.fail(pairKey(key, address))) locked.push('login_address');
    return locked;
  }

  /** Lifts every lockout of a login (from any address); answers whether there was one. */
  lift(login: string): boolean {
    const key = normalLogin(login);
    const wasLocked = this.lockedLogins().includes(key);
    this.byLogin.clear((k) => k === key);
    this.byLoginAddress.clear((k) => k.startsWith(`${key}\n`));
    return wasLocked;
  }

  /** Logins locked now, whether from everywhere or from one address. */
  lockedLogins(): string[] {
    const logins = [...this.byLogin.locked().map((l) => l.key), ...this.byLoginAddress.locked().map((l) => l.key.split('\n')[0])];
    return [...new Set(logins)].sort();
  }
}

export function normalLogin(login: string): string {
  return login.trim().toLowerCase();
}

const pairKey = (login: string, address: string) => `${login}\n${address}`;
