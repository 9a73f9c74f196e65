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
  return (await countedAttempt(deps, user, password, now, log)).attempt;
}

/**
 * The same attempt, with the attempts left before the lock once it is counted: 0 when this one
 * locked the account or it was already locked, the whole allowance back after a right password.
 */
export async function countedAttempt(
  deps: AppDeps,
  user: { id: string; passwordHash: string } | null,
  password: string,
  now: Date,
  log: Logger,
  opts: { waitForTurn?: boolean } = {},
): Promise<{ attempt: TAttempt; left: number }> {
  const max = deps.config.LOGIN_MAX_FAILURES;
  const claim = async () => (await deps.db.$queryRaw<{ failedLogins: number }[]>`
    UPDATE "User" SET "failedLogins" = "failedLogins" + 1
    WHERE id = ${user?.id ?? NO_ACCOUNT}::uuid AND ("lockedUntil" IS NULL OR "lockedUntil" <= ${now}) AND "failedLogins" < ${max}
    RETURNING "failedLogins"`)[0];
  let attempt = await claim();
  // Attempts in flight hold places in the count until each is checked, right ones included: a signer's
  // own simultaneous signatures would be refused as if the account were locked. A signature (the
  // account is known, so waiting reveals nothing) waits for a place while the account is not locked;
  // at most LOGIN_MAX_FAILURES attempts are still checked before a lock applies.
  for (let waited = 0; !attempt && opts.waitForTurn && user && waited < TURN_WAIT_MS && !(await isLocked(deps, user.id, now)); waited += TURN_STEP_MS) {
    await new Promise((r) => setTimeout(r, TURN_STEP_MS));
    attempt = await claim();
  }
  const valid = await verifyPassword(password, user && attempt ? user.passwordHash : await dummyHash());
  if (!user) return { attempt: 'wrong', left: 0 };
  if (!attempt) return { attempt: 'locked', left: 0 };
  if (valid) {
    await deps.db.user.update({ where: { id: user.id }, data: { failedLogins: 0, lockedUntil: null } });
    return { attempt: 'ok', left: max };
  }
  if (attempt.failedLogins >= max) await lock(deps, user.id, now, log);
  return { attempt: 'wrong', left: Math.max(0, max - attempt.failedLogins) };
}

/** How long a signature waits for a place among attempts in flight, and how often it looks. */
const TURN_WAIT_MS = 5_000;
const TURN_STEP_MS = 25;

async function isLocked(deps: AppDeps, userId: string, now: Date): Promise<boolean> {
  const u = await deps.db.user.findUnique({ where: { id: userId }, select: { lockedUntil: true } });
  return !!u?.lockedUntil && u.lockedUntil > now;
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
