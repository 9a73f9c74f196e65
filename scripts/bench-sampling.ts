/**
 * npm run bench:sampling -- [--runs=200]
 *
 * CPU time of one sampling plan (GET /tools/sampling-plan and the lab report's plan line) at the
 * limits the API accepts: population up to 10^6 on the tool, 10^7 units on a sample, confidence and
 * proportion near 1, up to 50 allowed negatives. Prints, per case, the plan, the hypergeometric terms
 * evaluated, and the CPU time of the first call (cold) and the median and worst of the next runs.
 */
import { samplingPlan, type TWorkCounter } from '../src/domain/sampling.rules.ts';

const RUNS = Number(process.argv.find((a) => a.startsWith('--runs='))?.split('=')[1] ?? '200');

const CASES: [string, number, number, number, number][] = [
  ['tool: SD-5 default (95 % / 90 %), N = 10^6', 1_000_000, 0.95, 0.9, 0],
  ['tool: N = 10^6, 99.9999 % / 99.9999 %, 50 negatives', 1_000_000, 0.999999, 0.999999, 50],
  ['tool: N = 10^6, 99.99 % / 99 %, 50 negatives', 1_000_000, 0.9999, 0.99, 50],
  ['tool: N = 10^6, 50 % / 50 %, 50 negatives', 1_000_000, 0.5, 0.5, 50],
  ['report: unitCount = 10^7 (95 % / 90 %)', 10_000_000, 0.95, 0.9, 0],
  ['worst: N = 10^7, 99.99 % / 99 %, 50 negatives', 10_000_000, 0.9999, 0.99, 50],
];

const cpuMs = (f: () => void) => {
  const start = process.cpuUsage();
  f();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

console.log(`node ${process.version}, ${RUNS} runs per case after one cold call\n`);
console.log('case | n | terms | cold ms | p50 ms | max ms');
for (const [name, population, confidence, proportion, allowedNegatives] of CASES) {
  const input = { population, confidence, proportion, allowedNegatives };
  const work: TWorkCounter = { terms: 0 };
  let n = 0;
  const cold = cpuMs(() => (n = samplingPlan(input, work).n));
  const times = Array.from({ length: RUNS }, () => cpuMs(() => samplingPlan(input))).sort((a, b) => a - b);
  console.log(`${name} | ${n} | ${work.terms} | ${cold.toFixed(2)} | ${times[Math.floor(RUNS / 2)]!.toFixed(3)} | ${times[RUNS - 1]!.toFixed(3)}`);
}
