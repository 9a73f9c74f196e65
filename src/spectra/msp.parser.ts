import type { TPeak } from './spectrum.ts';

/** One record of a NIST text (MSP) library: the fields SWGDRUG and NIST libraries carry. */
export type TMspRecord = {
  name: string;
  synonyms: string[];
  inchiKey: string | null;
  formula: string | null;
  mw: number | null;
  casNo: string | null;
  libraryId: string | null;
  comment: string | null;
  peaks: TPeak[];
};

export class MspError extends Error {
  override name = 'MspError';
}

/** MSP writes CAS numbers without hyphens ("3258842"); 0 means unknown. */
export function formatCas(raw: string): string | null {
  const digits = raw.trim();
  if (/^\d{2,7}-\d{2}-\d$/.test(digits)) return digits;
  if (!/^\d{5,10}$/.test(digits)) return null;
  return `${digits.slice(0, -3)}-${digits.slice(-3, -1)}-${digits.slice(-1)}`;
}

const NUMBER_PAIR = /(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)[\s,:]+(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)/g;

function finishRecord(fields: Map<string, string[]>, peakText: string, expected: number, line: number): TMspRecord {
  const one = (k: string) => fields.get(k)?.[0]?.trim() || null;
  const name = one('name');
  if (!name) throw new MspError(`record ending at line ${line} has no Name`);
  // Peak annotations ("…" after a pair, used by MS/MS libraries) are not part of the spectrum.
  const peaks: TPeak[] = [];
  for (const m of peakText.replace(/"[^"]*"/g, ' ').matchAll(NUMBER_PAIR)) peaks.push([Number(m[1]), Number(m[2])]);
  if (peaks.length !== expected) throw new MspError(`"${name}" declares ${expected} peaks but lists ${peaks.length} (line ${line})`);
  const mw = one('mw');
  const cas = one('casno') ?? one('cas#') ?? one('cas');
  return {
    name,
    synonyms: (fields.get('synon') ?? []).map((s) => s.trim()).filter(Boolean),
    inchiKey: one('inchikey'),
    formula: one('formula'),
    mw: mw !== null && Number.isFinite(Number(mw)) ? Number(mw) : null,
    casNo: cas ? formatCas(cas.split(/[;\s]/)[0]!) : null,
    libraryId: one('id') ?? one('nist#') ?? one('db#'),
    comment: one('comment'),
    peaks,
  };
}

/** Parses every record; a malformed record names itself and its line. */
export function parseMsp(text: string): TMspRecord[] {
  const records: TMspRecord[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/);
  let fields = new Map<string, string[]>();
  let peakText = '';
  let expected = -1;
  let lineNo = 0;
  const flush = () => {
    if (fields.size || expected >= 0) {
      if (expected < 0) throw new MspError(`record "${fields.get('name')?.[0] ?? '?'}" ending at line ${lineNo} has no Num Peaks`);
      records.push(finishRecord(fields, peakText, expected, lineNo));
    }
    fields = new Map();
    peakText = '';
    expected = -1;
  };
  for (const raw of lines) {
    lineNo++;
    const line = raw.trim();
    if (!line) {
      flush();
      continue;
    }
    if (expected >= 0) {
      peakText += ` ${line}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon < 1) throw new MspError(`line ${lineNo} is neither "Field: value" nor a peak`);
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'num peaks') {
      expected = Number(value);
      if (!Number.isInteger(expected) || expected < 0) throw new MspError(`line ${lineNo}: Num Peaks must be a whole number`);
      continue;
    }
    if (key === 'name' && fields.has('name')) flush();
    fields.set(key, [...(fields.get(key) ?? []), value]);
  }
  flush();
  return records;
}
