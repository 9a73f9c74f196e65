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
  return /ECONNREFUSED|ECONNRESET|terminating connection|Connection terminated|the database system is (starting up|shutting down)|Can't reach database/i.test(msg);
}

/**
 * The SQLSTATE behind a Prisma error, when the database refused the statement. With the pg driver
 * adapter it travels in `meta.driverAdapterError.cause.originalCode` (any Prisma code: P2007, P2010,
 * P2039…); a raw query may also carry it as `meta.code`.
 */
function sqlState(err: unknown): string | undefined {
  if (!(err instanceof Prisma.PrismaClientKnownRequestError)) return undefined;
  const meta = err.meta as { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown } } } | undefined;
  const code = meta?.driverAdapterError?.cause?.originalCode ?? meta?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Prisma's own codes for a value the column cannot take (too long, out of range, malformed). */
const PRISMA_INPUT_CODES = ['P2000', 'P2006', 'P2007', 'P2019', 'P2020', 'P2023', 'P2033'];

/**
 * A value from the request that the database cannot store or compare: SQLSTATE class 22 ("data
 * exception": 22P02 malformed uuid or number, 22P05 untranslatable character, 22021 NUL byte, 22008
 * date out of range, 22003 numeric out of range, 22001 too long…). Input rules refuse these earlier;
 * this is the net under them, so a case they miss is still the client's 400, not our 500.
 */
function isDatabaseInputError(err: unknown): boolean {
  const state = sqlState(err);
  if (state) return state.startsWith('22');
  return err instanceof Prisma.PrismaClientKnownRequestError && PRISMA_INPUT_CODES.includes(err.code);
}

const CLIENT_ERROR_CODES: Record<number, TErrorCode> = {
  400: 'VALIDATION_FAILED', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'RATE_LIMITED',
};

/** Maps every error to the contract's shape: never a stack trace, SQL or internal path. */
export function toErrorReply(err: unknown, log: Logger): { status: number; body: ReturnType<typeof errorBody> } {
  if (err instanceof AppError) return { status: err.status, body: errorBody(err.code, err.message, err.details) };
  const e = err as { type?: string; status?: number };
  if (e?.type === 'entity.too.large') return { status: 413, body: errorBody('PAYLOAD_TOO_LARGE', 'Request body is too large') };
  if (e?.type === 'entity.parse.failed') return { status: 400, body: errorBody('VALIDATION_FAILED', 'Malformed JSON', [{ path: 'body', message: 'not valid JSON' }]) };
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return { status: 415, body: errorBody('UNSUPPORTED_MEDIA_TYPE', 'Unsupported body encoding') };
  }
  // The router could not decode a path segment (a malformed percent-escape such as %E0%A4%A).
  if (err instanceof URIError) {
    return { status: 400, body: errorBody('VALIDATION_FAILED', 'Malformed percent-escape in the URL', [{ path: 'params', message: 'not valid percent-encoded UTF-8' }]) };
  }
  // Any other client error raised by Express or its parsers (http-errors: `expose` and a 4xx status).
  const clientCode = (e as { expose?: boolean })?.expose && typeof e.status === 'number' ? CLIENT_ERROR_CODES[e.status] : undefined;
  if (clientCode) return { status: ERROR_STATUS[clientCode], body: errorBody(clientCode, clientCode === 'VALIDATION_FAILED' ? 'Malformed request' : 'Request refused') };
  if (isDatabaseInputError(err)) {
    log.warn({ sqlState: sqlState(err), prismaCode: (err as { code?: string }).code }, 'database refused a request value');
    return { status: 400, body: errorBody('VALIDATION_FAILED', 'A value in the request cannot be stored', [{ path: 'request', message: 'a value is malformed or out of range' }]) };
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
