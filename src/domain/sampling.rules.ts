/**
 * Hypergeometric sampling plan (SWGDRUG SD-5; ENFSI/UNODC "Guidelines on representative drug
 * sampling"): the smallest number n of units to test out of a population of N so that, when at most
 * `allowedNegatives` of the n are negative, one can state with confidence `confidence` that at least
 * a proportion `proportion` of the N units are positive.
 *
 * The worst population that would make the claim false holds K = ceil(p·N) − 1 positives. The plan
 * is the smallest n for which such a population would pass the test (≥ n − k positives drawn) with
 * probability at most 1 − c. Computed exactly in log space; never interpolated from a table.
 */
export type TSamplingPlanInput = { population: number; confidence: number; proportion: number; allowedNegatives: number };
export type TSamplingPlan = { n: number; population: number; confidence: number; proportion: number; allowedNegatives: number; statement: string };

export const MAX_POPULATION = 1_000_000;

const logFactorials: number[] = [0];
function logFact(x: number): number {
  for (let i = logFactorials.length; i <= x; i++) logFactorials.push(logFactorials[i - 1]! + Math.log(i));
  return logFactorials[x]!;
}
const logChoose = (a: number, b: number) => (b < 0 || b > a ? -Infinity : logFact(a) - logFact(b) - logFact(a - b));

/** P(X ≥ n − k) for X ~ Hypergeometric(N, K, n): drawing at most k negatives from a population with K positives. */
export function passProbability(N: number, K: number, n: number, k: number): number {
  const denom = logChoose(N, n);
  let p = 0;
  for (let neg = 0; neg <= k; neg++) p += Math.exp(logChoose(K, n - neg) + logChoose(N - K, neg) - denom);
  return Math.min(1, p);
}

export function samplingPlan(input: TSamplingPlanInput): TSamplingPlan {
  const { population: N, confidence: c, proportion: p, allowedNegatives: k } = input;
  const K = Math.ceil(p * N - 1e-9) - 1; // the largest positive count that falls short of p
  let n = N; // testing every unit always settles it
  for (let m = k + 1; m <= N; m++) {
    if (K < 0 || passProbability(N, K, m, k) <= 1 - c + 1e-12) {
      n = m;
      break;
    }
  }
  return { n, population: N, confidence: c, proportion: p, allowedNegatives: k, statement: samplingStatement(n, N, c, p, k) };
}

const pct = (x: number) => `${Number((x * 100).toFixed(2))} %`;

export function samplingStatement(n: number, N: number, c: number, p: number, k: number): string {
  const condition = k === 0 ? `all ${n} are positive` : `no more than ${k} of the ${n} ${k === 1 ? 'is' : 'are'} negative`;
  return (
    `A hypergeometric sampling plan (SWGDRUG SD-5) was applied: ${n} of ${N} units were selected at random and tested. ` +
    `If ${condition}, it can be stated with ${pct(c)} confidence that at least ${pct(p)} of the ${N} units contain the identified substance.`
  );
}
