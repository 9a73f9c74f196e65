/**
 * The contract's closed set of error codes: the HTTP status of each, and whether it is permanent —
 * the same request (or job) would fail the same way again, so retrying is pointless. Refusals about
 * the input, the caller or the record's state are permanent; overload and outages are not.
 */
export const ERROR_CATALOGUE = {
  VALIDATION_FAILED: { status: 400, permanent: true },
  UNAUTHENTICATED: { status: 401, permanent: true },
  FORBIDDEN: { status: 403, permanent: true },
  NOT_FOUND: { status: 404, permanent: true },
  CONFLICT: { status: 409, permanent: true },
  PAYLOAD_TOO_LARGE: { status: 413, permanent: true },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, permanent: true },
  RATE_LIMITED: { status: 429, permanent: false },
  INTERNAL: { status: 500, permanent: false },
  SERVICE_UNAVAILABLE: { status: 503, permanent: false },
} as const satisfies Record<string, { status: number; permanent: boolean }>;

/** The HTTP status of each code. */
export const ERROR_STATUS = Object.fromEntries(Object.entries(ERROR_CATALOGUE).map(([code, e]) => [code, e.status])) as {
  [C in keyof typeof ERROR_CATALOGUE]: (typeof ERROR_CATALOGUE)[C]['status'];
};

export type TErrorCode = keyof typeof ERROR_CATALOGUE;

export type TErrorDetail = { path: string; message: string };

/** The one error type the application throws on purpose; anything else is INTERNAL. */
export class AppError extends Error {
  constructor(
    readonly code: TErrorCode,
    message: string,
    readonly details?: unknown,
    /** Extra response headers (Retry-After on a 429). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return ERROR_CATALOGUE[this.code].status;
  }

  /** Retrying cannot help: a job fails at once instead of using up its attempts. */
  get permanent(): boolean {
    return ERROR_CATALOGUE[this.code].permanent;
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);

/**
 * A record that exists but that the caller may not see (object-level access, OWASP API1): answered
 * exactly like notFound, and logged by the HTTP layer as a refusal with the caller's id.
 */
export class HiddenRecord extends AppError {
  constructor(readonly what: string) {
    super('NOT_FOUND', `${what} not found`);
  }
}
export const conflict = (message: string, details?: unknown) => new AppError('CONFLICT', message, details);
export const forbidden = (message = 'Not allowed for your role') => new AppError('FORBIDDEN', message);
