import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { TObservableKind } from './closed-sets.ts';

/**
 * Observables: what officers and the lab see on a seizure, stored as entered and normalised so that
 * the same thing written two ways matches. Pure rules, one per kind.
 */
export type TNormalized = { normalized: string; valid: boolean | null };
export type TNormalizeResult = { ok: true; value: TNormalized } | { ok: false; message: string };

/** `qualifier`: the plate's issuing state or province, or the phone's country (ISO 3166 alpha-2). */
export type TObservableInput = { kind: TObservableKind; value: string; qualifier?: string };

const fold = (s: string) => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toUpperCase();
const alnum = (s: string) => fold(s).replace(/[^A-Z0-9]/g, '');
const words = (s: string) => fold(s).replace(/[^A-Z0-9]+/g, ' ').trim();

/** ISO 6346 letter values: A = 10 upwards, skipping multiples of 11. */
const ISO6346 = (() => {
  const m = new Map<string, number>();
  let v = 10;
  for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') {
    if (v % 11 === 0) v++;
    m.set(c, v++);
  }
  return m;
})();

/** ISO 6346 check digit: sum of value × 2^position over the first ten characters, mod 11, mod 10. */
export function containerCheckDigit(first10: string): number {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const c = first10[i]!;
    sum += (ISO6346.get(c) ?? Number(c)) * 2 ** i;
  }
  return (sum % 11) % 10;
}

const VIN_VALUES: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9, S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/** 49 CFR 565.15: position 9 is the check digit (weighted sum mod 11, 10 written X). */
export function vinCheckDigit(vin: string): string {
  const sum = [...vin].reduce((acc, c, i) => acc + (VIN_VALUES[c] ?? Number(c)) * VIN_WEIGHTS[i]!, 0);
  const r = sum % 11;
  return r === 10 ? 'X' : String(r);
}

/** IATA air waybill: 3-digit airline prefix + 7-digit serial + check digit (serial mod 7). */
export const awbCheckDigit = (serial7: string) => Number(serial7) % 7;

const COMPANY_SUFFIXES = /\b(S ?A ?DE ?C ?V|S ?DE ?R ?L ?DE ?C ?V|S ?DE ?R ?L|S ?A|LLC|L ?L ?C|INC|CORP|CO|LTD|LP)\b/g;
const ADDRESS_WORDS: Record<string, string> = { STREET: 'ST', AVENUE: 'AVE', AVENIDA: 'AV', CALLE: 'C', BOULEVARD: 'BLVD', ROAD: 'RD', NUMBER: 'NO', NUMERO: 'NO', COLONIA: 'COL', SUITE: 'STE' };

const ok = (normalized: string, valid: boolean | null = null): TNormalizeResult =>
  normalized ? { ok: true, value: { normalized, valid } } : { ok: false, message: 'nothing left to match once normalised' };
const bad = (message: string): TNormalizeResult => ({ ok: false, message });

/** Normalises one observable by its kind's rules; a value that cannot be one of its kind is refused. */
export function normalizeObservable(input: TObservableInput): TNormalizeResult {
  const raw = input.value.trim();
  if (!raw) return bad('empty');
  switch (input.kind) {
    case 'PHONE': {
      const country = (input.qualifier ?? 'US').toUpperCase() as CountryCode;
      const phone = parsePhoneNumberFromString(raw, country);
      if (!phone || !phone.isValid()) return bad(`not a valid phone number${input.qualifier ? '' : ' (give +country code, or qualifier: country)'}`);
      return ok(phone.number, true);
    }
    case 'VIN': {
      const vin = alnum(raw);
      if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(vin)) return bad('a VIN is 17 letters and digits without I, O or Q');
      // Only North American VINs must carry the check digit; others are kept, marked unchecked-invalid.
      return ok(vin, vin[8] === vinCheckDigit(vin));
    }
    case 'CONTAINER_NUMBER': {
      const c = alnum(raw);
      if (!/^[A-Z]{3}[UJZR]\d{7}$/.test(c)) return bad('an ISO 6346 container number is owner code (3 letters), category (U, J, Z or R), 6 digits and a check digit');
      if (containerCheckDigit(c.slice(0, 10)) !== Number(c[10])) return bad(`check digit should be ${containerCheckDigit(c.slice(0, 10))} (ISO 6346)`);
      return ok(c, true);
    }
    case 'AIRWAY_BILL': {
      const d = raw.replace(/[\s-]/g, '');
      if (!/^\d{11}$/.test(d)) return bad('an air waybill number is 11 digits: airline prefix (3) and serial (8)');
      return ok(`${d.slice(0, 3)}-${d.slice(3)}`, awbCheckDigit(d.slice(3, 10)) === Number(d[10]));
    }
    case 'VEHICLE_PLATE': {
      // O/0 and I/1 are told apart by neither officers nor plate readers; Q is read as 0 (as LPR systems do).
      const plate = alnum(raw).replace(/O|Q/g, '0').replace(/I/g, '1');
      if (plate.length < 2 || plate.length > 10) return bad('a plate is 2 to 10 letters and digits');
      const juris = input.qualifier ? alnum(input.qualifier) : '';
      return ok(juris ? `${juris}-${plate}` : plate);
    }
    case 'TRACKING_NUMBER':
      return ok(alnum(raw));
    case 'PILL_IMPRINT':
    case 'PILL_LOGO':
    case 'PACKAGING_MARKING':
      // "M 30", "M-30" and "m30" are one imprint.
      return ok(alnum(raw));
    case 'PILL_COLOR':
    case 'PILL_SHAPE':
      return ok(words(raw).toLowerCase());
    case 'PERSON':
      // "LOPEZ GARCIA, Juan" and "Juan López García" are one person: accents folded, words sorted.
      return ok(words(raw).split(' ').sort().join(' '));
    case 'ORGANIZATION':
      return ok(words(raw).replace(COMPANY_SUFFIXES, ' ').replace(/\s+/g, ' ').trim());
    case 'ADDRESS':
      return ok(words(raw).split(' ').map((w) => ADDRESS_WORDS[w] ?? w).join(' '));
    case 'ROUTE_ORIGIN':
      return ok(words(raw));
  }
}
