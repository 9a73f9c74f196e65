/**
 * fast-check arbitraries derived from the zod 4 schemas of the route table (zod-fast-check supports
 * zod 3 only). `validOf` generates values a schema accepts, field by field; `leavesOf` lists the
 * fields a hostile variant can aim at, with the kind of value each holds. A schema construct this
 * file does not know fails loudly, so a new route cannot slip past the hostile-input suite.
 */
import fc from 'fast-check';
import type { z } from 'zod';
import { findIllFormedText } from '../../src/http/input-rules.ts';

type TDef = {
  type: string;
  format?: string;
  coerce?: boolean;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  items?: z.ZodType[];
  rest?: z.ZodType | null;
  options?: z.ZodType[];
  entries?: Record<string, string>;
  checks?: { _zod: { def: TCheck } }[];
};
type TCheck = { check: string; format?: string; pattern?: RegExp; value?: number; inclusive?: boolean; minimum?: number; maximum?: number };

const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: TDef } })._zod.def;
const checksOf = (d: TDef) => (d.checks ?? []).map((c) => c._zod.def);

/** Where a value travels: query and path values are text on the wire. */
export type TWhere = 'params' | 'query' | 'body';

/** Values for named fields that must point at real records (ids, port codes), so requests go deep. */
export type TOverrides = Record<string, fc.Arbitrary<unknown>>;

const WRAPPERS = ['optional', 'default', 'nullable', 'prefault', 'readonly', 'nonoptional', 'catch'];

/** The schema under optional/default/nullable wrappers and transforms (the input side of a pipe). */
export function unwrap(s: z.ZodType): z.ZodType {
  const d = defOf(s);
  if (WRAPPERS.includes(d.type)) return unwrap(d.innerType!);
  if (d.type === 'pipe') return unwrap(d.in!);
  return s;
}

const isOptional = (s: z.ZodType) => (s as unknown as { safeParse(v: unknown): { success: boolean } }).safeParse(undefined).success;
const accepts = (s: z.ZodType, v: unknown) => (s as unknown as { safeParse(v: unknown): { success: boolean } }).safeParse(v).success;

function stringArb(d: TDef): fc.Arbitrary<string> {
  const checks = checksOf(d);
  const min = checks.find((c) => c.check === 'min_length')?.minimum ?? 0;
  const max = Math.min(checks.find((c) => c.check === 'max_length')?.maximum ?? 60, 60);
  const regex = checks.find((c) => c.check === 'string_format' && c.format === 'regex')?.pattern;
  switch (d.format) {
    case 'uuid':
      return fc.uuid({ version: 4 });
    case 'email':
      return fc.stringMatching(/^[a-z][a-z0-9.]{0,15}@[a-z]{1,10}\.example$/);
    case 'url':
      return fc.stringMatching(/^https:\/\/[a-z]{1,12}\.example(\/[a-z0-9]{0,12})?$/);
    case 'datetime':
      return fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date(), noInvalidDate: true }).map((t) => t.toISOString());
    case 'date':
      return fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date(), noInvalidDate: true }).map((t) => t.toISOString().slice(0, 10));
  }
  if (regex) return fc.stringMatching(regex).filter((s) => s.length >= min && s.length <= (checks.find((c) => c.check === 'max_length')?.maximum ?? Infinity));
  if (d.format && d.format !== 'regex') throw new Error(`zod-arbitrary: no generator for string format "${d.format}"`);
  const size = { minLength: Math.max(min, 1), maxLength: Math.max(max, min, 1) };
  return fc.oneof(fc.string({ unit: 'grapheme-ascii', ...size }), fc.string({ unit: 'grapheme', ...size }))
    .filter((s) => !findIllFormedText(s, ''));
}

function numberArb(d: TDef): fc.Arbitrary<number> {
  const checks = checksOf(d);
  const lo = checks.find((c) => c.check === 'greater_than');
  const hi = checks.find((c) => c.check === 'less_than');
  const integer = checks.some((c) => c.check === 'number_format' && /int/.test(c.format ?? ''));
  const min = lo?.value ?? -1e6;
  const max = hi?.value ?? 1e7;
  const arb = integer
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  return arb.filter((n) => (lo?.inclusive === false ? n > lo.value! : true) && (hi?.inclusive === false ? n < hi.value! : true) && !Object.is(n, -0));
}

