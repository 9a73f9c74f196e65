import { describe, expect, it } from 'vitest';
import { classify, type TTestRecord } from '../../src/domain/identification.rules.ts';
import { loadReferenceData } from '../../src/domain/reference-data.ts';
import { buildSubstanceIndex } from '../../src/domain/substances.rules.ts';
import { thresholdStatus } from '../../src/domain/thresholds.rules.ts';

const ref = loadReferenceData();
const ctx = { ref, index: buildSubstanceIndex(ref.substances.substances), matchThreshold: 0.85 };
const powder = { form: 'POWDER', grossWeightG: 60, netWeightG: 50, netWeightUncertaintyG: 0.5 };

const pos = (technique: TTestRecord['technique'], substanceId: string | null, samplingId = 'S1', dataRef: string | null = 'ref'): TTestRecord => ({
  technique, outcome: 'POSITIVE', substanceId, samplingId, dataRef,
});
const neg = (technique: TTestRecord['technique'], samplingId = 'S1'): TTestRecord => ({ technique, outcome: 'NEGATIVE', samplingId });
const inc = (technique: TTestRecord['technique']): TTestRecord => ({ technique, outcome: 'INCONCLUSIVE', samplingId: 'S1' });

type Case = { name: string; tests: TTestRecord[]; category: string; level: string };

/** SWGDRUG IIIB.3 and the contract's headline rules, one row per branch. */
const CASES: Case[] = [
  { name: 'FTIR (A) + GC (B) identifies fentanyl', tests: [pos('FTIR', 'fentanyl'), pos('GC', 'fentanyl')], category: 'FENTANYL', level: 'IDENTIFIED' },
  { name: 'Category A alone is presumptive', tests: [pos('FTIR', 'fentanyl')], category: 'FENTANYL', level: 'PRESUMPTIVE' },
  { name: 'GC-MS counts as one technique, not two', tests: [pos('GC_MS', 'cocaine')], category: 'OTHER_CONTROLLED', level: 'PRESUMPTIVE' },
  { name: 'GC-MS + LC-MS exploit one property (mass): still presumptive', tests: [pos('GC_MS', 'heroin'), pos('LC_MS', 'heroin')], category: 'OTHER_CONTROLLED', level: 'PRESUMPTIVE' },
  { name: 'GC-MS (A) + colour test (C) identifies', tests: [pos('GC_MS', 'methamphetamine'), pos('COLOR_TEST', 'methamphetamine')], category: 'OTHER_CONTROLLED', level: 'IDENTIFIED' },
  { name: 'Raman (A) + FTIR (A) identifies', tests: [pos('RAMAN', 'carfentanil'), pos('FTIR', 'carfentanil')], category: 'FENTANYL_RELATED_SUBSTANCE', level: 'IDENTIFIED' },
  { name: 'without A: 2 B + 1 C over 2 samplings identifies', tests: [pos('GC', 'cocaine', 'S1'), pos('TLC', 'cocaine', 'S2'), pos('COLOR_TEST', 'cocaine', 'S1')], category: 'OTHER_CONTROLLED', level: 'IDENTIFIED' },
  { name: 'without A: 2 B + 1 C over one sampling is presumptive', tests: [pos('GC', 'cocaine'), pos('TLC', 'cocaine'), pos('COLOR_TEST', 'cocaine')], category: 'OTHER_CONTROLLED', level: 'PRESUMPTIVE' },
  { name: 'without A: 1 B + 2 C over 2 samplings is presumptive', tests: [pos('GC', 'cocaine', 'S1'), pos('COLOR_TEST', 'cocaine', 'S2'), pos('UV', 'cocaine', 'S2')], category: 'OTHER_CONTROLLED', level: 'PRESUMPTIVE' },
  { name: 'a strip positive indicates fentanyl', tests: [pos('FENTANYL_TEST_STRIP', null)], category: 'FENTANYL', level: 'PRESUMPTIVE' },
  { name: 'negatives never identify', tests: [neg('FTIR'), neg('GC'), neg('COLOR_TEST')], category: 'NO_CONTROLLED_SUBSTANCE_IDENTIFIED', level: 'NONE' },
  { name: 'inconclusive only', tests: [inc('RAMAN')], category: 'INCONCLUSIVE', level: 'NONE' },
  { name: 'negative and inconclusive', tests: [neg('GC'), inc('FTIR')], category: 'INCONCLUSIVE', level: 'NONE' },
  { name: 'only non-controlled identified', tests: [pos('FTIR', 'lidocaine'), pos('GC', 'lidocaine')], category: 'NO_CONTROLLED_SUBSTANCE_IDENTIFIED', level: 'IDENTIFIED' },
  { name: 'mixture: the most serious component sets the headline', tests: [pos('FTIR', 'xylazine'), pos('GC', 'xylazine'), pos('FENTANYL_TEST_STRIP', null)], category: 'FENTANYL', level: 'PRESUMPTIVE' },
  { name: 'precursor outranks other controlled', tests: [pos('FTIR', 'methamphetamine'), pos('GC', 'methamphetamine'), pos('RAMAN', 'npp')], category: 'FENTANYL_PRECURSOR', level: 'PRESUMPTIVE' },
  { name: 'fentanyl-related outranks precursor', tests: [pos('FTIR', 'anpp'), pos('GC', 'anpp'), pos('FTIR', 'acetyl-fentanyl')], category: 'FENTANYL_RELATED_SUBSTANCE', level: 'PRESUMPTIVE' },
  { name: 'two components identified: fentanyl with xylazine', tests: [pos('FTIR', 'fentanyl'), pos('GC', 'fentanyl'), pos('FTIR', 'xylazine'), pos('GC_MS', 'xylazine')], category: 'FENTANYL', level: 'IDENTIFIED' },
  { name: 'a negative strip does not undo an instrumental identification', tests: [neg('FENTANYL_TEST_STRIP'), pos('RAMAN', 'acetyl-fentanyl'), pos('GC', 'acetyl-fentanyl')], category: 'FENTANYL_RELATED_SUBSTANCE', level: 'IDENTIFIED' },
  { name: 'precursor identified by a library hit given as CAS number', tests: [{ technique: 'FTIR', outcome: 'POSITIVE', hits: [{ substance: '39742-60-4', score: 0.93 }], samplingId: 'S1', dataRef: 'ftir-1' }, pos('LC', 'npp')], category: 'FENTANYL_PRECURSOR', level: 'IDENTIFIED' },
  { name: 'a temporarily scheduled nitazene is other controlled', tests: [pos('LC_MS', 'metonitazene'), pos('LC', 'metonitazene')], category: 'OTHER_CONTROLLED', level: 'IDENTIFIED' },
  { name: 'the same technique twice is one technique', tests: [pos('GC', 'cocaine', 'S1'), pos('GC', 'cocaine', 'S2'), pos('COLOR_TEST', 'cocaine', 'S2')], category: 'OTHER_CONTROLLED', level: 'PRESUMPTIVE' },
  { name: 'negatives beside a positive do not lower it', tests: [pos('GC_MS', 'heroin'), neg('FTIR'), pos('TLC', 'heroin')], category: 'OTHER_CONTROLLED', level: 'IDENTIFIED' },
];

