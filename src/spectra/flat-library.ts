import { prepare } from './match-factor.ts';
import type { TSpectrum } from './spectrum.ts';

/** Peaks per record checked exactly before the rest is bounded (see LibraryIndex.search). */
export const SCREEN_PEAKS = 12;

/**
 * A library's spectra in a few flat typed arrays: record r owns peaks [offset[r], offset[r+1]) in
 * ascending m/z, with their match-factor weights. For each record its SCREEN_PEAKS heaviest peaks are
 * kept apart, with the squared norm of the rest, so a search can bound a record's score cheaply.
 */
export type TFlatLibrary = {
  mz: Int32Array;
  w: Float64Array;
  offset: Int32Array;
  norm2: Float64Array;
  screenMz: Int32Array;
  screenW: Float64Array;
  restNorm: Float64Array;
  maxMz: number;
};

export function flatten(spectra: TSpectrum[]): TFlatLibrary {
  const prepared = spectra.map(prepare);
  const total = prepared.reduce((s, p) => s + p.mz.length, 0);
  const n = prepared.length;
  const flat: TFlatLibrary = {
    mz: new Int32Array(total),
    w: new Float64Array(total),
    offset: new Int32Array(n + 1),
    norm2: new Float64Array(n),
    screenMz: new Int32Array(n * SCREEN_PEAKS),
    screenW: new Float64Array(n * SCREEN_PEAKS),
    restNorm: new Float64Array(n),
    maxMz: 0,
  };
  let at = 0;
  prepared.forEach((p, r) => {
    flat.offset[r] = at;
    flat.mz.set(p.mz, at);
    flat.w.set(p.w, at);
    at += p.mz.length;
    flat.norm2[r] = p.norm2;
    flat.maxMz = Math.max(flat.maxMz, p.mz[p.mz.length - 1] ?? 0);
    const heaviest = Array.from(p.w.keys()).sort((a, b) => p.w[b]! - p.w[a]!).slice(0, SCREEN_PEAKS);
    let screened2 = 0;
    heaviest.forEach((i, k) => {
      flat.screenMz[r * SCREEN_PEAKS + k] = p.mz[i]!;
      flat.screenW[r * SCREEN_PEAKS + k] = p.w[i]!;
      screened2 += p.w[i]! ** 2;
    });
    flat.restNorm[r] = Math.sqrt(Math.max(0, p.norm2 - screened2));
  });
  flat.offset[n] = at;
  return flat;
}
