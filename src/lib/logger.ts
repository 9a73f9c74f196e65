import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths never written to a log: credentials, tokens, signatures. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.secret',
  'password',
  'token',
];

export function createLogger(level: string, base: Record<string, unknown> = {}, destination?: NodeJS.WritableStream): Logger {
  const options = { level, base: { service: 'fol-triage', ...base }, redact: { paths: REDACT, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
