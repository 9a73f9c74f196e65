import { z } from 'zod';

/**
 * Validation messages in words a technician at a port understands, for every schema that does not
 * say its own: "required", "must be a number", "must be between 0 and 1" — never "Invalid input:
 * expected string, received undefined". A schema's own message (a port code, a seizure number
 * pattern) still wins: zod asks this map only when the schema gave none.
 */
type TIssue = z.core.$ZodRawIssue;

const words = (v: unknown) => String(v).replaceAll('_', ' ').toLowerCase();
const FORMATS: Record<string, string> = {
  uuid: 'is not a valid record id',
  guid: 'is not a valid record id',
  datetime: 'must be a date and time, e.g. 2026-11-30T14:05:00Z',
  date: 'must be a date, e.g. 2026-11-30',
  email: 'must be an email address, e.g. name@agency.gov',
  url: 'must be a web address starting with https://',
  regex: 'contains characters that are not allowed here',
};
const TYPES: Record<string, string> = {
  number: 'must be a number',
  int: 'must be a whole number',
  string: 'must be text',
  boolean: 'must be yes or no (true or false)',
  array: 'must be a list',
  object: 'must be a group of fields',
  date: 'must be a date',
};

function tooSmall(i: { origin?: string; minimum?: unknown; inclusive?: boolean }): string {
  const min = Number(i.minimum);
  if (i.origin === 'string') return min <= 1 ? 'must not be empty' : `must be at least ${min} characters`;
  if (i.origin === 'array' || i.origin === 'set') return min <= 1 ? 'needs at least one entry' : `needs at least ${min} entries`;
  return i.inclusive === false ? `must be more than ${min}` : `must be at least ${min}`;
}

function tooBig(i: { origin?: string; maximum?: unknown; inclusive?: boolean }): string {
  const max = Number(i.maximum);
  if (i.origin === 'string') return `must be at most ${max} characters`;
  if (i.origin === 'array' || i.origin === 'set') return `may have at most ${max} entries`;
  return i.inclusive === false ? `must be less than ${max}` : `must be at most ${max}`;
}

/** The plain message of one issue (undefined leaves zod's own, for codes not listed). */
export function plainMessage(iss: TIssue): string | undefined {
  const i = iss as TIssue & Record<string, unknown>;
  switch (iss.code) {
    case 'invalid_type':
      if (i.input === undefined) return 'required';
      if (i.expected === 'number' && typeof i.input === 'number') return 'must be a finite number';
      return TYPES[String(i.expected)] ?? 'is not the right kind of value';
    case 'too_small':
      return tooSmall(i as never);
    case 'too_big':
      return tooBig(i as never);
    case 'invalid_format':
      return FORMATS[String(i.format)] ?? 'is not in the expected format';
    case 'invalid_value':
      return Array.isArray(i.values) ? `must be one of: ${i.values.map(words).join(', ')}` : 'is not one of the allowed values';
    case 'not_multiple_of':
      return Number(i.divisor) === 1 ? 'must be a whole number' : `must be a multiple of ${String(i.divisor)}`;
    case 'invalid_union':
      return 'is not valid here';
    case 'unrecognized_keys':
      return `unknown field(s): ${(i.keys as string[]).join(', ')}`;
    default:
      return undefined;
  }
}

let installed = false;
/** Makes the plain messages zod's default, once per process. */
export function installPlainErrors(): void {
  if (installed) return;
  z.config({ customError: plainMessage });
  installed = true;
}
installPlainErrors();
