import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import { AppError } from '../lib/errors.ts';
import type { AppDeps } from '../entry/deps.ts';
import { errorBody, errorMiddleware } from './errors.ts';
import { httpMetrics, metricsEndpoint, metricsGuard } from './metrics.ts';
import { mountRoutes } from './mount.ts';
import { buildOpenApi } from './openapi.ts';
import { ROUTES } from './routes.ts';
import { webRouter } from '../web/web.routes.ts';
import { queueBoard } from '../web/queue-board.ts';

export const API_VERSION = '1.0.0';

/** Builds the app without listening, so tests inject requests and entry points choose the port. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', parseTrustProxy(deps.config.TRUST_PROXY));
  // No upgrade-insecure-requests: a laptop at a port is often reached over plain HTTP on the lab
  // network (http://10.x.x.x:3000), where upgrading the page's own scripts to https would break it.
  app.use(helmet({ contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'img-src': ["'self'", 'data:', 'blob:'], 'upgrade-insecure-requests': null } } }));
  app.use(
    pinoHttp({
      logger: deps.log,
      genReqId: (req, res) => {
        const id = (typeof req.headers['x-request-id'] === 'string' && /^[\w-]{1,64}$/.test(req.headers['x-request-id']) && req.headers['x-request-id']) || randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics' },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      // One line a request: what was asked and answered, not every header (credentials never logged).
      serializers: {
        req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({ id: req.id, method: req.method, url: req.url, remoteAddress: req.remoteAddress }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );

  app.use(httpMetrics);
  app.get('/metrics', metricsGuard(deps.config.METRICS_TOKEN), metricsEndpoint);
  // `demo` lets the UI (and anyone checking) mark a demo installation unmistakably.
  app.get('/healthz', (_req, res) => {
    const failure = deps.health?.failure;
    if (failure) return void res.status(503).json({ status: 'failed', reason: failure, demo: deps.config.SEED_DEMO });
    res.json({ status: 'ok', demo: deps.config.SEED_DEMO });
  });
  app.get('/readyz', async (_req, res) => {
    const checks = await Promise.allSettled([deps.db.$queryRaw`SELECT 1`, deps.queues.ping()]);
    const [database, queue] = checks.map((c) => (c.status === 'fulfilled' ? 'ok' : 'down'));
    const ready = database === 'ok' && queue === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', database, queue, queueBackend: deps.queues.kind });
  });

  const openapi = buildOpenApi(ROUTES, API_VERSION);
  const api = express.Router();
  api.use(express.json({ limit: deps.config.BODY_LIMIT, strict: true, type: ['application/json', 'application/*+json'] }));
  api.get('/openapi.json', (_req, res) => void res.json(openapi));
  mountRoutes(api, ROUTES, deps);
  api.use((_req, _res, next) => next(new AppError('NOT_FOUND', 'No such API route')));
  app.use('/api/v1', api);
  const board = queueBoard(deps);
  app.use(board.path, board.guard, board.router);
  app.use(webRouter());
  app.use((_req, res) => void res.status(404).json(errorBody('NOT_FOUND', 'Not found')));
  app.use(errorMiddleware(deps.log));
  return app;
}

function parseTrustProxy(v: string): boolean | number | string {
  if (v === 'true') return true;
  if (v === 'false') return false;
  return /^\d+$/.test(v) ? Number(v) : v;
}
