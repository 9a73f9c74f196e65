import { entropySimilarity } from './entropy.ts';
import { flatten, SCREEN_PEAKS, type TFlatLibrary } from './flat-library.ts';
import { isomerAmbiguity } from './isomers.rules.ts';
import { denseQuery, forwardUpperBound, MATCH_FACTOR_PARAMS, prepare, scoreRange, toMatchFactor, type TScores } from './match-factor.ts';
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
 * One library version held in memory for searching. The search is exact — the same top hits as
 * scoring every record — but most records are never scored in full: each is first bounded from its
 * heaviest peaks (Cauchy–Schwarz for the rest of the dot product, a perfect ratio factor), and records
 * whose bound cannot beat the current tenth hit are skipped. `npm run bench:spectra` measures it.
 */
export class LibraryIndex {
  private readonly flat: TFlatLibrary;

  constructor(readonly library: TLibraryMeta, private readonly records: (TRecordMeta & { spectrum: TSpectrum })[]) {
    this.flat = flatten(records.map((r) => r.spectrum));
  }

  get size() {
    return this.records.length;
  }

  record(id: string) {
    return this.records.find((r) => r.id === id) ?? null;
  }

  search(query: TSpectrum, top = 10): TSearchResult {
    const f = this.flat;
    const q = denseQuery(prepare(query), f.maxMz);
    const bounds = new Float64Array(this.records.length);
    for (let r = 0; r < bounds.length; r++) {
      let dot = 0;
      let matched2 = 0;
      for (let k = r * SCREEN_PEAKS, end = k + SCREEN_PEAKS; k < end; k++) {
        const wq = q.w[f.screenMz[k]!] ?? 0;
        dot += wq * f.screenW[k]!;
        matched2 += wq * wq;
      }
      const rest = f.restNorm[r]! * Math.sqrt(Math.max(0, q.norm2 - matched2));
      bounds[r] = dot + rest === 0 ? 0 : forwardUpperBound(q, dot + rest, f.norm2[r]!, f.offset[r + 1]! - f.offset[r]!);
    }
    const order = Array.from(bounds.keys()).filter((r) => bounds[r]! > 0).sort((a, b) => bounds[b]! - bounds[a]!);
    const best: TCandidate[] = [];
    for (const r of order) {
      if (best.length === top && bounds[r]! < best[top - 1]!.forward) break;
      const c = { r, ...scoreRange(q, f.mz, f.w, f.offset[r]!, f.offset[r + 1]!, f.norm2[r]!) };
      if (c.shared === 0 || (best.length === top && !before(c, best[top - 1]!))) continue;
      let at = best.length;
      while (at > 0 && before(c, best[at - 1]!)) at--;
      best.splice(at, 0, c);
      if (best.length > top) best.pop();
    }
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
