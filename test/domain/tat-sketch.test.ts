import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketKey, bucketValue, encodeSketch, SKETCH_ALPHA, TatSketch } from '../../src/domain/tat-sketch.rules.ts';

/** PostgreSQL's percentile_cont over plain values: position q × (n − 1), linear interpolation. */
function percentileCont(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  return s[lo]! + (s[Math.ceil(pos)]! - s[lo]!) * (pos - lo);
}

/** The stated bound: α × the interpolation's weights on |neighbours| (α × |exact| when they share a sign). */
function bound(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const f = pos - lo;
  return SKETCH_ALPHA * ((1 - f) * Math.abs(s[lo]!) + f * Math.abs(s[Math.ceil(pos)]!)) * (1 + 1e-9) + 1e-12;
}

const sketchOf = (values: readonly number[]) => {
  const s = new TatSketch();
  values.forEach((v) => s.addValue(v));
  return s;
};

const hours = fc.oneof(
  fc.double({ min: 0.001, max: 200, noNaN: true }),
  fc.double({ min: 1e-9, max: 1e6, noNaN: true }),
  fc.constantFrom(0, 2, 2, 48, 0.25),
);

describe('log-bucket turnaround sketch', () => {
  it('when a value is bucketed, then the bucket stands for it within α (relative)', () => {
    fc.assert(fc.property(fc.double({ min: -1e7, max: 1e7, noNaN: true }), (x) => {
      expect(Math.abs(bucketValue(bucketKey(x)) - x)).toBeLessThanOrEqual(SKETCH_ALPHA * Math.abs(x) * (1 + 1e-9));
    }), { numRuns: 2000 });
    expect(bucketValue(bucketKey(0))).toBe(0);
  });

  it('when bucket keys are sorted, then the values they stand for are sorted too (negatives, zero, positives)', () => {
    const xs = [-1e6, -50, -1, -1e-6, 0, 1e-9, 0.01, 1, 2, 48, 1e6];
    const keys = xs.map(bucketKey);
    expect([...keys].sort((a, b) => a - b)).toEqual(keys);
  });

  it('when durations are non-negative, then p50 and p90 are within α × the exact percentile_cont', () => {
    fc.assert(fc.property(fc.array(hours, { minLength: 1, maxLength: 400 }), (values) => {
      const s = sketchOf(values);
      const [p50, p90] = s.quantiles([0.5, 0.9]);
      for (const [q, got] of [[0.5, p50], [0.9, p90]] as const) {
        const exact = percentileCont(values, q);
        expect(Math.abs(got! - exact)).toBeLessThanOrEqual(SKETCH_ALPHA * Math.abs(exact) * (1 + 1e-9) + 1e-12);
      }
    }), { numRuns: 500 });
  });

  it('when durations change sign (clock skew in imported data), then the error is bounded by α × the neighbours', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 200 }), fc.double({ min: 0, max: 1, noNaN: true }), (values, q) => {
      const [got] = sketchOf(values).quantiles([q]);
      expect(Math.abs(got! - percentileCont(values, q))).toBeLessThanOrEqual(bound(values, q));
    }), { numRuns: 300 });
  });

  it('when histograms are merged, then the result is the histogram of all the values', () => {
    fc.assert(fc.property(fc.array(hours, { maxLength: 100 }), fc.array(hours, { maxLength: 100 }), (a, b) => {
      const merged = sketchOf(a);
      merged.addEncoded(encodeSketch(sketchOf(b)));
      const whole = sketchOf([...a, ...b]);
      expect(merged.n).toBe(whole.n);
      expect(merged.quantiles([0.5, 0.9])).toEqual(whole.quantiles([0.5, 0.9]));
    }), { numRuns: 200 });
  });

  it('when a histogram is encoded, then decoding gives back every bucket and count, large ones included', () => {
    const s = new TatSketch();
    [[-1_050_000, 1], [-900_000, 3], [-2100, 2 ** 31 - 1], [0, 127], [1, 128], [700, 16_384], [701, 2_097_152]].forEach(([k, c]) => s.add(k!, c!));
    const back = new TatSketch();
    back.addEncoded(encodeSketch(s));
    expect([...back.counts]).toEqual([...s.counts]);
  });

  it('when there is a single duration, then both percentiles are its bucket; when none, null', () => {
    const [p50, p90] = sketchOf([7.25]).quantiles([0.5, 0.9]);
    expect(p50).toBe(p90);
    expect(Math.abs(p50! - 7.25)).toBeLessThanOrEqual(SKETCH_ALPHA * 7.25);
    expect(new TatSketch().quantiles([0.5, 0.9])).toEqual([null, null]);
  });
});
