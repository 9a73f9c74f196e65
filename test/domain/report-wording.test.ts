import { describe, expect, it } from 'vitest';
import { conclusionOf } from '../../src/documents/report.ts';

const comp = (substance: string, level: string, category: string) => ({ substance, level, category });

describe('report conclusion wording (SWGDRUG)', () => {
  it.each([
    [{ category: 'FENTANYL', components: [comp('fentanyl', 'IDENTIFIED', 'FENTANYL')] }, 'Item 1 contains fentanyl.'],
    [{ category: 'FENTANYL', components: [comp('fentanyl', 'IDENTIFIED', 'FENTANYL'), comp('xylazine', 'IDENTIFIED', 'NO_CONTROLLED_SUBSTANCE_IDENTIFIED')] }, 'Item 1 contains fentanyl and xylazine.'],
    [{ category: 'NO_CONTROLLED_SUBSTANCE_IDENTIFIED', components: [comp('mannitol', 'IDENTIFIED', 'NO_CONTROLLED_SUBSTANCE_IDENTIFIED')] }, 'No controlled substances identified. Identified: mannitol.'],
    [{ category: 'NO_CONTROLLED_SUBSTANCE_IDENTIFIED', components: [] }, 'No controlled substances identified.'],
    [{ category: 'OTHER_CONTROLLED', components: [comp('cocaine', 'IDENTIFIED', 'OTHER_CONTROLLED'), comp('heroin', 'PRESUMPTIVE', 'OTHER_CONTROLLED')] }, 'Item 1 contains cocaine. Presumptive indication, not confirmed: heroin.'],
    [{ category: 'INCONCLUSIVE', components: [] }, 'Item 1: the results are inconclusive.'],
  ])('%j → %s', (c, text) => expect(conclusionOf(1, c)).toBe(text));
});
