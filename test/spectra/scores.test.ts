import { describe, expect, it } from 'vitest';
import { cleanSpectrum, entropySimilarity, spectralEntropy } from '../../src/spectra/entropy.ts';
import { matchFactors } from '../../src/spectra/match-factor.ts';
import { toNominal, type TPeak } from '../../src/spectra/spectrum.ts';

const cocaineLike: TPeak[] = [[42, 310], [77, 220], [82, 999], [94, 280], [105, 420], [182, 870], [198, 80], [272, 60], [303, 300]];

describe('composite match factor (Stein & Scott 1994)', () => {
  it('when the spectra are identical, then forward and reverse score 999', () => {
    expect(matchFactors(toNominal(cocaineLike), toNominal(cocaineLike))).toEqual({ matchFactor: 999, reverseMatchFactor: 999, sharedPeaks: 9 });
  });

  it('when the spectra share no m/z, then both scores are 0', () => {
    const other = cocaineLike.map(([mz, i]): TPeak => [mz + 1, i]);
    expect(matchFactors(toNominal(cocaineLike), toNominal(other))).toMatchObject({ matchFactor: 0, reverseMatchFactor: 0, sharedPeaks: 0 });
  });

  it.each([0.001, 0.37, 1, 100, 1e6])('when one side is rescaled by %d, then the scores do not change', (k) => {
    const query = cocaineLike.filter((_, i) => i % 3 !== 0).map(([mz, i]): TPeak => [mz, i * (1 + (mz % 7) / 10)]);
    const scaled = query.map(([mz, i]): TPeak => [mz, i * k]);
    const base = matchFactors(toNominal(query), toNominal(cocaineLike));
    expect(base.matchFactor).toBeGreaterThan(0);
    expect(base.matchFactor).toBeLessThan(999);
    expect(matchFactors(toNominal(scaled), toNominal(cocaineLike))).toEqual(base);
    expect(entropySimilarity(scaled, cocaineLike)).toBeCloseTo(entropySimilarity(query, cocaineLike), 12);
  });

  it('when the query carries an extra impurity peak, then the reverse score ignores it and the forward score drops', () => {
    const impure: TPeak[] = [...cocaineLike, [149, 700]];
    const s = matchFactors(toNominal(impure), toNominal(cocaineLike));
    expect(s.reverseMatchFactor).toBe(999);
    expect(s.matchFactor).toBeLessThan(990);
  });

  it('when two peaks land on one nominal m/z, then they are summed (n + 0.5 rounds up)', () => {
    const s = toNominal([[81.6, 1], [82.4, 2], [82.5, 4], [83.49, 8]]);
    expect(Array.from(s.mz)).toEqual([82, 83]);
    expect(Array.from(s.intensity)).toEqual([3, 12]);
  });

  it('when the intensity ratios of neighbouring shared peaks differ, then the match factor falls below the pure dot-product agreement', () => {
    const swapped = cocaineLike.map(([mz, i]): TPeak => [mz, mz === 94 ? 420 : mz === 105 ? 280 : i]);
    const s = matchFactors(toNominal(swapped), toNominal(cocaineLike));
    expect(s.matchFactor).toBeGreaterThan(800);
    expect(s.matchFactor).toBeLessThan(999);
  });
});

// The reference implementation's own test values (MSEntropy, tests/test_entropy.py).
describe('entropy similarity reproduces the reference implementation', () => {
  const query: TPeak[] = [[69.071, 7.917962], [86.066, 1.021589], [86.0969, 100.0]];
  const reference: TPeak[] = [[41.04, 37.16], [69.07, 66.83], [86.1, 999.0]];

  it.each([
    [0.05, true, 0.8984397722577456],
    [0.015, true, 0.8380874603833756],
    [0.05, false, 0.9826668790176113],
    [0.015, false, 0.9780402849658875],
  ])('when the tolerance is %d Da (weighted %s), then the similarity is %d', (toleranceDa, weighted, expected) => {
    expect(entropySimilarity(query, reference, { toleranceDa, weighted })).toBeCloseTo(expected, 4);
  });

  it('when peaks above max m/z are cut, then nothing is shared and the similarity is 0', () => {
    expect(entropySimilarity(query, reference, { toleranceDa: 0.05, maxMz: 50 })).toBe(0);
  });

  it('when the spectral entropy is computed, then it matches the published 0.2605', () => {
    expect(spectralEntropy(query, { minPeakDistanceDa: 0.05, noiseThreshold: 0.01 })).toBeCloseTo(0.2605222463607788, 4);
  });

  it.each([
    [[[41.04, 0.3716], [69.071, 7.917962], [69.071, 100.0], [86.0969, 66.83]], { maxMz: 85, minPeakDistanceDa: 0.05 }, [[69.071, 1]]],
    [[[41.04, 10], [69.071, 30], [86.0969, 60]], { minPeakDistanceDa: 0.05 }, [[41.04, 0.1], [69.071, 0.3], [86.0969, 0.6]]],
    [[[41.04, 10], [69.071, 40], [86.0969, 60]], { minPeakDistanceDa: 0.05, maxPeaks: 2 }, [[69.071, 0.4], [86.0969, 0.6]]],
  ])('when %j is cleaned with %j, then it becomes %j', (peaks, options, expected) => {
    const cleaned = cleanSpectrum(peaks as unknown as TPeak[], options);
    expect(cleaned.length).toBe(expected.length);
    cleaned.forEach(([mz, p], i) => {
      expect(mz).toBeCloseTo(expected[i]![0]!, 3);
      expect(p).toBeCloseTo(expected[i]![1]!, 4);
    });
  });

  it('when nominal spectra are compared with the 0.05 Da tolerance, then rounding first gives the same answer', () => {
    const nominal = (p: TPeak[]) => Array.from(toNominal(p).mz, (mz, i): TPeak => [mz, toNominal(p).intensity[i]!]);
    expect(entropySimilarity(nominal(query), nominal(reference), { toleranceDa: 0.05 })).toBeCloseTo(0.8984397722577456, 4);
  });
});
