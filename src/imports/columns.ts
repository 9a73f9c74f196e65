import { z } from 'zod';
import type { TObservableKind } from '../domain/closed-sets.ts';
import { normalizeObservable } from '../domain/observables.rules.ts';
import { CONVEYANCES, FORMS, PRIORITIES } from '../domain/closed-sets.ts';
import { isRecordableInstant, RANGE_MESSAGE } from '../http/input-rules.ts';

/**
 * The manifest's columns: one row per exhibit, with its seizure's fields (repeated on each of the
 * seizure's rows), observables (several values in a cell separated by ';') and the sample taken from
 * the exhibit. Headers are matched case- and punctuation-insensitively.
 */
export type TCellError = { row: number; column: string; message: string };

const yesNo = z.string().transform((v, ctx) => {
  const t = v.trim().toLowerCase();
  if (['yes', 'y', 'true', '1'].includes(t)) return true;
  if (['no', 'n', 'false', '0'].includes(t)) return false;
  ctx.addIssue({ code: 'custom', message: 'yes or no' });
  return z.NEVER;
});
const num = (min: number, max: number) => z.string().transform((v, ctx) => {
  const n = Number(v.replace(/,/g, ''));
  if (!Number.isFinite(n) || n < min || n > max) {
    ctx.addIssue({ code: 'custom', message: `a number from ${min} to ${max}` });
    return z.NEVER;
  }
  return n;
});
const int = (min: number, max: number) => num(min, max).refine(Number.isInteger, 'a whole number');
const text = (max: number) => z.string().max(max, `at most ${max} characters`);
const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.string().transform((v) => v.trim().toUpperCase().replace(/[\s-]+/g, '_')).pipe(z.enum(values, { message: `one of ${values.join(', ')}` }));
const instant = z.string().transform((v, ctx) => {
  // Spreadsheets write "2026-03-13 14:05"; without a zone the time is UTC, as everywhere in the record.
  const t = v.trim().replace(' ', 'T');
  const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(t) ? t : `${t}${t.length === 10 ? 'T00:00' : ''}Z`);
  if (Number.isNaN(d.getTime())) {
    ctx.addIssue({ code: 'custom', message: 'a date and time (ISO 8601, UTC unless a zone is given)' });
    return z.NEVER;
  }
  if (!isRecordableInstant(d)) {
    ctx.addIssue({ code: 'custom', message: RANGE_MESSAGE });
    return z.NEVER;
  }
  return d.toISOString();
});

export const SEIZURE_COLUMNS = {
  seizureNumber: { required: true, schema: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{2,63}$/, 'letters, digits and . _ / - (3–64)') },
  portCode: { required: true, schema: z.string().regex(/^\d{4}$/, 'a 4-digit CBP port code') },
  seizedAt: { required: true, schema: instant },
  conveyance: { required: false, schema: oneOf(CONVEYANCES) },
  subjectInCustody: { required: false, schema: yesNo },
  controlledDeliveryPending: { required: false, schema: yesNo },
  narrative: { required: false, schema: text(4000) },
  operation: { required: false, schema: text(120) },
} as const;

export const EXHIBIT_COLUMNS = {
  exhibitNumber: { required: true, schema: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,31}$/, 'letters, digits and . _ / - (1–32)') },
  exhibitDescription: { required: true, schema: text(1000) },
  unitCount: { required: false, schema: int(1, 10_000_000) },
  netWeightKg: { required: false, schema: num(0, 1_000_000) },
  packaging: { required: false, schema: text(300) },
} as const;

export const SAMPLE_COLUMNS = {
  sampleForm: { required: false, schema: oneOf(FORMS) },
  sampleDescription: { required: false, schema: text(1000) },
  sampleGrossWeightG: { required: false, schema: num(0.000001, 10_000_000) },
  sampleNetWeightG: { required: false, schema: num(0, 10_000_000) },
  sampleNetWeightUncertaintyG: { required: false, schema: num(0, 10_000_000) },
  sealNumber: { required: false, schema: text(64) },
  priority: { required: false, schema: oneOf(PRIORITIES) },
} as const;

