import { prepare } from './match-factor.ts';
import type { TSpectrum } from './spectrum.ts';

/**
 * A library's spectra laid out by column: one Float64Array of match-factor weights per nominal m/z,
 * record r at index m·size + r (zero where the record has no peak at m). A search walks only the
 * columns of the query's peaks, for every record at once, in sequential memory: the whole composite
 * score of 2,988 SWGDRUG spectra is about 400,000 multiply-adds. (SWGDRUG 3.4: 684 columns, 16 MiB.)
 */
export type TFlatLibrary = { size: number; columns: Float64Array; norm2: Float64Array; maxMz: number };

export function flatten(spectra: TSpectrum[]): TFlatLibrary {
  const prepared = spectra.map(prepare);
  const size = prepared.length;
  const maxMz = Math.max(0, ...prepared.map((p) => p.mz[p.mz.length - 1] ?? 0));
  const flat: TFlatLibrary = { size, columns: new Float64Array((maxMz + 1) * size), norm2: new Float64Array(size), maxMz };
  prepared.forEach((p, r) => {
    flat.norm2[r] = p.norm2;
    for (let i = 0; i < p.mz.length; i++) flat.columns[p.mz[i]! * size + r] = p.w[i]!;
  });
  return flat;
}
