import type { TCategory, TLevel, TSampleStatus } from './closed-sets.ts';

/**
 * What people call the codes of the contract's closed sets, for every screen, rationale and report
 * that shows one (GET /meta hands them to clients). Technique names are versioned data
 * (data/techniques.json: `short` as used at the bench, `name` in full).
 */
export const STATUS_NAMES: Record<TSampleStatus, string> = {
  REGISTERED: 'registered',
  QUEUED: 'queued for analysis',
  IN_ANALYSIS: 'in analysis',
  AWAITING_REVIEW: 'awaiting review',
  RELEASED: 'released',
  ROUTED: 'sent to the case',
  NEEDS_ATTENTION: 'needs attention',
};

export const CATEGORY_NAMES: Record<TCategory, string> = {
  FENTANYL: 'fentanyl',
  FENTANYL_RELATED_SUBSTANCE: 'fentanyl-related substance',
  FENTANYL_PRECURSOR: 'fentanyl precursor',
  OTHER_CONTROLLED: 'other controlled substance',
  NO_CONTROLLED_SUBSTANCE_IDENTIFIED: 'no controlled substance identified',
  INCONCLUSIVE: 'inconclusive',
};

export const LEVEL_NAMES: Record<TLevel, string> = { IDENTIFIED: 'identified', PRESUMPTIVE: 'presumptive', NONE: 'none' };

/** Every warning code the classification rules raise (src/domain/identification.rules.ts), named for people. */
export const WARNING_NAMES = {
  LOW_MATCH_SCORE: 'library match below the threshold',
  UNCATALOGUED_MATCH: 'library match not in the substance catalogue',
  ISOMER_AMBIGUOUS: 'isomers the spectrum cannot tell apart',
  FTS_NEGATIVE_NOT_EXCLUSIVE: 'a negative strip does not rule out fentanyl analogues',
  FTS_CROSS_REACTIVITY: 'strip cross-reactivity possible',
  SINGLE_SAMPLING: 'all positives from one sampling',
  LOW_PURITY_NO_MATCH: 'no match on a possibly low-purity sample',
  XYLAZINE_PRESENT: 'xylazine present',
  MISSING_REVIEWABLE_DATA: 'no reviewable data reference',
  GROSS_WEIGHT_USED: 'thresholds use the gross weight',
} as const;
export type TWarningCode = keyof typeof WARNING_NAMES;
export const WARNING_CODES = Object.keys(WARNING_NAMES) as TWarningCode[];
