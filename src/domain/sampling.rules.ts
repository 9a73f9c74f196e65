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

/**
 * ln(x!) without a table that grows with x: exact sums below 1024, Stirling's series above (its
 * first omitted term is under 1e-29 there, far below a double's precision). A population of 10^7
 * (the lab report's limit) used to fill an 80 MB table on first use.
 */
const SMALL = 1024;
const smallLogFact: number[] = [0];
for (let i = 1; i < SMALL; i++) smallLogFact.push(smallLogFact[i - 1]! + Math.log(i));
function logFact(x: number): number {
  if (x < SMALL) return smallLogFact[x]!;
  const inv = 1 / x;
  const inv2 = inv * inv;
  return x * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI * x) + inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)));
}
const logChoose = (a: number, b: number) => (b < 0 || b > a ? -Infinity : logFact(a) - logFact(b) - logFact(a - b));

/** Counts hypergeometric terms evaluated, for proving the work a plan takes is bounded. */
export type TWorkCounter = { terms: number };

/** P(X ≥ n − k) for X ~ Hypergeometric(N, K, n): drawing at most k negatives from a population with K positives. */
export function passProbability(N: number, K: number, n: number, k: number, work?: TWorkCounter): number {
  const denom = logChoose(N, n);
  let p = 0;
  for (let neg = 0; neg <= k; neg++) p += Math.exp(logChoose(K, n - neg) + logChoose(N - K, neg) - denom);
  if (work) work.terms += k + 1;
  return Math.min(1, p);
}

/**
 * A pass probability within this relative margin of 1 − c meets the confidence. Ties are real (N = 2562,
 * one negative unit, c = 0.5: drawing 1281 units passes with probability exactly 1/2), and ln(x!) in
 * doubles carries a relative error of about 1e-12 at N in the thousands (1e-9 at 10^7), so an exact tie
 * must not be decided by rounding. The margin changes a stated 95 % confidence by 5e-10 at most.
 */
const TIE = 1e-8;

/**
 * The smallest n is found by bisection, not by trying every n: drawing more units can only draw
 * more negatives, so the pass probability falls as n grows, and "n is enough" holds from the plan's
 * n onwards. That is at most log2(N) + 2 evaluations of k + 1 terms each, whatever N, confidence and
 * proportion (the linear search took up to N evaluations: seconds of CPU for N = 10^6 and
 * confidence and proportion near 1).
 */
export function samplingPlan(input: TSamplingPlanInput, work?: TWorkCounter): TSamplingPlan {
  const { population: N, confidence: c, proportion: p, allowedNegatives: k } = input;
  const K = Math.ceil(p * N - 1e-9) - 1; // the largest positive count that falls short of p
  const enough = (m: number) => K < 0 || passProbability(N, K, m, k, work) <= (1 - c) * (1 + TIE);
  let n = N; // testing every unit always settles it
  let lo = k + 1;
  let hi = N;
  if (lo <= hi && enough(hi)) {
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (enough(mid)) hi = mid;
      else lo = mid + 1;
    }
    n = lo;
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
