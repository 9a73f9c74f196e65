import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { resolveSession, type AuthUser } from '../auth/sessions.ts';
import { AppError } from '../lib/errors.ts';
import type { AppDeps } from '../entry/deps.ts';

export const SESSION_COOKIE = 'fol_session';
export const CSRF_COOKIE = 'fol_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export type TSessionVia = 'bearer' | 'cookie';

/** The bearer token of the request: `Authorization: Bearer …`, or the UI's HttpOnly cookie. */
export function requestToken(req: Request): { token: string; via: TSessionVia } | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    const token = header.slice(7).trim();
    return token ? { token, via: 'bearer' } : null;
  }
  const cookie = readCookie(req, SESSION_COOKIE);
  return cookie ? { token: cookie, via: 'cookie' } : null;
}

/** A cookie's value; one that is not valid percent-encoding is no session at all (a 401, never a 500). */
function readCookie(req: Request, name: string): string | null {
  const pair = req.headers.cookie
    ?.split(';')
    .map((c) => c.trim().split('='))
    .find(([k]) => k === name);
  if (!pair?.[1]) return null;
  try {
    return decodeURIComponent(pair[1]);
  } catch {
    return null;
  }
}

/**
 * CSRF for cookie sessions (OWASP "signed double-submit"): the token is an HMAC of the session token
 * keyed by itself, readable by the page (non-HttpOnly cookie, and in the login answer) and sent back
 * in X-CSRF-Token on every state-changing request. Another site can make the browser send the
 * cookies, but cannot read them to forge the header. Bearer clients are not exposed and skip it.
 */
export const csrfTokenFor = (sessionToken: string) => createHmac('sha256', sessionToken).update('fol-csrf').digest('base64url');

/**
 * Session cookies carry `Secure` always in production, whatever the request looked like (a proxy that
 * forgot X-Forwarded-Proto must not downgrade them); elsewhere when the request came over HTTPS, so a
 * laptop demo over plain http://localhost still signs in.
 */
export const secureCookies = (nodeEnv: string, req: Request): boolean => nodeEnv === 'production' || req.secure;

export function setSessionCookies(res: Response, token: string, secure: boolean): void {
  const base = { sameSite: 'strict' as const, secure, path: '/' };
  res.cookie(SESSION_COOKIE, token, { ...base, httpOnly: true });
  res.cookie(CSRF_COOKIE, csrfTokenFor(token), { ...base, httpOnly: false });
}

/** Clearing uses the attributes the cookies were set with, or browsers may keep the Secure ones. */
export function clearSessionCookies(res: Response, secure: boolean): void {
  const base = { sameSite: 'strict' as const, secure, path: '/' };
  res.clearCookie(SESSION_COOKIE, { ...base, httpOnly: true });
  res.clearCookie(CSRF_COOKIE, { ...base, httpOnly: false });
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function authenticate(req: Request, deps: AppDeps): Promise<{ user: AuthUser; sessionId: string; via: TSessionVia }> {
  const presented = requestToken(req);
  const session = presented ? await resolveSession(deps.db, presented.token, deps.clock, deps.sessionPolicy) : null;
  if (!session || !presented) throw new AppError('UNAUTHENTICATED', 'Sign in first: missing, expired or revoked session');
  if (presented.via === 'cookie' && !SAFE.has(req.method)) {
    const sent = Buffer.from(req.header(CSRF_HEADER) ?? '');
    const expected = Buffer.from(csrfTokenFor(presented.token));
    if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
      throw new AppError('FORBIDDEN', 'Missing or wrong X-CSRF-Token for a cookie session');
    }
  }
  return { ...session, via: presented.via };
}
