import type { TSpectrum } from './spectrum.ts';

/**
 * The composite match factor of Stein & Scott (J Am Soc Mass Spectrom 1994, 5, 859–866), the score
 * NIST MS Search reports as "MF", on a 0–999 scale:
 *
 * - weighted dot product F_D = (Σ W_U·W_L)² / (Σ W_U² · Σ W_L²) over the union of m/z, with the
 *   paper's optimal weights W = (m/z)³ · I^0.6 (heavier ions say more about structure);
 * - ratio-of-peak-pairs factor F_R: for consecutive peaks i−1, i present in both spectra,
 *   R_i = (W_L,i · W_U,i−1) / (W_L,i−1 · W_U,i), each pair contributing min(R_i, 1/R_i), averaged
 *   (the m/z weights cancel in R_i, so F_R compares relative intensities only);
 * - F_C = (N_U · F_D + N_LU · F_R) / (N_U + N_LU), N_U the query's peaks and N_LU the shared ones;
 *   with fewer than two shared peaks there is no pair, and F_C = F_D.
 *
 * The paper averages F_R over the N_LU − 1 pairs, so identical spectra score exactly 1. Scores are
 * reported as min(999, round(1000 · F)), as NIST does. Rescaling either spectrum's intensities
 * changes nothing: every term is a ratio of homogeneous sums.
 */
export const MATCH_FACTOR_PARAMS = { massExponent: 3, intensityExponent: 0.6 } as const;

/** A spectrum with its weights, computed once (library records are prepared at index time). */
export type TPrepared = TSpectrum & { w: Float64Array; norm2: number };

export function prepare(s: TSpectrum): TPrepared {
  const { massExponent: n, intensityExponent: m } = MATCH_FACTOR_PARAMS;
  const w = new Float64Array(s.mz.length);
  let norm2 = 0;
  for (let i = 0; i < w.length; i++) {
    w[i] = s.mz[i]! ** n * s.intensity[i]! ** m;
    norm2 += w[i]! * w[i]!;
  }
  return { ...s, w, norm2 };
}

/** The query as a dense array indexed by m/z, so each library record is scored in one pass. */
export type TDenseQuery = { w: Float64Array; norm2: number; peaks: number };

export function denseQuery(q: TPrepared, maxMz: number): TDenseQuery {
  const w = new Float64Array(maxMz + 1);
  for (let i = 0; i < q.mz.length; i++) if (q.mz[i]! <= maxMz) w[q.mz[i]!] = q.w[i]!;
  return { w, norm2: q.norm2, peaks: q.mz.length };
}

export type TScores = { forward: number; reverse: number; shared: number };

/**
 * Forward and reverse composite scores (0–1) of one library spectrum against the query, walking the
 * library spectrum's peaks in ascending m/z. (A library index walks m/z columns instead, for every
 * record at once; both end in `composite`.)
 */
export function compositeScores(q: TDenseQuery, lib: TPrepared): TScores {
  const { mz, w, norm2 } = lib;
  let dot = 0;
  let shared = 0;
  let ratioSum = 0;
  let queryOnLibrary2 = 0;
  let prevQ = 0;
  let prevL = 0;
  const qw = q.w;
  for (let i = 0; i < mz.length; i++) {
    const m = mz[i]!;
    const wq = m < qw.length ? qw[m]! : 0;
    if (wq === 0) continue;
    const wl = w[i]!;
    dot += wq * wl;
    queryOnLibrary2 += wq * wq;
    if (shared > 0) {
      const r = (wl * prevQ) / (prevL * wq);
      ratioSum += r < 1 ? r : 1 / r;
    }
    prevQ = wq;
    prevL = wl;
    shared++;
  }
  return composite(q, { dot, queryOnLibrary2, ratioSum, shared }, norm2);
}

/** The sums a pass over shared peaks collects, whichever way it walks them. */
export type TSums = { dot: number; queryOnLibrary2: number; ratioSum: number; shared: number };

/** Forward and reverse composite scores from the sums over the shared peaks. */
export function composite(q: TDenseQuery, s: TSums, libraryNorm2: number): TScores {
  if (s.shared === 0) return { forward: 0, reverse: 0, shared: 0 };
  const fr = s.shared > 1 ? s.ratioSum / (s.shared - 1) : 0;
  const pairs = s.shared > 1 ? s.shared : 0;
  const mix = (fd: number, nu: number) => (nu * fd + pairs * fr) / (nu + pairs);
  const forwardDot = (s.dot * s.dot) / (q.norm2 * libraryNorm2);
  // Reverse search: the query's peaks that the library spectrum lacks are ignored (impurities, co-eluting compounds).
  const reverseDot = (s.dot * s.dot) / (s.queryOnLibrary2 * libraryNorm2);
  return { forward: mix(forwardDot, q.peaks), reverse: mix(reverseDot, s.shared), shared: s.shared };
}

/** 0–1 score to the 0–999 scale. */
export const toMatchFactor = (score: number) => Math.min(999, Math.round(score * 1000));

/** Convenience for two spectra: `{matchFactor, reverseMatchFactor}` on the 0–999 scale. */
export function matchFactors(query: TSpectrum, library: TSpectrum) {
  const q = prepare(query);
  const l = prepare(library);
  const maxMz = Math.max(q.mz[q.mz.length - 1]!, l.mz[l.mz.length - 1]!);
  const s = compositeScores(denseQuery(q, maxMz), l);
  return { matchFactor: toMatchFactor(s.forward), reverseMatchFactor: toMatchFactor(s.reverse), sharedPeaks: s.shared };
}
