import { z } from 'zod';
import { defineRoute, ok } from '../http/route.ts';
import { AppError } from '../lib/errors.ts';
import { authenticate, SESSION_COOKIE } from '../http/authenticate.ts';
import { dummyHash, verifyPassword } from './passwords.ts';
import { createSession, revokeSession } from './sessions.ts';
import { createUser, userView } from './users.usecases.ts';

const ROLES = ['TECHNICIAN', 'INVESTIGATOR', 'MANAGER', 'ADMIN'] as const;

export const ZNewUser = z.strictObject({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(200),
  role: z.enum(ROLES),
  password: z.string().min(12, 'at least 12 characters').max(200),
});

export const authRoutes = [
  defineRoute({
    method: 'post', path: '/auth/login', tag: 'Auth', summary: 'Sign in', roles: 'public',
    body: z.strictObject({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(200) }),
    handler: async ({ body, deps, res, log }) => {
      const user = await deps.db.user.findUnique({ where: { email: body.email.toLowerCase() } });
      const valid = await verifyPassword(body.password, user?.passwordHash ?? (await dummyHash()));
      if (!user || !valid || user.disabledAt) {
        log.warn({ email: body.email, reason: !user ? 'unknown' : user.disabledAt ? 'disabled' : 'password' }, 'login failed');
        throw new AppError('UNAUTHENTICATED', 'Wrong email or password');
      }
      const token = await createSession(deps.db, user.id, deps.clock, deps.sessionPolicy);
      log.info({ userId: user.id }, 'login');
      res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: deps.config.NODE_ENV === 'production', path: '/' });
      return ok({ token, user: userView(user) });
    },
  }),
  defineRoute({
    method: 'post', path: '/auth/logout', tag: 'Auth', summary: 'Sign out (the token stops working at once)', roles: 'any',
    handler: async ({ req, deps, res }) => {
      const { sessionId } = await authenticate(req, deps);
      await revokeSession(deps.db, sessionId, deps.clock);
      res.clearCookie(SESSION_COOKIE, { path: '/' });
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get', path: '/me', tag: 'Auth', summary: 'Who am I', roles: 'any',
    handler: async ({ user }) => ok(userView(user)),
  }),
  defineRoute({
    method: 'post', path: '/users', tag: 'Users', summary: 'Create a user', roles: ['ADMIN'], body: ZNewUser,
    handler: async ({ body, user, deps }) => ok(await createUser(deps.db, body, { id: user.id, role: user.role }, deps.clock.now()), 201),
  }),
  defineRoute({
    method: 'get', path: '/users', tag: 'Users', summary: 'List users', roles: ['ADMIN', 'MANAGER'],
    query: z.object({ role: z.enum(ROLES).optional() }),
    handler: async ({ query, deps }) => {
      const users = await deps.db.user.findMany({ where: query.role ? { role: query.role } : {}, orderBy: { email: 'asc' } });
      return ok({ items: users.map((u) => ({ ...userView(u), disabled: !!u.disabledAt })), nextCursor: null });
    },
  }),
];
