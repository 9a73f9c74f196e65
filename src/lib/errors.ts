/** The contract's closed set of error codes and their HTTP statuses. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type TErrorCode = keyof typeof ERROR_STATUS;

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
    return ERROR_STATUS[this.code];
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
