import { isFentanylClass } from './categories.rules.ts';

type TTestFacts = { id: string; technique: string; outcome: string; correctsTestId: string | null };

/** A positive fentanyl test strip that no later test corrected: the label's hazard mark before any classification. */
export function stripSaysFentanyl(tests: TTestFacts[]): boolean {
  const corrected = new Set(tests.map((t) => t.correctsTestId));
  return tests.some((t) => t.technique === 'FENTANYL_TEST_STRIP' && t.outcome === 'POSITIVE' && !corrected.has(t.id));
}

/**
 * Whether the sample's label carries the fentanyl hazard mark (EO 14367: handling precautions): its
 * headline category is fentanyl-class, or an uncorrected strip already said fentanyl.
 */
export const labelHazard = (category: string | null, tests: TTestFacts[]) => isFentanylClass(category) || stripSaysFentanyl(tests);
