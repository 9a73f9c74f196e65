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

/** A small library: the named records copied as they stand in the SWGDRUG MSP (a block per record). */
export function mspExtract(names: string[]): Buffer {
  const blocks = readFileSync(SWGDRUG_PATH, 'utf8').split(/\r?\n\s*\r?\n/);
  const picked = names.map((name) => {
    const block = blocks.find((b) => b.trimStart().startsWith(`Name: ${name}\n`) || b.trimStart().startsWith(`Name: ${name}\r\n`));
    if (!block) throw new Error(`no SWGDRUG record named ${name}`);
    return block.trim();
  });
  return Buffer.from(`${picked.join('\n\n')}\n`);
}

/** A record's spectrum as an instrument's two-column CSV export (m/z, intensity). */
export const spectrumCsv = (name: string) => Buffer.from(`m/z,intensity\n${recordNamed(name).peaks.map(([m, i]) => `${m},${i}`).join('\n')}\n`);
