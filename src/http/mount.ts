import type { Request, Response, Router } from 'express';
import { AppError, HiddenRecord } from '../lib/errors.ts';
import type { Logger } from '../lib/logger.ts';
import { authenticate } from './authenticate.ts';
import type { AppDeps } from '../entry/deps.ts';
import { zodDetails } from './errors.ts';
import { idempotencyScope, runIdempotent } from './idempotency.ts';
import { readMultipart } from './multipart.ts';
import { assertWellFormedText } from './input-rules.ts';
import { consume } from './rate-limit.ts';
import { itemsCsv, sendCsv, wantsCsv } from './csv.ts';
import type { Reply, RouteDef } from './route.ts';
import type { AuthUser } from '../auth/sessions.ts';

const ANONYMOUS: AuthUser = { id: '00000000-0000-0000-0000-000000000000', email: '', name: 'anonymous', role: 'TECHNICIAN' };

function parsePart(schema: RouteDef['body'], value: unknown, where: string) {
  if (!schema) return {};
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', `Invalid request ${where}`, zodDetails(parsed.error, where));
  return parsed.data;
}

function send(res: Response, reply: Reply | undefined): void {
  if (!reply || res.headersSent) return;
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  if (reply.body === undefined) res.status(reply.status).end();
  else res.status(reply.status).json(reply.body);
}

/** Mounts the route table: authentication, role check, validation, then the handler. */
export function mountRoutes(router: Router, routes: RouteDef[], deps: AppDeps): void {
  for (const route of routes) {
    router[route.method](route.path, async (req: Request, res: Response) => {
      const log: Logger = (req as { log?: Logger }).log ?? deps.log;
      let user = ANONYMOUS;
      if (route.roles !== 'public') {
        let sessionId: string;
        try {
          ({ user, sessionId } = await authenticate(req, deps));
        } catch (err) {
          log.warn({ ip: req.ip, route: `${route.method.toUpperCase()} ${route.path}`, reason: (err as Error).message }, 'access denied: session');
          throw err;
        }
        if (deps.limits?.api) await consume(deps.limits.api, [sessionId], 'requests');
        if (route.roles !== 'any' && !route.roles.includes(user.role)) {
          log.warn({ userId: user.id, role: user.role, route: `${route.method.toUpperCase()} ${route.path}` }, 'access denied: role');
          throw new AppError('FORBIDDEN', `Your role (${user.role}) may not ${route.summary.toLowerCase()}`);
        }
      }
      // A route that also takes an upload reads a multipart body itself (ctx.upload), not as JSON.
      const multipart = !!route.upload && !!req.is('multipart/form-data');
      if (route.body && !multipart && req.method !== 'GET' && req.headers['content-length'] !== '0' && req.body === undefined && req.headers['content-type']) {
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
      }
      assertWellFormedText({ params: req.params, query: req.query, body: req.body });
      // Lists answer CSV on ?format=csv or Accept: text/csv (routes that declare `format` handle it themselves).
      const rawQuery = { ...(req.query as Record<string, unknown>) };
      let listCsv = false;
      if (route.method === 'get' && !(route.query as { shape?: Record<string, unknown> } | undefined)?.shape?.format) {
        const format = rawQuery.format;
        if (format !== undefined && format !== 'csv' && format !== 'json') {
          throw new AppError('VALIDATION_FAILED', 'Invalid request query', [{ path: 'query.format', message: 'csv or json' }]);
        }
        listCsv = wantsCsv(req, format as string | undefined);
        delete rawQuery.format;
      }
      const params = parsePart(route.params, req.params, 'params');
      const query = parsePart(route.query, rawQuery, 'query');
      // On a multipart request the handler reads ctx.upload() and leaves `body` alone.
      const body = multipart ? (undefined as never) : parsePart(route.body, req.body, 'body');
      let uploaded: ReturnType<typeof readMultipart> | undefined;
      const upload = () => {
        if (!route.upload) throw new Error(`${route.method.toUpperCase()} ${route.path} declares no upload`);
        uploaded ??= readMultipart(req, { maxBytes: route.upload.maxBytes(deps.config), fields: route.upload.fields });
        return uploaded;
      };
      const key = req.header('idempotency-key');
      const write = (fn: Parameters<typeof runIdempotent>[2]) =>
        route.idempotent && key !== undefined
          ? runIdempotent(deps.db, { userId: user.id, key, route: idempotencyScope(route.method, route.path, params), body: req.body }, fn)
          : deps.db.$transaction(fn, { timeout: 15_000, maxWait: 10_000 });
      const reply = await route.handler({ deps, user, params, query, body, req, res, log, write, upload }).catch((err: unknown) => {
        if (err instanceof HiddenRecord) log.warn({ userId: user.id, role: user.role, route: `${route.method.toUpperCase()} ${route.path}`, record: err.what, params }, 'access denied: object');
        throw err;
      });
      const items = (reply?.body as { items?: unknown } | undefined)?.items;
      if (listCsv && reply && reply.status === 200 && Array.isArray(items)) {
        const name = route.path.split('/').filter((p) => p && !p.startsWith(':')).join('-');
        sendCsv(res, `${name}.csv`, itemsCsv(items as Record<string, unknown>[]));
        return;
      }
      send(res, reply);
    });
  }
}
