import { z } from 'zod';
import { AppError, type TErrorDetail } from '../lib/errors.ts';

/**
 * Rules every request value obeys, whatever the route: text that PostgreSQL can store exactly as
 * sent, and dates it can represent. Route schemas build on these; mount.ts applies the text rule to
 * every path parameter, query value and body string (and object key) before any schema runs.
 */

/**
 * NUL (PostgreSQL refuses it in text) or a UTF-16 surrogate without its pair (JSON can carry one as
 * "\ud800"; it cannot be encoded as UTF-8, so storing it would silently turn it into U+FFFD).
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function textProblem(s: string): string | null {
  if (s.includes('\u0000')) return 'contains a NUL character (U+0000)';
  if (LONE_SURROGATE.test(s)) return 'contains a lone UTF-16 surrogate (not valid Unicode)';
  return null;
}

/**
 * The first string (value or key) anywhere in `value` that breaks the text rule. Walks with its own
 * stack, not recursion: a 100 kB body can nest tens of thousands of levels deep.
 */
export function findIllFormedText(value: unknown, root: string): TErrorDetail | null {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) return { path, message: problem };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}.${i}`]);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v)) {
        const problem = textProblem(k);
        if (problem) return { path, message: `a field name ${problem}` };
        stack.push([inner, `${path}.${k}`]);
      }
    }
  }
  return null;
}

/** Refuses the request (400) when any of its parts holds ill-formed text. */
export function assertWellFormedText(parts: Record<string, unknown>): void {
  for (const [where, value] of Object.entries(parts)) {
    const bad = findIllFormedText(value, where);
    if (bad) throw new AppError('VALIDATION_FAILED', `Invalid request ${where}`, [bad]);
  }
}

/**
 * Instants the record can hold: years 1900–9999 (UTC). ISO-8601 allows year 0000, which JavaScript
 * accepts and PostgreSQL refuses; no seizure, test or report period of this lab lies outside.
 */
export const EARLIEST = new Date('1900-01-01T00:00:00Z');
export const LATEST = new Date('9999-12-31T23:59:59.999Z');
/** Whether an instant lies in the range above (an invalid date does not). */
export const isRecordableInstant = (d: Date) => d.getTime() >= EARLIEST.getTime() && d.getTime() <= LATEST.getTime();
const inRange = (s: string) => isRecordableInstant(new Date(s));
export const RANGE_MESSAGE = 'must lie between 1900-01-01 and 9999-12-31 (UTC)';

/** An ISO-8601 date-time with an offset (`2026-11-28T14:05:00Z`, `…-07:00`), within the range above. */
export const ZInstant = z.iso.datetime({ offset: true }).refine(inRange, RANGE_MESSAGE);

/** An ISO-8601 calendar date (`2026-11-28`, midnight UTC), within the range above. */
export const ZDay = z.iso.date().refine(inRange, RANGE_MESSAGE);
