/**
 * A mass spectrum as the matching code sees it: nominal (integer) m/z in ascending order, each with
 * a positive intensity. Electron-ionisation libraries such as SWGDRUG's and NIST's are nominal-mass:
 * m/z is rounded to the nearest integer (n + 0.5 rounds up, as NIST MS Search does) and peaks that
 * land on the same integer are summed, so a profile or high-resolution export compares like for like.
 */
export type TPeak = readonly [mz: number, intensity: number];

export type TSpectrum = { mz: Int32Array; intensity: Float64Array };

/** Thrown for peak lists that cannot be a spectrum (no positive peak, absurd m/z). */
export class SpectrumError extends Error {
  override name = 'SpectrumError';
}

/** Highest m/z kept: EI libraries stop well below this; anything above is a unit mix-up. */
export const MAX_MZ = 5000;

export function toNominal(peaks: Iterable<TPeak>): TSpectrum {
  const summed = new Map<number, number>();
  for (const [mz, intensity] of peaks) {
    if (!Number.isFinite(mz) || !Number.isFinite(intensity)) throw new SpectrumError('m/z and intensity must be finite numbers');
    if (intensity <= 0 || mz <= 0) continue;
    const nominal = Math.floor(mz + 0.5);
    if (nominal > MAX_MZ) throw new SpectrumError(`m/z ${mz} is above ${MAX_MZ}`);
    summed.set(nominal, (summed.get(nominal) ?? 0) + intensity);
  }
  if (!summed.size) throw new SpectrumError('the spectrum has no peak with a positive m/z and intensity');
  const sorted = [...summed.entries()].sort((a, b) => a[0] - b[0]);
  return { mz: Int32Array.from(sorted, (p) => p[0]), intensity: Float64Array.from(sorted, (p) => p[1]) };
}

/** Back to `[[mz, intensity], …]`, scaled so the base peak is 999 (the MSP convention). */
export function toPeakList(s: TSpectrum, basePeak = 999): [number, number][] {
  const max = Math.max(...s.intensity);
  return Array.from(s.mz, (mz, i) => [mz, Math.round((s.intensity[i]! / max) * basePeak * 100) / 100]);
}

/** The n most intense m/z values, most intense first. */
export function topPeaks(s: TSpectrum, n: number): number[] {
  return Array.from(s.mz.keys()).sort((a, b) => s.intensity[b]! - s.intensity[a]! || s.mz[a]! - s.mz[b]!).slice(0, n).map((i) => s.mz[i]!);
}
