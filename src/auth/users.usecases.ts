import { appendAudit, type Actor } from '../audit/audit.ts';
import type { Db } from '../lib/db.ts';
import { AppError, notFound } from '../lib/errors.ts';
import { hashPassword } from './passwords.ts';
import type { AuthUser } from './sessions.ts';

export type TNewUser = { email: string; name: string; role: AuthUser['role']; password: string };

export const userView = (u: { id: string; email: string; name: string; role: string }) => ({ id: u.id, email: u.email, name: u.name, role: u.role });

export async function createUser(db: Db, input: TNewUser, actor: Actor, now: Date) {
  const email = input.email.trim().toLowerCase();
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email } })) throw new AppError('CONFLICT', `A user with email ${email} already exists`);
    const user = await tx.user.create({ data: { email, name: input.name, role: input.role, passwordHash, createdAt: now } });
    await appendAudit(tx, { actor, action: 'user.create', entityType: 'User', entityId: user.id, after: userView(user) }, now);
    return userView(user);
  });
}

/** Disabling a user ends every session they hold in the same transaction; enabling also lifts a lock. */
export async function setUserDisabled(db: Db, id: string, disabled: boolean, actor: NonNullable<Actor>, now: Date) {
  if (disabled && id === actor.id) throw new AppError('CONFLICT', 'You cannot disable your own account');
  return db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id } });
    if (!before) throw notFound('User');
    const after = await tx.user.update({
      where: { id },
      data: disabled ? { disabledAt: before.disabledAt ?? now } : { disabledAt: null, failedLogins: 0, lockedUntil: null },
    });
    const ended = disabled ? (await tx.session.updateMany({ where: { userId: id, revokedAt: null }, data: { revokedAt: now } })).count : 0;
    await appendAudit(tx, {
      actor, action: disabled ? 'user.disable' : 'user.enable', entityType: 'User', entityId: id,
      before: { ...userView(before), disabledAt: before.disabledAt, lockedUntil: before.lockedUntil },
      after: { ...userView(after), disabledAt: after.disabledAt, lockedUntil: after.lockedUntil, sessionsEnded: ended },
    }, now);
    return { ...userView(after), disabled: !!after.disabledAt };
  });
}