describe('identification engine (SWGDRUG IIIB.3)', () => {
  it.each(CASES)('$name → $category / $level', ({ tests, category, level }) => {
    const r = classify(tests, powder, ctx);
    expect({ category: r.category, level: r.level }).toEqual({ category, level });
    expect(r.rationale.length).toBeGreaterThan(0);
  });

  it('when an identified component and a presumptive one share the top category, then the rationale names the rule applied', () => {
    const r = classify([pos('FTIR', 'fentanyl'), pos('GC', 'fentanyl')], powder, ctx);
    expect(r.rationale.join('\n')).toMatch(/SWGDRUG IIIB\.3\.1: FTIR \(A\) \+ GC \(B\)/);
  });

  it('when a library hit scores below the threshold, then it counts as inconclusive with LOW_MATCH_SCORE', () => {
    const r = classify([{ technique: 'RAMAN', outcome: 'POSITIVE', hits: [{ substance: 'fentanyl', score: 0.7 }], samplingId: 'S1', dataRef: 'r' }], powder, ctx);
    expect(r.category).toBe('INCONCLUSIVE');
    expect(r.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['LOW_MATCH_SCORE', 'LOW_PURITY_NO_MATCH']));
  });

  it('when the best hit is at the threshold, then it counts, matched by synonym', () => {
    const r = classify([{ technique: 'FTIR', outcome: 'POSITIVE', hits: [{ substance: 'lignocaine', score: 0.4 }, { substance: 'Fentanyl Citrate', score: 0.85 }], samplingId: 'S1', dataRef: 'x' }], powder, ctx);
    expect(r.components[0]).toMatchObject({ substanceId: 'fentanyl', level: 'PRESUMPTIVE' });
  });

  it.each([
    ['FTS_NEGATIVE_NOT_EXCLUSIVE', [neg('FENTANYL_TEST_STRIP')]],
    ['FTS_CROSS_REACTIVITY', [pos('FENTANYL_TEST_STRIP', null), pos('FTIR', 'methamphetamine'), pos('GC', 'methamphetamine')]],
    ['SINGLE_SAMPLING', [pos('GC', 'cocaine'), pos('TLC', 'cocaine'), pos('COLOR_TEST', 'cocaine')]],
    ['LOW_PURITY_NO_MATCH', [neg('RAMAN')]],
    ['XYLAZINE_PRESENT', [pos('FTIR', 'xylazine')]],
    ['MISSING_REVIEWABLE_DATA', [pos('FTIR', 'fentanyl', 'S1', null)]],
  ] as const)('when the tests call for it, then the warning %s is raised', (code, tests) => {
    expect(classify([...tests], powder, ctx).warnings.map((w) => w.code)).toContain(code);
  });

  it('when net weight is absent, then thresholds use gross weight with GROSS_WEIGHT_USED', () => {
    const r = classify([pos('FTIR', 'fentanyl'), pos('GC', 'fentanyl')], { form: 'POWDER', grossWeightG: 45, netWeightG: null, netWeightUncertaintyG: null }, ctx);
    expect(r.warnings.map((w) => w.code)).toContain('GROSS_WEIGHT_USED');
    expect(r.thresholds).toEqual([
      expect.objectContaining({ statute: '21 USC 841(b)(1)(B)', limitG: 40, status: 'EXCEEDS', basis: 'GROSS' }),
      expect.objectContaining({ statute: '21 USC 841(b)(1)(A)', limitG: 400, status: 'BELOW', basis: 'GROSS' }),
    ]);
  });

  it('when no controlled component has a threshold class, then no thresholds and no weight warning', () => {
    const r = classify([pos('FTIR', 'lidocaine')], { ...powder, netWeightG: null }, ctx);
    expect(r.thresholds).toEqual([]);
    expect(r.warnings.map((w) => w.code)).not.toContain('GROSS_WEIGHT_USED');
  });
});

