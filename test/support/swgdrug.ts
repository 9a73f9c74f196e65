import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseMsp, type TMspRecord } from '../../src/spectra/msp.parser.ts';

/** The SWGDRUG 3.4 library copy the tests search (never shipped: ../shared/spectra/README.md). */
export const SWGDRUG_PATH = path.resolve(import.meta.dirname, '../../../shared/spectra/swgdrug-3.4.msp');

let cached: TMspRecord[] | undefined;
export function swgdrugRecords(): TMspRecord[] {
  cached ??= parseMsp(readFileSync(SWGDRUG_PATH, 'utf8'));
  return cached;
}

export const recordNamed = (name: string) => {
  const r = swgdrugRecords().find((x) => x.name === name);
  if (!r) throw new Error(`no SWGDRUG record named ${name}`);
  return r;
};
