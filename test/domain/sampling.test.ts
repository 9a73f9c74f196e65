import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { passProbability, samplingPlan, type TWorkCounter } from '../../src/domain/sampling.rules.ts';

const plan = (population: number, allowedNegatives = 0, confidence = 0.95, proportion = 0.9) =>
  samplingPlan({ population, confidence, proportion, allowedNegatives });

describe('hypergeometric sampling plan (SWGDRUG SD-5)', () => {
  it.each([
    [10, 8], [20, 12], [50, 19], [100, 23], [978, 28], [1000, 28], [100_000, 29], [1_000_000, 29],
  ])('95 %% / 90 %%, population %i → n = %i', (population, n) => {
    expect(plan(population).n).toBe(n);
  });

  it('when the plan is n, then n − 1 units would not give the stated confidence and n does', () => {
    const { n } = plan(978);
    const K = Math.ceil(0.9 * 978) - 1;
    expect(passProbability(978, K, n, 0)).toBeLessThanOrEqual(0.05);
    expect(passProbability(978, K, n - 1, 0)).toBeGreaterThan(0.05);
  });

  it('when negatives are allowed or more confidence is asked, then more units must be tested', () => {
    expect(plan(978, 1).n).toBeGreaterThan(plan(978, 0).n);
    expect(plan(978, 0, 0.99).n).toBeGreaterThan(plan(978, 0, 0.95).n);
    expect(plan(978, 0, 0.95, 0.5).n).toBeLessThan(plan(978).n);
  });

  it('when the population is tiny, then the plan never exceeds it', () => {
    expect(plan(1).n).toBe(1);
    expect(plan(3).n).toBeLessThanOrEqual(3);
  });

  it('states the plan as a report would print it', () => {
    expect(plan(978).statement).toBe(
      'A hypergeometric sampling plan (SWGDRUG SD-5) was applied: 28 of 978 units were selected at random and tested. ' +
        'If all 28 are positive, it can be stated with 95 % confidence that at least 90 % of the 978 units contain the identified substance.',
    );
    expect(plan(978, 1).statement).toMatch(/If no more than 1 of the \d+ is negative/);
  });
});

/** The plan as first written: every n in turn, ln(x!) from a table of exact sums. */
function linearPlan(N: number, c: number, p: number, k: number): number {
  const table = [0];
  for (let i = 1; i <= N; i++) table.push(table[i - 1]! + Math.log(i));
  const choose = (a: number, b: number) => (b < 0 || b > a ? -Infinity : table[a]! - table[b]! - table[a - b]!);
  const K = Math.ceil(p * N - 1e-9) - 1;
  for (let m = k + 1; m <= N; m++) {
    let pass = 0;
    for (let neg = 0; neg <= k; neg++) pass += Math.exp(choose(K, m - neg) + choose(N - K, neg) - choose(N, m));
    if (K < 0 || Math.min(1, pass) <= (1 - c) * (1 + 1e-8)) return m;
  }
  return N;
}

describe('sampling plan work is bounded', () => {
  it('when any population up to 3,000 is planned, then bisection finds the n that trying every n finds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }), fc.double({ min: 0.5, max: 0.9999, noNaN: true }), fc.double({ min: 0.5, max: 0.9999, noNaN: true }), fc.integer({ min: 0, max: 6 }),
        (N, c, p, k) => {
          expect(samplingPlan({ population: N, confidence: c, proportion: p, allowedNegatives: k }).n).toBe(linearPlan(N, c, p, k));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('when the pass probability ties the confidence exactly, then the plan meets it there (N = 2562, one negative unit, c = 0.5: 1281 of 2562)', () => {
    expect(samplingPlan({ population: 2562, confidence: 0.5, proportion: 0.9996096799379393, allowedNegatives: 0 }).n).toBe(1281);
    expect(linearPlan(2562, 0.5, 0.9996096799379393, 0)).toBe(1281);
  });

  it.each([
    [1_000_000, 0.999999, 0.999999, 50], // the tool's limits, at their worst
    [10_000_000, 0.95, 0.9, 0], // the lab report: unitCount up to 10^7
    [10_000_000, 0.999999, 0.999999, 50],
    [1_000_000, 0.5, 0.5, 50],
  ])('when N = %i, confidence %d, proportion %d and %i negatives allowed, then at most (k+1)(log2 N + 2) terms are evaluated', (N, c, p, k) => {
    const work: TWorkCounter = { terms: 0 };
    const plan = samplingPlan({ population: N, confidence: c, proportion: p, allowedNegatives: k }, work);
    expect(plan.n).toBeGreaterThan(k);
    expect(plan.n).toBeLessThanOrEqual(N);
    expect(work.terms).toBeGreaterThan(0);
    expect(work.terms).toBeLessThanOrEqual((k + 1) * (Math.ceil(Math.log2(N)) + 2));
  });
});
