import type { Request } from 'express';
import { resolveSession, type AuthUser } from '../auth/sessions.ts';
import { AppError } from '../lib/errors.ts';
import type { AppDeps } from './deps.ts';

export const SESSION_COOKIE = 'fol_session';

/** The bearer token of the request: `Authorization: Bearer …`, or the UI's HttpOnly cookie. */
export function requestToken(req: Request): string | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || null;
  const cookie = req.headers.cookie
    ?.split(';')
    .map((c) => c.trim().split('='))
    .find(([k]) => k === SESSION_COOKIE);
  return cookie?.[1] ? decodeURIComponent(cookie[1]) : null;
}

export async function authenticate(req: Request, deps: AppDeps): Promise<{ user: AuthUser; sessionId: string }> {
  const token = requestToken(req);
  const session = token ? await resolveSession(deps.db, token, deps.clock, deps.sessionPolicy) : null;
  if (!session) throw new AppError('UNAUTHENTICATED', 'Sign in first: missing, expired or revoked session');
  return session;
}
