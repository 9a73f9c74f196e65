import type { TPeak } from './spectrum.ts';

/**
 * Spectral entropy and entropy similarity (Li et al., "Spectral entropy outperforms MS/MS dot product
 * similarity for small-molecule compound identification", Nature Methods 18, 1524–1531, 2021), with
 * the reference implementation's defaults so that its published test values come out the same:
 * peaks are cleaned (centroided within twice the match tolerance, peaks under 1 % of the base peak
 * dropped, intensities normalised to sum 1), weighted when the spectrum's entropy is under 3
 * (I^(0.25 + 0.25·S)), then similarity = ½ Σ over matched peaks f(a+b) − f(a) − f(b), f(x) = x·log₂x.
 * The result is 0 (nothing shared) to 1 (identical).
 */
export type TCleanOptions = { minMz?: number; maxMz?: number; noiseThreshold?: number; minPeakDistanceDa?: number; maxPeaks?: number };

export const ENTROPY_DEFAULTS = { toleranceDa: 0.02, noiseThreshold: 0.01 } as const;

type TMutablePeak = [number, number];

/** One centroiding pass: from the most intense peak down, merge neighbours within `tolerance`. */
function centroidPass(peaks: TMutablePeak[], tolerance: number): TMutablePeak[] {
  const order = peaks.map((_, i) => i).sort((a, b) => peaks[b]![1] - peaks[a]![1]);
  const merged: TMutablePeak[] = [];
  for (const i of order) {
    if (peaks[i]![1] <= 0) continue;
    let lo = i;
    while (lo > 0 && peaks[i]![0] - peaks[lo - 1]![0] <= tolerance) lo--;
    let hi = i;
    while (hi < peaks.length - 1 && peaks[hi + 1]![0] - peaks[i]![0] <= tolerance) hi++;
    let sum = 0;
    let weightedMz = 0;
    for (let k = lo; k <= hi; k++) {
      sum += peaks[k]![1];
      weightedMz += peaks[k]![1] * peaks[k]![0];
      peaks[k]![1] = 0;
    }
    merged.push([weightedMz / sum, sum]);
  }
  return merged.sort((a, b) => a[0] - b[0]);
}

const centroided = (peaks: TMutablePeak[], tolerance: number) => peaks.every((p, i) => i === 0 || p[0] - peaks[i - 1]![0] >= tolerance);

export function cleanSpectrum(input: readonly TPeak[], o: TCleanOptions = {}): TMutablePeak[] {
  const tolerance = o.minPeakDistanceDa ?? 0.05;
  if (!(tolerance > 0)) throw new RangeError('minPeakDistanceDa must be positive');
  let peaks = input
    .filter(([mz, i]) => mz > 0 && i > 0 && (!(o.minMz! > 0) || mz >= o.minMz!) && (!(o.maxMz! > 0) || mz <= o.maxMz!))
    .map(([mz, i]): TMutablePeak => [mz, i])
    .sort((a, b) => a[0] - b[0]);
  if (!peaks.length) return [];
  while (!centroided(peaks, tolerance)) peaks = centroidPass(peaks, tolerance);
  const noise = o.noiseThreshold ?? ENTROPY_DEFAULTS.noiseThreshold;
  const base = Math.max(...peaks.map((p) => p[1]));
  peaks = peaks.filter((p) => p[1] >= noise * base);
  if (o.maxPeaks && o.maxPeaks > 0 && peaks.length > o.maxPeaks) {
    const kept = new Set([...peaks].sort((a, b) => b[1] - a[1]).slice(0, o.maxPeaks));
    peaks = peaks.filter((p) => kept.has(p));
  }
  const total = peaks.reduce((s, p) => s + p[1], 0);
  return peaks.map(([mz, i]) => [mz, i / total]);
}

/** Shannon entropy (natural log) of a cleaned, sum-normalised spectrum. */
export const entropyOf = (peaks: readonly TPeak[]) => -peaks.reduce((s, [, p]) => s + p * Math.log(p), 0);

export function spectralEntropy(peaks: readonly TPeak[], o: TCleanOptions = {}): number {
  return entropyOf(cleanSpectrum(peaks, o));
}

/** Low-entropy (few dominant peaks) spectra get their small peaks lifted, as the paper prescribes. */
function entropyWeighted(peaks: TMutablePeak[]): TMutablePeak[] {
  const s = entropyOf(peaks);
  if (s >= 3 || !peaks.length) return peaks;
  const lifted = peaks.map(([mz, p]): TMutablePeak => [mz, p ** (0.25 + 0.25 * s)]);
  const total = lifted.reduce((t, p) => t + p[1], 0);
  return lifted.map(([mz, p]) => [mz, p / total]);
}

const f = (x: number) => x * Math.log2(x);

/** Matched-peak sum over two cleaned spectra, each matched peak used once (two pointers along m/z). */
function unweighted(a: readonly TPeak[], b: readonly TPeak[], toleranceDa: number): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  while (i < a.length && j < b.length) {
    const d = a[i]![0] - b[j]![0];
    if (d < -toleranceDa) i++;
    else if (d > toleranceDa) j++;
    else {
      const [pa, pb] = [a[i]![1], b[j]![1]];
      sum += f(pa + pb) - f(pa) - f(pb);
      i++;
      j++;
    }
  }
  return sum / 2;
}

export type TEntropyOptions = TCleanOptions & { toleranceDa?: number; weighted?: boolean };

export function entropySimilarity(a: readonly TPeak[], b: readonly TPeak[], o: TEntropyOptions = {}): number {
  const toleranceDa = o.toleranceDa ?? ENTROPY_DEFAULTS.toleranceDa;
  const clean = { ...o, minPeakDistanceDa: Math.max(2 * toleranceDa, o.minPeakDistanceDa ?? -1) };
  let ca = cleanSpectrum(a, clean);
  let cb = cleanSpectrum(b, clean);
  if (!ca.length || !cb.length) return 0;
  if (o.weighted !== false) [ca, cb] = [entropyWeighted(ca), entropyWeighted(cb)];
  return unweighted(ca, cb, toleranceDa);
}