describe('thresholds: net weight ± expanded uncertainty against the limit', () => {
  it.each([
    [40.6, 0.5, 40, 'EXCEEDS'],
    [40.5, 0.5, 40, 'EXCEEDS'],
    [40.4, 0.5, 40, 'STRADDLES'],
    [39.6, 0.5, 40, 'STRADDLES'],
    [39.5, 0.5, 40, 'STRADDLES'],
    [39.4, 0.5, 40, 'BELOW'],
    [40, 0, 40, 'EXCEEDS'],
    [39.99, 0, 40, 'BELOW'],
    [28, 0.1, 28, 'STRADDLES'],
  ])('%d g ± %d g against %d g → %s', (w, u, limit, status) => {
    expect(thresholdStatus(w, u, limit)).toBe(status);
  });
});

describe('thresholds at and around every limit of every class', () => {
  const U = 0.5;
  const rows = ref.thresholds.classes.flatMap((cls) => {
    const substance = ref.substances.substances.find((x) => x.thresholdClass === cls.class)!;
    return cls.limits.flatMap((l) => [
      { cls: cls.class, substance: substance.id, statute: l.statute, limitG: l.limitG, netG: l.limitG + U, status: 'EXCEEDS' },
      { cls: cls.class, substance: substance.id, statute: l.statute, limitG: l.limitG, netG: l.limitG, status: 'STRADDLES' },
      { cls: cls.class, substance: substance.id, statute: l.statute, limitG: l.limitG, netG: l.limitG - U, status: 'STRADDLES' },
      { cls: cls.class, substance: substance.id, statute: l.statute, limitG: l.limitG, netG: l.limitG - U - 0.01, status: 'BELOW' },
    ]);
  });

  it('covers the six classes of 21 USC 841(b)(1) with both tiers', () => {
    expect(new Set(rows.map((r) => r.cls)).size).toBe(6);
    expect(new Set(rows.map((r) => r.statute))).toEqual(new Set(['21 USC 841(b)(1)(A)', '21 USC 841(b)(1)(B)']));
  });

  it.each(rows)('$substance $netG g ± 0.5 g against $statute ($limitG g) → $status', ({ substance, statute, netG, status }) => {
    const r = classify([pos('FTIR', substance), pos('GC', substance)], { form: 'POWDER', grossWeightG: netG + 5, netWeightG: netG, netWeightUncertaintyG: U }, ctx);
    expect(r.thresholds.find((t) => t.statute === statute)).toMatchObject({ status, basis: 'NET', weightG: netG, uncertaintyG: U });
  });
});

describe('library hits computed from an attached spectrum', () => {
  const computed = (substance: string, score: number, isomerCandidates: string[] | null = null): TTestRecord => ({
    technique: 'GC_MS', outcome: 'POSITIVE', hits: [{ substance, score }], isomerCandidates, samplingId: 'S1', dataRef: 'sha256:abc',
  });

  it('when the best hit is a library compound the catalogue lacks, then the test is inconclusive with UNCATALOGUED_MATCH, never silently dropped', () => {
    const r = classify([computed('Fentanyl meta tolyl analog', 0.95)], powder, ctx);
    expect(r.category).toBe('INCONCLUSIVE');
    expect(r.warnings.map((w) => w.code)).toContain('UNCATALOGUED_MATCH');
  });

  it('when the search could not tell positional isomers apart, then the match still counts and ISOMER_AMBIGUOUS names them', () => {
    const r = classify([computed('acetyl fentanyl', 0.93, ['Acetyl fentanyl', 'Acetyl fentanyl isomer'])], powder, ctx);
    expect(r).toMatchObject({ category: 'FENTANYL_RELATED_SUBSTANCE', level: 'PRESUMPTIVE' });
    expect(r.warnings.find((w) => w.code === 'ISOMER_AMBIGUOUS')?.message).toContain('Acetyl fentanyl isomer');
  });

  it('when a computed match factor over 999 is under the threshold, then LOW_MATCH_SCORE as for a typed one', () => {
    const r = classify([computed('fentanyl', 700 / 999)], powder, ctx);
    expect(r.category).toBe('INCONCLUSIVE');
    expect(r.warnings.map((w) => w.code)).toContain('LOW_MATCH_SCORE');
  });
});
