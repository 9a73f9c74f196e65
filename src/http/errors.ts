import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';
import { AppError, ERROR_STATUS, type TErrorCode } from '../lib/errors.ts';
import { handleError } from '../lib/handle-error.ts';
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

const CLIENT_ERROR_CODES: Record<number, TErrorCode> = {
  400: 'VALIDATION_FAILED', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'RATE_LIMITED',
};

/**
 * Maps every error to the contract's shape: never a stack trace, SQL or internal path. Refusals by
 * Express and its parsers are HTTP's own; everything else goes through the one error policy
 * (handleError), which logs faults with their stack and turns a value the database refused into a 400.
 */
export function toErrorReply(err: unknown, log: Logger): { status: number; body: ReturnType<typeof errorBody> } {
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
  const { error } = handleError(err, log);
  return { status: error.status, body: errorBody(error.code, error.message, error.details) };
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
