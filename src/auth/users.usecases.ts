import { appendAudit, type Actor } from '../audit/audit.ts';
import type { Db } from '../lib/db.ts';
import { AppError } from '../lib/errors.ts';
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
