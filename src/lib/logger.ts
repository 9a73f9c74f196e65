import { createRequire } from 'node:module';
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

export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
export type TLogFormat = (typeof LOG_FORMATS)[number];

/**
 * `auto`: readable lines for a person at a terminal, one JSON object a line for everything else
 * (a file, a pipe, a log collector), which is what machines parse.
 */
export function resolveLogFormat(format: TLogFormat, out: { isTTY?: boolean }): 'json' | 'pretty' {
  if (format !== 'auto') return format;
  return out.isTTY ? 'pretty' : 'json';
}

export function createLogger(level: string, base: Record<string, unknown> = {}, destination?: NodeJS.WritableStream, format: TLogFormat = 'auto'): Logger {
  const options = { level, base: { service: 'fol-triage', ...base }, redact: { paths: REDACT, censor: '[redacted]' } };
  const out = (destination ?? process.stdout) as NodeJS.WritableStream & { isTTY?: boolean };
  if (resolveLogFormat(format, out) === 'pretty') {
    // Redaction happens in pino, before the line reaches the prettifier.
    const colorize = out.isTTY === true && !process.env.NO_COLOR;
    // Loaded only when asked for: a development tool, absent from a production install (npm ci --omit=dev).
    const pretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
    return pino(options, pretty({ destination: destination ?? 1, sync: true, colorize, ignore: 'service', translateTime: 'SYS:HH:MM:ss.l' }));
  }
  return destination ? pino(options, destination) : pino(options);
}
