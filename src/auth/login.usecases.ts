import { createHmac, randomBytes } from 'node:crypto';
import type { AppDeps } from '../entry/deps.ts';
import { consume } from '../http/rate-limit.ts';
import type { TConfig } from '../lib/config.ts';
import { AppError } from '../lib/errors.ts';
import type { Logger } from '../lib/logger.ts';
import { attemptPassword } from './password-attempts.ts';
import { createSession } from './sessions.ts';

/** One answer for every refusal: an unknown email, a wrong password, a locked or disabled account. */
export const SIGN_IN_REFUSED = 'Wrong email or password, or the account is locked after repeated failures: try again later or ask an administrator';

/** Without SERVER_SECRET, a key of this process: references then change at every restart (the log says so at start-up). */
const processSecret = randomBytes(32);

/**
 * How logs and sign-in limits name an account: an HMAC of the email typed, keyed with SERVER_SECRET,
 * so a mistyped password in the email field never lands in a log, and neither a log nor the limits
 * table can be reversed by hashing candidate emails without the key.
 */
export const emailRef = (config: Pick<TConfig, 'SERVER_SECRET'>, email: string) =>
  createHmac('sha256', config.SERVER_SECRET ?? processSecret).update(email.trim().toLowerCase()).digest('hex').slice(0, 16);

/**
 * Signs a user in. Rate limits per client address and per account come first (429), then one
 * password attempt under the CJIS lockout (password-attempts.ts). Every attempt is logged, never with
 * the password; every refusal answers the same.
 */
export async function login(deps: AppDeps, input: { email: string; password: string; ip: string }, log: Logger) {
  const email = input.email.trim().toLowerCase();
  const ref = emailRef(deps.config, email);
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
  const attempt = await attemptPassword(deps, user, input.password, now, log);
  if (!user || attempt !== 'ok' || user.disabledAt) {
    const reason = !user ? 'unknown' : attempt === 'locked' ? 'locked' : attempt === 'wrong' ? 'password' : 'disabled';
    log.warn({ emailRef: ref, userId: user?.id, ip: input.ip, reason }, 'login failed');
    throw new AppError('UNAUTHENTICATED', SIGN_IN_REFUSED);
  }
  const token = await createSession(deps.db, user.id, deps.clock, deps.sessionPolicy);
  log.info({ userId: user.id, ip: input.ip }, 'login');
  return { token, user };
}
