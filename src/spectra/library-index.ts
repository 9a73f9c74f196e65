import { entropySimilarity } from './entropy.ts';
import { flatten, type TFlatLibrary } from './flat-library.ts';
import { isomerAmbiguity } from './isomers.rules.ts';
import { composite, denseQuery, MATCH_FACTOR_PARAMS, prepare, toMatchFactor, type TDenseQuery, type TScores } from './match-factor.ts';
import type { TPeak, TSpectrum } from './spectrum.ts';

export type TRecordMeta = {
  id: string;
  ordinal: number;
  name: string;
  casNo: string | null;
  inchiKey: string | null;
  formula: string | null;
  substance: { id: string; name: string; category: string } | null;
};

export type TLibraryMeta = { id: string; name: string; version: number; sha256: string };

export type THit = TRecordMeta & { rank: number; matchFactor: number; reverseMatchFactor: number; entropySimilarity: number; sharedPeaks: number };

export type TSearchResult = {
  library: TLibraryMeta;
  algorithm: { name: string; params: Record<string, unknown> };
  queryPeaks: number;
  hits: THit[];
  isomerAmbiguous: boolean;
  isomerCandidates: string[];
};

export const SEARCH_ALGORITHM = {
  name: 'nist-composite-1994',
  params: {
    ...MATCH_FACTOR_PARAMS,
    mz: 'nominal: floor(m/z + 0.5), peaks on one nominal m/z summed',
    scale: 'min(999, round(1000 × F))',
    rankedBy: 'matchFactor, then reverseMatchFactor; equal scores share a rank',
    entropySimilarity: { method: 'Li et al., Nat. Methods 2021', weighted: true, toleranceDa: 0.05, noiseThreshold: 0.01 },
  },
} as const;

type TCandidate = TScores & { r: number };

const before = (a: TCandidate, b: TCandidate) => a.forward > b.forward || (a.forward === b.forward && (a.reverse > b.reverse || (a.reverse === b.reverse && a.r < b.r)));
const peaksOf = (s: TSpectrum): TPeak[] => Array.from(s.mz, (mz, i) => [mz, s.intensity[i]!]);

/**
 * One library version held in memory for searching. Every record is scored exactly — no prefilter can
 * drop the right answer — in one pass over the m/z columns of the query's peaks (see flat-library.ts).
 * A prefilter by top peaks or a bound was measured and dropped: on EI spectra the shared low-mass
 * peaks keep the composite's bound high, so half the records still needed a full score and the pass
 * cost more than this one (`npm run bench:spectra` compares it with scoring record by record).
 */
export class LibraryIndex {
  private readonly flat: TFlatLibrary;

  constructor(readonly library: TLibraryMeta, private readonly records: (TRecordMeta & { spectrum: TSpectrum })[]) {
    this.flat = flatten(records.map((r) => r.spectrum));
  }

  get size() {
    return this.records.length;
  }

  search(query: TSpectrum, top = 10): TSearchResult {
    const q = denseQuery(prepare(query), this.flat.maxMz);
    const best: TCandidate[] = [];
    scoreAll(this.flat, q, (r, c) => {
      if (c.shared === 0 || (best.length === top && !before({ r, ...c }, best[top - 1]!))) return;
      const candidate = { r, ...c };
      let at = best.length;
      while (at > 0 && before(candidate, best[at - 1]!)) at--;
      best.splice(at, 0, candidate);
      if (best.length > top) best.pop();
    });
    const queryPeaks = peaksOf(query);
    const hits: THit[] = [];
    best.forEach((b, k) => {
      const { spectrum, ...meta } = this.records[b.r]!;
      const [matchFactor, reverseMatchFactor] = [toMatchFactor(b.forward), toMatchFactor(b.reverse)];
      const prev = hits[k - 1];
      const tied = prev && prev.matchFactor === matchFactor && prev.reverseMatchFactor === reverseMatchFactor;
      const entropy = entropySimilarity(queryPeaks, peaksOf(spectrum), { toleranceDa: 0.05 });
      hits.push({ rank: tied ? prev.rank : k + 1, ...meta, matchFactor, reverseMatchFactor, entropySimilarity: Math.round(entropy * 1e4) / 1e4, sharedPeaks: b.shared });
    });
    return { library: this.library, algorithm: SEARCH_ALGORITHM, queryPeaks: query.mz.length, hits, ...isomerAmbiguity(hits) };
  }
}

/** The composite scores of the query against every record, walking only the query's m/z columns. */
function scoreAll(f: TFlatLibrary, q: TDenseQuery, each: (r: number, s: TScores) => void): void {
  const n = f.size;
  const dot = new Float64Array(n);
  const queryOnLibrary2 = new Float64Array(n);
  const ratioSum = new Float64Array(n);
  const prevQ = new Float64Array(n);
  const prevL = new Float64Array(n);
  const shared = new Int32Array(n);
  for (let m = 0; m <= f.maxMz; m++) {
    const wq = q.w[m]!;
    if (wq === 0) continue;
    const base = m * n;
    for (let r = 0; r < n; r++) {
      const wl = f.columns[base + r]!;
      if (wl === 0) continue;
      dot[r] = dot[r]! + wq * wl;
      queryOnLibrary2[r] = queryOnLibrary2[r]! + wq * wq;
      if (shared[r]! > 0) {
        const ratio = (wl * prevQ[r]!) / (prevL[r]! * wq);
        ratioSum[r] = ratioSum[r]! + (ratio < 1 ? ratio : 1 / ratio);
      }
      prevQ[r] = wq;
      prevL[r] = wl;
      shared[r] = shared[r]! + 1;
    }
  }
  for (let r = 0; r < n; r++) {
    if (shared[r]! > 0) each(r, composite(q, { dot: dot[r]!, queryOnLibrary2: queryOnLibrary2[r]!, ratioSum: ratioSum[r]!, shared: shared[r]! }, f.norm2[r]!));
  }
}
