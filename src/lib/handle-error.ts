import { AppError } from './errors.ts';
import { isDatabaseInputError, isUniqueViolation, Prisma, sqlState } from './db.ts';
import type { Logger } from './logger.ts';

/**
 * The one error policy, used where an error leaves the code that could do something about it: the
 * HTTP error middleware, the job runner and the process itself (practica's handleError). Every error
 * becomes an AppError from the catalogue; whether it is permanent (retrying cannot help) comes from
 * the catalogue too. Errors the application did not throw on purpose are "untrusted": they are
 * logged with their stack and answered as INTERNAL.
 */
export type TErrorVerdict = {
  /** What callers may show: code, status and a message without internals. */
  error: AppError;
  /** Thrown on purpose with a permanent code: a job fails at once instead of retrying. */
  permanent: boolean;
  /** Thrown on purpose, or a known operational failure (the database away). */
  trusted: boolean;
  /** How loud a log this deserves when the caller does not say (default: debug for refusals, error for faults). */
  level?: TLevel;
};

type TLevel = 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** Is this a database that went away (restart, network), as opposed to a bug? */
function isUnavailable(err: unknown): boolean {
  if (err instanceof Prisma.PrismaClientInitializationError) return true;
  if (err instanceof Prisma.PrismaClientKnownRequestError) return ['P1001', 'P1002', 'P1017', 'P2024', 'P2028'].includes(err.code);
  const msg = err instanceof Error ? err.message : '';
  // 57P01-57P03: the server is shutting down, crashed, or is still recovering (a restart under way).
  return /ECONNREFUSED|ECONNRESET|terminating connection|Connection terminated|the database system is (starting up|shutting down|not yet accepting connections|in recovery mode)|Can't reach database|connection error and is not queryable|Code: `57P0[123]`/i.test(msg);
}

/** Classifies an error without side effects. */
export function judgeError(err: unknown): TErrorVerdict {
  if (err instanceof AppError) return { error: err, permanent: err.permanent, trusted: true };
  if (isUnavailable(err)) {
    return { error: new AppError('SERVICE_UNAVAILABLE', 'The service is temporarily unavailable; retry shortly'), permanent: false, trusted: true };
  }
  // A value the database cannot store (NUL, out-of-range date, malformed number…). The input rules
  // refuse these earlier; this is the net under them, so a case they miss is still the client's 400
  // (and, in a job, a permanent failure: the same value fails the same way), logged to be noticed.
  if (isDatabaseInputError(err)) {
    return {
      error: new AppError('VALIDATION_FAILED', 'A value in the request cannot be stored', [{ path: 'request', message: 'a value is malformed or out of range' }]),
      permanent: true, trusted: true, level: 'warn',
    };
  }
  // Another writer won a unique key: the request conflicts with the record; a job's retry finds the
  // row and does nothing, so it is not permanent there.
  if (isUniqueViolation(err)) {
    return { error: new AppError('CONFLICT', 'A record with the same unique value already exists'), permanent: false, trusted: true };
  }
  return { error: new AppError('INTERNAL', 'Internal error'), permanent: false, trusted: false };
}

/**
 * Judges the error and logs it once, as `{ err }` (pino writes type, message and stack) with the
 * caller's context. A refusal the application meant (bad input, no access, a conflict) is an answer,
 * not a fault: it is logged at debug unless the caller says otherwise; faults are logged as errors.
 */
export function handleError(err: unknown, log: Logger, context: Record<string, unknown> = {}, opts: { msg?: string; level?: TLevel } = {}): TErrorVerdict {
  const verdict = judgeError(err);
  const fault = !verdict.trusted || verdict.error.status >= 500;
  const level = opts.level ?? verdict.level ?? (fault ? 'error' : 'debug');
  const msg = opts.msg ?? (verdict.trusted ? verdict.error.message : 'unexpected error');
  const state = sqlState(err);
  log[level]({ err, code: verdict.error.code, permanent: verdict.permanent, ...(state ? { sqlState: state } : {}), ...context }, msg);
  return verdict;
}

/**
 * Errors nobody caught: the process's state is unknown, so it logs them and exits (a supervisor
 * restarts it; the outbox and the sweeper resume the work). While shutting down, connections closed
 * under a pending query are expected and only logged.
 */
export function installProcessHandlers(log: Logger, opts: { stopping(): boolean; exit?: (code: number) => void }): void {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const onFatal = (source: string) => (err: unknown) => {
    if (opts.stopping()) {
      handleError(err, log, { source }, { level: 'warn', msg: `${source} while shutting down` });
      return;
    }
    handleError(err, log, { source }, { level: 'fatal', msg: `${source}; exiting` });
    exit(1);
  };
  process.on('uncaughtException', onFatal('uncaught exception'));
  process.on('unhandledRejection', onFatal('unhandled rejection'));
}
