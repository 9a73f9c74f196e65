import { appendAudit } from '../audit/audit.ts';
import type { AppDeps } from '../entry/deps.ts';
import type { Logger } from '../lib/logger.ts';
import { dummyHash, verifyPassword } from './passwords.ts';

export type TAttempt = 'ok' | 'wrong' | 'locked';

/** No account has this id: an unknown email makes the same UPDATE as a known one, matching nothing. */
const NO_ACCOUNT = '00000000-0000-0000-0000-000000000000';

// Hashed once at start-up, so the first unknown email costs no more than the next.
void dummyHash();

/**
 * One password attempt against an account (sign-in and electronic signature alike), under the CJIS
 * lockout: LOGIN_MAX_FAILURES wrong passwords in a row lock it for LOGIN_LOCK_MINUTES.
 *
 * The attempt is counted before the password is checked, in one UPDATE that only succeeds while the
 * account is unlocked and has attempts left, so parallel guesses cannot all be checked before the
 * lock applies: at most LOGIN_MAX_FAILURES are. A right password gives the count back (to zero).
 *
 * Every call makes the same work whatever the outcome — one UPDATE and one Argon2 verification (of
 * the account's hash, or of a dummy hash when the account is unknown or locked) — so neither the
 * answer nor its time tells an unknown email from a locked account or a wrong password.
 */
export async function attemptPassword(deps: AppDeps, user: { id: string; passwordHash: string } | null, password: string, now: Date, log: Logger): Promise<TAttempt> {
  const max = deps.config.LOGIN_MAX_FAILURES;
  const claimed = await deps.db.$queryRaw<{ failedLogins: number }[]>`
    UPDATE "User" SET "failedLogins" = "failedLogins" + 1
    WHERE id = ${user?.id ?? NO_ACCOUNT}::uuid AND ("lockedUntil" IS NULL OR "lockedUntil" <= ${now}) AND "failedLogins" < ${max}
    RETURNING "failedLogins"`;
  const attempt = claimed[0];
  const valid = await verifyPassword(password, user && attempt ? user.passwordHash : await dummyHash());
  if (!user) return 'wrong';
  if (!attempt) return 'locked';
  if (valid) {
    await deps.db.user.update({ where: { id: user.id }, data: { failedLogins: 0, lockedUntil: null } });
    return 'ok';
  }
  if (attempt.failedLogins >= max) await lock(deps, user.id, now, log);
  return 'wrong';
}

/** The attempt that used the last allowed failure locks the account, with its audit entry. */
async function lock(deps: AppDeps, userId: string, now: Date, log: Logger): Promise<void> {
  const max = deps.config.LOGIN_MAX_FAILURES;
  const lockedUntil = new Date(now.getTime() + deps.config.LOGIN_LOCK_MINUTES * 60_000);
  await deps.db.$transaction(async (tx) => {
    const locked = await tx.$executeRaw`UPDATE "User" SET "failedLogins" = 0, "lockedUntil" = ${lockedUntil} WHERE id = ${userId}::uuid AND "failedLogins" >= ${max}`;
    if (!locked) return;
    await appendAudit(tx, { actor: null, action: 'user.lock', entityType: 'User', entityId: userId, after: { lockedUntil, reason: `${max} failed password attempts` } }, now);
  });
  log.warn({ userId, lockedUntil }, 'account locked');
}
