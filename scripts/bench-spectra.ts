/**
 * npm run bench:spectra -- [--library=PATH] [--queries=N]
 *
 * Library search latency over a whole library (default: the SWGDRUG 3.4 copy in ../shared/spectra):
 * every record, with the seeded noise of the recall test, is searched through the in-memory index the
 * API uses; prints build time, p50/p95/p99 per query, the same for scoring record by record (and
 * whether both give the same top 10), and top-1 / top-10 recall per kind of noise.
 * Wall-clock figures include waiting for a CPU on a shared machine (the load average is printed);
 * CPU time per query is the search's own cost.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { LibraryIndex, type TRecordMeta } from '../src/spectra/library-index.ts';
import { compositeScores, denseQuery, prepare } from '../src/spectra/match-factor.ts';
import { parseMsp } from '../src/spectra/msp.parser.ts';
import { toNominal, type TSpectrum } from '../src/spectra/spectrum.ts';
import { addNoise } from '../test/support/spectral-noise.ts';
import { option } from './args.ts';
import { nearestRank } from './bench-support.ts';

const file = option('library', path.resolve(import.meta.dirname, '../../shared/spectra/swgdrug-3.4.msp'));
const ms = (x: number) => `${x.toFixed(2)} ms`;

const records = parseMsp(readFileSync(file, 'utf8'));
const queries = Math.min(records.length, Number(option('queries', String(records.length))));
const spectra = records.map((r) => toNominal(r.peaks));
let t = performance.now();
const meta: (TRecordMeta & { spectrum: TSpectrum })[] = records.map((r, i) => ({ id: String(i), ordinal: i + 1, name: r.name, casNo: r.casNo, inchiKey: r.inchiKey, formula: r.formula, substance: null, spectrum: spectra[i]! }));
const index = new LibraryIndex({ id: 'bench', name: path.basename(file), version: 1, sha256: '' }, meta);
console.log(`library ${path.basename(file)}: ${records.length} spectra, index built in ${ms(performance.now() - t)}`);

const prepared = spectra.map(prepare);
const maxMz = Math.max(...spectra.map((s) => s.mz[s.mz.length - 1]!));
function exhaustive(q: TSpectrum) {
  const dense = denseQuery(prepare(q), maxMz);
  return prepared.map((p, k) => ({ k, ...compositeScores(dense, p) })).sort((a, b) => b.forward - a.forward || b.reverse - a.reverse || a.k - b.k).slice(0, 10).map((x) => x.k + 1);
}

for (let i = 0; i < 50; i++) index.search(toNominal(addNoise(records[i]!.peaks, i + 1)));
const fast: number[] = [];
const fastCpu: number[] = [];
const full: number[] = [];
const load = loadavg()[0]!;
let differ = 0;
for (let i = 0; i < queries; i++) {
  const q = toNominal(addNoise(records[i]!.peaks, i + 1));
  t = performance.now();
  const cpu = process.cpuUsage();
  const hits = index.search(q).hits.map((h) => h.ordinal);
  const used = process.cpuUsage(cpu);
  fast.push(performance.now() - t);
  fastCpu.push((used.user + used.system) / 1000);
  t = performance.now();
  const all = exhaustive(q);
  full.push(performance.now() - t);
  if (hits.join() !== all.join()) differ++;
}
console.log(`search (column-wise, top 10 with entropy similarity): p50 ${ms(nearestRank(fast, 50))}  p95 ${ms(nearestRank(fast, 95))}  p99 ${ms(nearestRank(fast, 99))}  max ${ms(Math.max(...fast))}  (${queries} noisy queries)`);
console.log(`  the same, CPU time per query:                    p50 ${ms(nearestRank(fastCpu, 50))}  p95 ${ms(nearestRank(fastCpu, 95))}  p99 ${ms(nearestRank(fastCpu, 99))}  (load average ${load.toFixed(1)} on ${availableParallelism()} cores)`);
console.log(`scoring record by record instead:                 p50 ${ms(nearestRank(full, 50))}  p95 ${ms(nearestRank(full, 95))}  p99 ${ms(nearestRank(full, 99))}`);
console.log(`top 10 identical both ways: ${queries - differ} of ${queries}`);

for (const [label, parts] of [
  ['jitter only', { drop: false, contaminant: false }],
  ['dropped small peaks only', { jitter: false, contaminant: false }],
  ['contaminant only', { jitter: false, drop: false }],
  ['all three', {}],
] as const) {
  let top1 = 0;
  let top10 = 0;
  for (let i = 0; i < queries; i++) {
    const hit = index.search(toNominal(addNoise(records[i]!.peaks, i + 1, parts))).hits.find((h) => h.ordinal === i + 1);
    if (hit) top10++;
    if (hit?.rank === 1) top1++;
  }
  console.log(`recall with ${label}: top-1 ${((100 * top1) / queries).toFixed(1)} %, top-10 ${((100 * top10) / queries).toFixed(1)} %`);
}