/** Values the schema accepts; query and path values come as the text a client would send. */
export function validOf(schema: z.ZodType, where: TWhere, overrides: TOverrides = {}, name = ''): fc.Arbitrary<unknown> {
  if (name && overrides[name]) return overrides[name]!;
  const s = unwrap(schema);
  const d = defOf(s);
  const text = where !== 'body';
  let arb: fc.Arbitrary<unknown>;
  switch (d.type) {
    case 'object': {
      const fields = Object.entries(d.shape!);
      const required = Object.fromEntries(fields.filter(([, f]) => !isOptional(f)).map(([k, f]) => [k, validOf(f, where, overrides, k)]));
      const optional = Object.fromEntries(fields.filter(([, f]) => isOptional(f)).map(([k, f]) => [k, validOf(f, where, overrides, k)]));
      arb = fc.tuple(fc.record(required), fc.record(optional, { requiredKeys: [] })).map(([a, b]) => ({ ...b, ...a }));
      break;
    }
    case 'string':
      arb = stringArb(d);
      break;
    case 'number':
      arb = numberArb(d).map((n) => (text ? String(n) : n));
      break;
    case 'boolean':
      arb = fc.boolean().map((b) => (text ? String(b) : b));
      break;
    case 'enum':
      arb = fc.constantFrom(...Object.values(d.entries!));
      break;
    case 'array': {
      const checks = checksOf(d);
      const minLength = checks.find((c) => c.check === 'min_length')?.minimum ?? 0;
      const maxLength = Math.min(checks.find((c) => c.check === 'max_length')?.maximum ?? 5, 5);
      arb = fc.array(validOf(d.element!, where, overrides), { minLength, maxLength: Math.max(minLength, maxLength) });
      break;
    }
    case 'tuple':
      if (d.rest) throw new Error('zod-arbitrary: no generator for a tuple with a rest element');
      arb = fc.tuple(...d.items!.map((item) => validOf(item, where, overrides)));
      break;
    case 'union':
      arb = fc.oneof(...d.options!.map((o) => validOf(o, where, overrides)));
      break;
    default:
      throw new Error(`zod-arbitrary: no generator for zod type "${d.type}"`);
  }
  // Leaf-level refinements (a date range, "not 100 %") are the schema's own word on validity.
  return d.type === 'object' ? arb : arb.filter((v) => accepts(schema, v));
}

/** What a field holds, for choosing a hostile value that fits where it goes. */
export type TLeafKind = 'text' | 'date' | 'number' | 'boolean' | 'array' | 'object';
export type TLeaf = { path: string[]; kind: TLeafKind; schema: z.ZodType };

/** Every field of an object schema, nested ones included (array elements as index 0). */
export function leavesOf(schema: z.ZodType, path: string[] = []): TLeaf[] {
  const s = unwrap(schema);
  const d = defOf(s);
  switch (d.type) {
    case 'object':
      return [
        ...(path.length ? [{ path, kind: 'object' as const, schema }] : []),
        ...Object.entries(d.shape!).flatMap(([k, f]) => leavesOf(f, [...path, k])),
      ];
    case 'array':
      return [{ path, kind: 'array', schema }, ...leavesOf(d.element!, [...path, '0'])];
    case 'tuple':
      return [{ path, kind: 'array', schema }, ...d.items!.flatMap((item, i) => leavesOf(item, [...path, String(i)]))];
    case 'union': {
      const kinds = d.options!.map((o) => leavesOf(o, path)[0]!.kind);
      return [{ path, kind: kinds.every((k) => k === 'date') ? 'date' : 'text', schema }];
    }
    case 'string':
      return [{ path, kind: d.format === 'datetime' || d.format === 'date' ? 'date' : 'text', schema }];
    case 'enum':
      return [{ path, kind: 'text', schema }];
    case 'number':
      return [{ path, kind: 'number', schema }];
    case 'boolean':
      return [{ path, kind: 'boolean', schema }];
    default:
      throw new Error(`zod-arbitrary: no leaves for zod type "${d.type}"`);
  }
}

/** Whether a union or string leaf takes date-times (with a time) rather than calendar dates only. */
export function takesDateTime(schema: z.ZodType): boolean {
  const d = defOf(unwrap(schema));
  if (d.type === 'union') return d.options!.some(takesDateTime);
  return d.format === 'datetime';
}

export { accepts };
