import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';
import { AppError, ERROR_STATUS, type TErrorCode } from '../lib/errors.ts';
import { Prisma } from '../lib/db.ts';
import type { Logger } from '../lib/logger.ts';

export function errorBody(code: TErrorCode, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

export function zodDetails(err: z.ZodError, prefix: string) {
  return err.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'),
    message: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message,
  }));
}

/** Is this a database that went away (restart, network), as opposed to a bug? */
function isUnavailable(err: unknown): boolean {
  if (err instanceof Prisma.PrismaClientInitializationError) return true;
  if (err instanceof Prisma.PrismaClientKnownRequestError) return ['P1001', 'P1002', 'P1017', 'P2024', 'P2028'].includes(err.code);
  const msg = err instanceof Error ? err.message : '';
  // 57P01-57P03: the server is shutting down, crashed, or is still recovering (a restart under way).
  return /ECONNREFUSED|ECONNRESET|terminating connection|Connection terminated|the database system is (starting up|shutting down|not yet accepting connections|in recovery mode)|Can't reach database|connection error and is not queryable|Code: `57P0[123]`/i.test(msg);
}

/** Maps every error to the contract's shape: never a stack trace, SQL or internal path. */
export function toErrorReply(err: unknown, log: Logger): { status: number; body: ReturnType<typeof errorBody> } {
  if (err instanceof AppError) return { status: err.status, body: errorBody(err.code, err.message, err.details) };
  const e = err as { type?: string; status?: number };
  if (e?.type === 'entity.too.large') return { status: 413, body: errorBody('PAYLOAD_TOO_LARGE', 'Request body is too large') };
  if (e?.type === 'entity.parse.failed') return { status: 400, body: errorBody('VALIDATION_FAILED', 'Malformed JSON', [{ path: 'body', message: 'not valid JSON' }]) };
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return { status: 415, body: errorBody('UNSUPPORTED_MEDIA_TYPE', 'Unsupported body encoding') };
  }
  if (isUnavailable(err)) {
    log.error({ err }, 'database unavailable');
    return { status: ERROR_STATUS.SERVICE_UNAVAILABLE, body: errorBody('SERVICE_UNAVAILABLE', 'The service is temporarily unavailable; retry shortly') };
  }
  if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
    return { status: 409, body: errorBody('CONFLICT', 'A record with the same unique value already exists') };
  }
  log.error({ err }, 'unhandled error');
  return { status: 500, body: errorBody('INTERNAL', 'Internal error') };
}

export function errorMiddleware(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const reply = toErrorReply(err, (req as { log?: Logger }).log ?? log);
    if (res.headersSent) return void res.end();
    if (reply.status === 503) res.setHeader('Retry-After', '5');
    if (err instanceof AppError) for (const [k, v] of Object.entries(err.headers ?? {})) res.setHeader(k, v);
    res.status(reply.status).json(reply.body);
  };
}
