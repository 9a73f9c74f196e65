import { CATEGORIES, type TCategory } from './closed-sets.ts';

/** Fentanyl, its analogues and its precursors: a presumptive result alerts HSI at once, and labels carry a hazard mark (EO 14367). */
export const FENTANYL_CLASS: readonly TCategory[] = ['FENTANYL', 'FENTANYL_RELATED_SUBSTANCE', 'FENTANYL_PRECURSOR'];

/** Lower is more serious (the order of CATEGORIES). */
export const severity = (c: TCategory) => CATEGORIES.indexOf(c);

/** Anything more serious than "nothing controlled identified": a controlled finding, which opens an HSI case. */
export const isControlled = (c: string) => severity(c as TCategory) >= 0 && severity(c as TCategory) < severity('NO_CONTROLLED_SUBSTANCE_IDENTIFIED');

export const isFentanylClass = (c: string | null | undefined) => !!c && FENTANYL_CLASS.includes(c as TCategory);