/** Observable columns and their kinds; a plate may carry its state as "AZ:ABC1234". */
export const OBSERVABLE_COLUMNS: Record<string, TObservableKind> = {
  vehiclePlate: 'VEHICLE_PLATE', vin: 'VIN', containerNumber: 'CONTAINER_NUMBER', airwayBill: 'AIRWAY_BILL', trackingNumber: 'TRACKING_NUMBER',
  phone: 'PHONE', person: 'PERSON', organization: 'ORGANIZATION', address: 'ADDRESS', routeOrigin: 'ROUTE_ORIGIN',
  pillImprint: 'PILL_IMPRINT', pillColor: 'PILL_COLOR', pillShape: 'PILL_SHAPE', pillLogo: 'PILL_LOGO', packagingMarking: 'PACKAGING_MARKING',
};

type TSpec = Record<string, { required: boolean; schema: z.ZodType }>;
const SPECS: TSpec = { ...SEIZURE_COLUMNS, ...EXHIBIT_COLUMNS, ...SAMPLE_COLUMNS };
export const ALL_COLUMNS = [...Object.keys(SPECS), ...Object.keys(OBSERVABLE_COLUMNS)];
const key = (h: string) => h.toLowerCase().replace(/[^a-z0-9]/g, '');
const BY_KEY = new Map(ALL_COLUMNS.map((c) => [key(c), c]));

export type TRow = { row: number; values: Record<string, unknown>; observables: { column: string; kind: TObservableKind; value: string; qualifier?: string }[] };

/** Maps the header to column names; an unknown or repeated header is an error on row 1. */
export function readHeader(header: string[]): { columns: (string | null)[]; errors: TCellError[] } {
  const errors: TCellError[] = [];
  const seen = new Set<string>();
  const columns = header.map((h) => {
    const c = BY_KEY.get(key(h));
    if (!h.trim()) return null;
    if (!c) errors.push({ row: 1, column: h, message: `unknown column (expected any of: ${ALL_COLUMNS.join(', ')})` });
    else if (seen.has(c)) errors.push({ row: 1, column: h, message: 'column appears twice' });
    if (c) seen.add(c);
    return c ?? null;
  });
  for (const [c, spec] of Object.entries(SPECS)) if (spec.required && !seen.has(c)) errors.push({ row: 1, column: c, message: 'required column is missing' });
  return { columns, errors };
}

/** Checks one row's cells; every bad cell is reported. */
export function readRow(row: number, cells: Record<string, string>): { value: TRow; errors: TCellError[] } {
  const errors: TCellError[] = [];
  const values: Record<string, unknown> = {};
  for (const [column, spec] of Object.entries(SPECS)) {
    const raw = (cells[column] ?? '').trim();
    if (!raw) {
      if (spec.required) errors.push({ row, column, message: 'required' });
      continue;
    }
    const parsed = spec.schema.safeParse(raw);
    if (parsed.success) values[column] = parsed.data;
    else errors.push({ row, column, message: parsed.error.issues[0]?.message ?? 'invalid' });
  }
  const sampleGiven = Object.keys(SAMPLE_COLUMNS).some((c) => (cells[c] ?? '').trim());
  if (sampleGiven) {
    for (const c of ['sampleForm', 'sampleDescription', 'sampleGrossWeightG', 'sealNumber']) if (!(cells[c] ?? '').trim()) errors.push({ row, column: c, message: 'required when the row carries a sample' });
    const gross = values.sampleGrossWeightG as number | undefined;
    const net = values.sampleNetWeightG as number | undefined;
    if (gross !== undefined && net !== undefined && net > gross) errors.push({ row, column: 'sampleNetWeightG', message: 'net weight cannot exceed gross weight' });
    if (values.sampleNetWeightUncertaintyG !== undefined && net === undefined) errors.push({ row, column: 'sampleNetWeightUncertaintyG', message: 'an uncertainty needs the net weight it belongs to' });
  }
  const observables: TRow['observables'] = [];
  for (const [column, kind] of Object.entries(OBSERVABLE_COLUMNS)) {
    for (const part of (cells[column] ?? '').split(';').map((p) => p.trim()).filter(Boolean)) {
      const m = kind === 'VEHICLE_PLATE' ? /^([A-Za-z]{2,3}):(.+)$/.exec(part) : null;
      const o = { column, kind, value: m ? m[2]!.trim() : part, ...(m ? { qualifier: m[1]! } : {}) };
      const r = normalizeObservable(o);
      if (!r.ok) errors.push({ row, column, message: `${part}: ${r.message}` });
      else observables.push(o);
    }
  }
  // The row's readable cells go on to the cross-row checks even when others are bad: every error is reported at once.
  return { value: { row, values, observables }, errors };
}
