import { z } from 'zod';
import { ROLES } from '../domain/closed-sets.ts';
import { defineRoute, ok } from '../http/route.ts';
import { authenticate, clearSessionCookies, csrfTokenFor, secureCookies, setSessionCookies } from '../http/authenticate.ts';
import { login } from './login.usecases.ts';
import { revokeSession } from './sessions.ts';
import { createUser, setUserDisabled, userView } from './users.usecases.ts';

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
    handler: async ({ body, deps, req, res, log }) => {
      const { token, user } = await login(deps, { email: body.email, password: body.password, ip: req.ip ?? 'unknown' }, log);
      setSessionCookies(res, token, secureCookies(deps.config.NODE_ENV, req));
      return ok({ token, user: userView(user), csrfToken: csrfTokenFor(token) });
    },
  }),
  defineRoute({
    method: 'post', path: '/auth/logout', tag: 'Auth', summary: 'Sign out (the token stops working at once)', roles: 'any',
    handler: async ({ req, deps, res, user }) => {
      const { sessionId } = await authenticate(req, deps);
      await revokeSession(deps.db, sessionId, { id: user.id, role: user.role }, deps.clock.now());
      deps.live.endSessions({ sessionId });
      clearSessionCookies(res, secureCookies(deps.config.NODE_ENV, req));
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
  defineRoute({
    method: 'get', path: '/users/directory', tag: 'Users', summary: 'Active colleagues (id, name, role) for custody transfers and rosters', roles: ['TECHNICIAN', 'MANAGER', 'ADMIN'],
    query: z.strictObject({ role: z.enum(ROLES).optional() }),
    handler: async ({ query, deps }) => {
      const users = await deps.db.user.findMany({ where: { disabledAt: null, ...(query.role ? { role: query.role } : {}) }, orderBy: { name: 'asc' }, select: { id: true, name: true, role: true } });
      return ok({ items: users, nextCursor: null });
    },
  }),
  defineRoute({
    method: 'post', path: '/users/:id/disable', tag: 'Users', summary: 'Disable a user (their sessions end at once)', roles: ['ADMIN'],
    params: z.strictObject({ id: z.uuid() }),
    handler: async ({ params, user, deps }) => {
      const disabled = await setUserDisabled(deps.db, params.id, true, { id: user.id, role: user.role }, deps.clock.now());
      deps.live.endSessions({ userId: params.id });
      return ok(disabled);
    },
  }),
  defineRoute({
    method: 'post', path: '/users/:id/enable', tag: 'Users', summary: 'Enable a user again (also lifts a sign-in lock)', roles: ['ADMIN'],
    params: z.strictObject({ id: z.uuid() }),
    handler: async ({ params, user, deps }) => ok(await setUserDisabled(deps.db, params.id, false, { id: user.id, role: user.role }, deps.clock.now())),
  }),
];
