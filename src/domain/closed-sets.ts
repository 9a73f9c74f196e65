/**
 * The closed sets of the contract, each spelled out once. Request schemas (z.enum), rules, SQL and
 * GET /api/v1/meta (which the web UI reads) all take them from here; the database's enums must hold
 * the same values (a test compares them). Order matters where it says so.
 */

export const ROLES = ['TECHNICIAN', 'INVESTIGATOR', 'MANAGER', 'ADMIN'] as const;
export type TRole = (typeof ROLES)[number];

/** In the order of the sample's journey; NEEDS_ATTENTION is off the path. */
export const SAMPLE_STATUSES = ['REGISTERED', 'QUEUED', 'IN_ANALYSIS', 'AWAITING_REVIEW', 'RELEASED', 'ROUTED', 'NEEDS_ATTENTION'] as const;
export type TSampleStatus = (typeof SAMPLE_STATUSES)[number];

/** Least urgent first (the database enum's order, which the worklist sorts by, descending). */
export const PRIORITIES = ['ROUTINE', 'PRIORITY', 'URGENT'] as const;
export type TPriority = (typeof PRIORITIES)[number];

export const FORMS = ['POWDER', 'TABLET', 'CRYSTAL', 'LIQUID', 'PLANT', 'RESIDUE', 'OTHER'] as const;
export const CONVEYANCES = ['PASSENGER_VEHICLE', 'COMMERCIAL_TRUCK', 'PEDESTRIAN', 'BUS', 'RAIL', 'AIR', 'MAIL', 'EXPRESS_CONSIGNMENT', 'OTHER'] as const;

/** Most serious first: a sample's headline is the first of these among its components. */
export const CATEGORIES = [
  'FENTANYL',
  'FENTANYL_RELATED_SUBSTANCE',
  'FENTANYL_PRECURSOR',
  'OTHER_CONTROLLED',
  'NO_CONTROLLED_SUBSTANCE_IDENTIFIED',
  'INCONCLUSIVE',
] as const;
export type TCategory = (typeof CATEGORIES)[number];

/** SWGDRUG categories A, B, C in that order (data/techniques.json says which is which). */
export const TECHNIQUE_CODES = [
  'FTIR', 'RAMAN', 'MS', 'GC_MS', 'LC_MS', 'HPMS', 'NMR', 'XRD',
  'GC', 'LC', 'TLC', 'CE', 'MICROCRYSTALLINE', 'PHARMACEUTICAL_IDENTIFIER', 'IMS',
  'COLOR_TEST', 'FENTANYL_TEST_STRIP', 'IMMUNOASSAY', 'UV', 'FLUORESCENCE', 'MELTING_POINT',
] as const;
export type TTechniqueCode = (typeof TECHNIQUE_CODES)[number];

export const TEST_OUTCOMES = ['POSITIVE', 'NEGATIVE', 'INCONCLUSIVE'] as const;
export type TOutcome = (typeof TEST_OUTCOMES)[number];

export const LEVELS = ['IDENTIFIED', 'PRESUMPTIVE', 'NONE'] as const;
export type TLevel = (typeof LEVELS)[number];

export const CUSTODY_ACTIONS = ['COLLECTED', 'SEALED', 'TRANSFERRED', 'RECEIVED', 'OPENED', 'SAMPLED', 'RESEALED', 'STORED', 'RETURNED', 'DESTROYED'] as const;
export type TCustodyAction = (typeof CUSTODY_ACTIONS)[number];

export const NOTIFICATION_TYPES = ['PRESUMPTIVE_ALERT', 'RESULT_RELEASED', 'CASE_ASSIGNED', 'THRESHOLD_EXCEEDED', 'SLA_AT_RISK', 'SLA_BREACHED'] as const;
export type TNotificationType = (typeof NOTIFICATION_TYPES)[number];

/** A manager's ways out of NEEDS_ATTENTION. */
export const ATTENTION_ACTIONS = ['RETRY', 'RETURN'] as const;
export type TAttentionAction = (typeof ATTENTION_ACTIONS)[number];
