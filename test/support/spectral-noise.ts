import type { TPeak } from '../../src/spectra/spectrum.ts';

/** mulberry32: a small seeded generator, so a noisy spectrum is the same on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const NOISE = { jitterSigma: 0.15, smallPeakFraction: 0.05, dropProbability: 0.5, contaminantMz: [40, 400], contaminantIntensity: [0.1, 0.5] } as const;

/**
 * What a bench spectrum does to a library one: every intensity jittered (log-normal, σ 0.15, about
 * ±15 %), peaks under 5 % of the base peak dropped at random (half of them), and one contaminant peak
 * (m/z 40–400, 10–50 % of the base peak) added — column bleed, a co-eluting cutting agent.
 */
export function addNoise(peaks: readonly TPeak[], seed: number, parts: { jitter?: boolean; drop?: boolean; contaminant?: boolean } = {}): TPeak[] {
  const { jitter = true, drop = true, contaminant = true } = parts;
  const rnd = seeded(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const base = Math.max(...peaks.map((p) => p[1]));
  const kept = peaks
    .filter(([, i]) => !drop || i >= NOISE.smallPeakFraction * base || rnd() >= NOISE.dropProbability)
    .map(([mz, i]): TPeak => [mz, jitter ? i * Math.exp(NOISE.jitterSigma * gauss()) : i]);
  const [lo, hi] = NOISE.contaminantMz;
  const [fmin, fmax] = NOISE.contaminantIntensity;
  if (contaminant) kept.push([lo + Math.floor(rnd() * (hi - lo + 1)), base * (fmin + rnd() * (fmax - fmin))]);
  return kept;
}
