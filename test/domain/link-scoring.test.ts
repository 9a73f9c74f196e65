import { describe, expect, it } from 'vitest';
import { rarityFactor, scorePair, type TPairEvidence } from '../../src/domain/link-scoring.rules.ts';
import { intelligenceData } from '../../src/intelligence/weights.ts';

const w = intelligenceData().weights;
const none: TPairEvidence = { shared: [], similarNames: [] };

describe('related-seizure scoring (data/link-weights.json)', () => {
  it.each<[string, number, number]>([
    ['a value on 2 seizures (just the pair)', 2, 1],
    ['a value on 5 seizures', 5, 1],
    ['a value on 10 seizures', 10, Math.log(100 / 10) / Math.log(100 / 5)],
    ['a value on 99 seizures', 99, Math.log(100 / 99) / Math.log(100 / 5)],
    ['a value on 100 seizures (over-correlating, as MISP)', 100, 0],
    ['a value on 1,000 seizures ("M 30")', 1000, 0],
  ])('when %s, then its rarity factor is as the file says', (_what, n, factor) => {
    expect(rarityFactor(n, w.rarity)).toBeCloseTo(factor, 10);
  });

  it.each<[string, TPairEvidence, number, string[]]>([
    ['one shared VIN on two seizures → strong, suggested', { ...none, shared: [{ kind: 'VIN', value: '1M8GDM9AXKP042788', seizureCount: 2 }] }, 0.95, ['VIN']],
    ['one shared phone on 20 seizures → weighed down by rarity', { ...none, shared: [{ kind: 'PHONE', value: '+15205550142', seizureCount: 20 }] }, 0.9 * (Math.log(5) / Math.log(20)), ['PHONE']],
    ['a phone on 1,000 seizures → over-correlating, no link', { ...none, shared: [{ kind: 'PHONE', value: '+18005550100', seizureCount: 1000 }] }, 0, []],
    ['the same imprint, colour and shape on 3 seizures → pill profile, imprint not counted twice',
      { ...none, shared: [{ kind: 'PILL_IMPRINT', value: 'M30', seizureCount: 3 }], pill: { imprint: 'M30', color: 'blue', shape: 'round', seizureCount: 3 } }, 0.85, ['PILL_PROFILE']],
    ['"M 30" blue round on 1,000 seizures → no link', { ...none, pill: { imprint: 'M30', color: 'blue', shape: 'round', seizureCount: 1000 } }, 0, []],
    ['same chemical profile, purities 12 and 15 % → medium only', { ...none, chemical: { components: ['fentanyl', 'xylazine'], purityA: 12, purityB: 15, seizureCount: 4 } }, 0.45, ['CHEMICAL_PROFILE']],
    ['same chemical profile, purities 12 and 30 % → different batches, no reason', { ...none, chemical: { components: ['fentanyl', 'xylazine'], purityA: 12, purityB: 30, seizureCount: 4 } }, 0, []],
    ['same chemical profile, purity unknown → reduced', { ...none, chemical: { components: ['fentanyl', 'xylazine'], purityA: null, purityB: 14, seizureCount: 4 } }, 0.315, ['CHEMICAL_PROFILE']],
    ['a similar name alone (0.8) → weak, below the threshold', { ...none, similarNames: [{ kind: 'PERSON', a: 'JUAN LOPEZ', b: 'JUAN LOPES', similarity: 0.8, seizureCount: 1 }] }, 0.24, ['SIMILAR_NAME']],
    ['same port within days alone → context never links alone', { ...none, samePort: { portCode: '2604', days: 2 } }, 0, []],
    ['chemical profile + similar name + same port → they add up',
      { ...none, chemical: { components: ['fentanyl', 'xylazine'], purityA: 12, purityB: 14, seizureCount: 2 }, similarNames: [{ kind: 'PERSON', a: 'JUAN LOPEZ', b: 'JUAN LOPES', similarity: 0.8, seizureCount: 1 }], samePort: { portCode: '2604', days: 3 } },
      1 - (1 - 0.45) * (1 - 0.24) * (1 - 0.1), ['CHEMICAL_PROFILE', 'SIMILAR_NAME', 'SAME_PORT']],
    ['same port 90 days apart → not even context', { ...none, shared: [{ kind: 'ADDRESS', value: 'C 5 DE MAYO 12', seizureCount: 2 }], samePort: { portCode: '2604', days: 90 } }, 0.6, ['ADDRESS']],
  ])('when %s', (_what, evidence, score, kinds) => {
    const r = scorePair(evidence, w);
    expect(r.score).toBeCloseTo(score, 3);
    expect(r.reasons.map((x) => x.kind).sort()).toEqual([...kinds].sort());
    expect(r.score >= w.suggestAt).toBe(score >= w.suggestAt);
  });

  it('when a value is over-correlating, then it is reported, not silently dropped', () => {
    const r = scorePair({ ...none, shared: [{ kind: 'PACKAGING_MARKING', value: 'TAPEBRAND', seizureCount: 400 }] }, w);
    expect(r.overCorrelated).toEqual(['PACKAGING_MARKING packaging marking TAPEBRAND']);
  });

  it('when a reason names the other side\'s values, then each side has its own wording without them', () => {
    const r = scorePair({ ...none, similarNames: [{ kind: 'PERSON', a: 'JUAN LOPEZ', b: 'JUAN LOPES', similarity: 0.9, seizureCount: 1 }] }, w);
    expect(r.reasons[0]!.detail).toContain('JUAN LOPES');
    expect(r.reasons[0]!.sides![0]).toContain('JUAN LOPEZ');
    expect(r.reasons[0]!.sides![0]).not.toContain('JUAN LOPES');
    expect(r.reasons[0]!.sides![1]).not.toContain('JUAN LOPEZ');
  });
});
