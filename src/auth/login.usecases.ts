import { createHash } from 'node:crypto';
import { appendAudit } from '../audit/audit.ts';
import type { AppDeps } from '../entry/deps.ts';
import { consume } from '../http/rate-limit.ts';
import { AppError } from '../lib/errors.ts';
import type { Logger } from '../lib/logger.ts';
import { dummyHash, verifyPassword } from './passwords.ts';
import { createSession } from './sessions.ts';

const WRONG = 'Wrong email or password';

/** Log lines name the account by a hash of the email typed, so a mistyped password in the email field never lands in a log. */
const emailRef = (email: string) => createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 16);

/**
 * Signs a user in. Rate limits per client address and per account come first (429), then the CJIS
 * lockout: LOGIN_MAX_FAILURES wrong passwords in a row lock the account for LOGIN_LOCK_MINUTES, during
 * which even the right password is refused. Every attempt is logged, never with the password.
 */
export async function login(deps: AppDeps, input: { email: string; password: string; ip: string }, log: Logger) {
  const email = input.email.trim().toLowerCase();
  const ref = emailRef(email);
  if (deps.limits) {
    const checks = [
      [deps.limits.loginIp, input.ip, 'sign-in attempts from this address', 'rate-ip'],
      [deps.limits.loginAccount, ref, 'sign-in attempts for this account', 'rate-account'],
    ] as const;
    for (const [limiter, key, what, reason] of checks) {
      await consume(limiter, [key], what).catch((err) => {
        log.warn({ emailRef: ref, ip: input.ip, reason }, 'login refused');
        throw err;
      });
    }
  }
  const now = deps.clock.now();
  const user = await deps.db.user.findUnique({ where: { email } });
  if (user?.lockedUntil && user.lockedUntil > now) {
    await dummyHash(); // same cost as a real check: the answer time tells nothing
    const minutes = Math.ceil((user.lockedUntil.getTime() - now.getTime()) / 60_000);
    log.warn({ userId: user.id, ip: input.ip, reason: 'locked' }, 'login refused');
    throw new AppError('UNAUTHENTICATED', `This account is locked after repeated failed sign-ins; try again in ${minutes} min or ask an administrator`);
  }
  const valid = await verifyPassword(input.password, user?.passwordHash ?? (await dummyHash()));
  if (!user || !valid || user.disabledAt) {
    log.warn({ emailRef: ref, userId: user?.id, ip: input.ip, reason: !user ? 'unknown' : user.disabledAt ? 'disabled' : 'password' }, 'login failed');
    if (user && !valid && !user.disabledAt) await recordFailure(deps, user.id, now, log);
    throw new AppError('UNAUTHENTICATED', WRONG);
  }
  if (user.failedLogins > 0 || user.lockedUntil) await deps.db.user.update({ where: { id: user.id }, data: { failedLogins: 0, lockedUntil: null } });
  const token = await createSession(deps.db, user.id, deps.clock, deps.sessionPolicy);
  log.info({ userId: user.id, ip: input.ip }, 'login');
  return { token, user };
}

/**
 * One more wrong password for the account; the last allowed one locks it (sign-in and e-signature
 * alike). Resolves to the attempts left before the lock (0 once locked).
 */
export async function recordFailure(deps: AppDeps, userId: string, now: Date, log: Logger): Promise<number> {
  const max = deps.config.LOGIN_MAX_FAILURES;
  return deps.db.$transaction(async (tx) => {
    const [u] = await tx.$queryRaw<{ failedLogins: number }[]>`
      UPDATE "User" SET "failedLogins" = "failedLogins" + 1 WHERE id = ${userId}::uuid RETURNING "failedLogins"`;
    if (!u) return 0;
    if (u.failedLogins < max) return max - u.failedLogins;
    const lockedUntil = new Date(now.getTime() + deps.config.LOGIN_LOCK_MINUTES * 60_000);
    await tx.user.update({ where: { id: userId }, data: { failedLogins: 0, lockedUntil } });
    await appendAudit(tx, { actor: null, action: 'user.lock', entityType: 'User', entityId: userId, after: { lockedUntil, reason: `${max} failed sign-ins` } }, now);
    log.warn({ userId, lockedUntil }, 'account locked');
    return 0;
  });
}
