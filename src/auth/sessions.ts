import { createHash, randomBytes } from 'node:crypto';
import { appendAudit } from '../audit/audit.ts';
import type { TRole } from '../domain/closed-sets.ts';
import type { Db } from '../lib/db.ts';
import type { Clock } from '../lib/clock.ts';

export type TSessionPolicy = { idleMs: number; absoluteMs: number };
export const DEFAULT_SESSION_POLICY: TSessionPolicy = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };

export type AuthUser = { id: string; email: string; name: string; role: TRole };

/** Tokens are 256 random bits; only their SHA-256 is stored, so a database copy holds no live token. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createSession(db: Db, userId: string, clock: Clock, policy: TSessionPolicy): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const now = clock.now();
  await db.session.create({
    data: { tokenHash: hashToken(token), userId, createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + policy.absoluteMs) },
  });
  return token;
}

type TSessionState = { revokedAt: Date | null; expiresAt: Date; lastSeenAt: Date; user: { disabledAt: Date | null } };

/** Not revoked, not past its absolute or idle limit, and its user not disabled: the one rule for requests and open streams. */
export function isSessionLive(s: TSessionState, now: Date, policy: TSessionPolicy): boolean {
  if (s.revokedAt || s.user.disabledAt) return false;
  return s.expiresAt > now && now.getTime() - s.lastSeenAt.getTime() <= policy.idleMs;
}

/** The live session's user, or null (unknown, revoked, expired, idle too long, user disabled). */
export async function resolveSession(db: Db, token: string, clock: Clock, policy: TSessionPolicy): Promise<{ user: AuthUser; sessionId: string } | null> {
  // Every authenticated request asks this: the session and its user in one query, one round trip.
  const [row] = await db.$queryRaw<(Omit<TSessionState, 'user'> & { id: string; userId: string; email: string; name: string; role: TRole; disabledAt: Date | null })[]>`
    SELECT s.id, s."revokedAt", s."expiresAt", s."lastSeenAt", u.id AS "userId", u.email, u.name, u.role::text AS role, u."disabledAt"
    FROM "Session" s JOIN "User" u ON u.id = s."userId"
    WHERE s."tokenHash" = ${hashToken(token)}`;
  const now = clock.now();
  if (!row || !isSessionLive({ ...row, user: { disabledAt: row.disabledAt } }, now, policy)) return null;
  // Touch at most once a minute: the idle clock needs no finer grain, the database no extra writes.
  if (now.getTime() - row.lastSeenAt.getTime() > 60_000) {
    await db.session.update({ where: { id: row.id }, data: { lastSeenAt: now } });
  }
  return { user: { id: row.userId, email: row.email, name: row.name, role: row.role }, sessionId: row.id };
}

/** Logout: the session ends at once, and the audit trail says who ended it and when. */
export async function revokeSession(db: Db, sessionId: string, actor: { id: string; role: AuthUser['role'] }, now: Date): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.session.update({ where: { id: sessionId }, data: { revokedAt: now } });
    await appendAudit(tx, { actor, action: 'session.logout', entityType: 'Session', entityId: sessionId, after: { revokedAt: now } }, now);
  });
}
