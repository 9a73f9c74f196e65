import { describe, expect, it } from 'vitest';
import { passProbability, samplingPlan } from '../../src/domain/sampling.rules.ts';

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
