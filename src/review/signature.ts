import type { AuthUser } from '../auth/sessions.ts';
import { emailRef } from '../auth/login.usecases.ts';
import { countedAttempt } from '../auth/password-attempts.ts';
import type { AppDeps } from '../entry/deps.ts';
import { consume } from '../http/rate-limit.ts';
import { AppError } from '../lib/errors.ts';
import type { Logger } from '../lib/logger.ts';

/**
 * An electronic signature (21 CFR 11.200) is a password attempt like a sign-in: it counts towards
 * the lockout (a locked account cannot sign) and against the account's sign-in rate limit, the same
 * budget and key as sign-in, so a stolen session cannot guess the password faster than the sign-in
 * page allows. A correct signature gives its point back: a reviewer's day of approvals is not limited.
 */
export async function signWithPassword(deps: AppDeps, user: AuthUser, password: string, now: Date, log: Logger): Promise<void> {
  const key = emailRef(deps.config, user.email);
  // The rate-limit point and the account's hash are independent: one wait for both.
  const [, me] = await Promise.all([
    consume(deps.limits.loginAccount, [key], 'password attempts for this account'),
    deps.db.user.findUnique({ where: { id: user.id }, select: { id: true, passwordHash: true } }),
  ]);
  const { attempt, left } = await countedAttempt(deps, me, password, now, log, { waitForTurn: true });
  if (attempt === 'ok') {
    await deps.limits.loginAccount.reward(key, 1).catch(() => {});
    return;
  }
  log.warn({ userId: user.id, reason: attempt === 'locked' ? 'signature-locked' : 'signature' }, 'electronic signature failed');
  if (attempt === 'locked') throw new AppError('UNAUTHENTICATED', 'Electronic signature refused: the account is locked after repeated wrong passwords');
  // The reviewer is told how many tries remain before the lock, in the message and as a detail for the form.
  const minutes = deps.config.LOGIN_LOCK_MINUTES;
  const then = left ? `${left} ${left === 1 ? 'attempt' : 'attempts'} left before your account locks for ${minutes} minutes` : `Your account is now locked for ${minutes} minutes`;
  throw new AppError('UNAUTHENTICATED', `Electronic signature failed: the password is not correct. ${then}.`, { attemptsLeft: left });
}
