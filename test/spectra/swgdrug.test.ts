import { beforeAll, describe, expect, it } from 'vitest';
import { LibraryIndex } from '../../src/spectra/library-index.ts';
import { linkSubstance } from '../../src/spectra/catalogue-link.ts';
import { compositeScores, denseQuery, prepare } from '../../src/spectra/match-factor.ts';
import { toNominal } from '../../src/spectra/spectrum.ts';
import { buildSubstanceIndex } from '../../src/domain/substances.rules.ts';
import { referenceData } from '../../src/domain/reference-data.ts';
import { addNoise } from '../support/spectral-noise.ts';
import { recordNamed, swgdrugRecords } from '../support/swgdrug.ts';

let index: LibraryIndex;
const records = () => swgdrugRecords();
const catalogue = buildSubstanceIndex(referenceData().substances.substances);

beforeAll(() => {
  index = new LibraryIndex({ id: 'swgdrug', name: 'SWGDRUG', version: 1, sha256: 'test' }, records().map((r, i) => {
    const s = linkSubstance(catalogue, r);
    return { id: String(i + 1), ordinal: i + 1, name: r.name, casNo: r.casNo, inchiKey: r.inchiKey, formula: r.formula, substance: s && { id: s.id, name: s.name, category: s.category }, spectrum: toNominal(r.peaks) };
  }));
});

const searchNamed = (name: string, noise?: Parameters<typeof addNoise>[2]) => {
  const r = recordNamed(name);
  return index.search(toNominal(noise ? addNoise(r.peaks, 42, noise) : r.peaks));
};

describe('searching the SWGDRUG 3.4 library', () => {
  it('when the library is read, then it holds 2,988 spectra', () => {
    expect(records()).toHaveLength(2988);
  });

  it('when every record is searched with its own spectrum, then it comes back at rank 1 with 999', () => {
    const misses = records().flatMap((r, i) => {
      const hit = index.search(toNominal(r.peaks)).hits.find((h) => h.ordinal === i + 1);
      return hit?.rank === 1 && hit.matchFactor === 999 ? [] : [r.name];
    });
    expect(misses).toEqual([]);
  }, 180_000);

  it('when two records carry the same spectrum, then they share rank 1 rather than one hiding the other', () => {
    const hits = searchNamed('JWH-166').hits;
    expect(hits.filter((h) => h.rank === 1).map((h) => h.name).sort()).toEqual(['JWH-081 6-methoxynaphthyl isomer', 'JWH-166']);
  });

  // Measured and stated in the README ("Spectral library matching"); a regression below it fails here.
  it('when every record is searched with seeded noise (jitter, dropped small peaks, a contaminant), then top-1 recall stays at the measured 78.8 % and top-10 at 98.7 %', () => {
    let top1 = 0;
    let top10 = 0;
    records().forEach((r, i) => {
      const hit = index.search(toNominal(addNoise(r.peaks, i + 1))).hits.find((h) => h.ordinal === i + 1);
      if (hit) top10++;
      if (hit?.rank === 1) top1++;
    });
    expect(top1 / records().length).toBeGreaterThanOrEqual(0.787);
    expect(top10 / records().length).toBeGreaterThanOrEqual(0.986);
  }, 180_000);

  it.each([
    ['Fentanyl', 'fentanyl', 'FENTANYL'],
    ['4-Anilino-N-phenethylpiperidine', 'anpp', 'FENTANYL_PRECURSOR'],
    ['1-(2-Phenethyl)-4-piperidone', 'npp', 'FENTANYL_PRECURSOR'],
    ['4-Piperidone', '4-piperidone', 'FENTANYL_PRECURSOR'],
    ['Methamphetamine', 'methamphetamine', 'OTHER_CONTROLLED'],
    ['Cocaine', 'cocaine', 'OTHER_CONTROLLED'],
    ['Heroin', 'heroin', 'OTHER_CONTROLLED'],
    ['Xylazine', 'xylazine', 'NO_CONTROLLED_SUBSTANCE_IDENTIFIED'],
  ])('when a jittered %s spectrum with small peaks dropped is searched, then the best hit is that record, linked to catalogue %s', (name, substanceId, category) => {
    const result = searchNamed(name, { contaminant: false });
    expect(result.hits[0]).toMatchObject({ rank: 1, name, substance: { id: substanceId, category } });
    expect(result.hits[0]!.matchFactor).toBeGreaterThan(700);
    expect(result.hits[0]!.entropySimilarity).toBeGreaterThan(0.8);
    expect(result.isomerAmbiguous).toBe(false);
  });

  it.each(['ortho-Methyl Acetyl fentanyl', 'meta-Methyl Acetyl fentanyl', 'para-Methyl Acetyl fentanyl'])(
    'when %s (a positional isomer of methyl acetyl fentanyl) is searched, then the answer is flagged isomerAmbiguous with its isomers named',
    (name) => {
      const result = searchNamed(name);
      expect(result.hits[0]!.name).toBe(name);
      expect(result.isomerAmbiguous).toBe(true);
      expect(result.isomerCandidates).toContain(name);
      expect(result.isomerCandidates.length).toBeGreaterThan(1);
      expect(new Set(result.hits.filter((h) => result.isomerCandidates.includes(h.name)).map((h) => h.formula))).toEqual(new Set(['C22H28N2O']));
    },
  );

  it('when a record shares an abbreviation with a catalogue substance but has its own CAS number, then it is not linked to it', () => {
    expect(linkSubstance(catalogue, recordNamed('NiPP'))).toBeNull();
    expect(linkSubstance(catalogue, recordNamed('1-(2-Phenethyl)-4-piperidone'))?.id).toBe('npp');
    expect(linkSubstance(catalogue, { name: 'Some lab name', synonyms: ['N-phenethyl-4-piperidone', 'NPP'], casNo: null })?.id).toBe('npp');
    expect(linkSubstance(catalogue, { name: 'Unknown cathinone', synonyms: ['NPP'], casNo: null })).toBeNull();
  });

  it('when acetyl fentanyl itself is searched, then no isomer shares its formula closely and the flag stays off', () => {
    expect(searchNamed('Acetyl fentanyl').isomerAmbiguous).toBe(false);
  });

  it('when noisy queries are searched, then the column-wise search returns exactly the hits of scoring each record on its own', () => {
    const flat = records().map((r) => prepare(toNominal(r.peaks)));
    for (const i of [0, 17, 404, 1200, 2500, 2987]) {
      const query = toNominal(addNoise(records()[i]!.peaks, 1000 + i));
      const dense = denseQuery(prepare(query), 5000);
      const exhaustive = flat.map((p, k) => ({ k, ...compositeScores(dense, p) }))
        .sort((a, b) => b.forward - a.forward || b.reverse - a.reverse || a.k - b.k).slice(0, 10).map((x) => x.k + 1);
      expect(index.search(query).hits.map((h) => h.ordinal)).toEqual(exhaustive);
    }
  });
});
