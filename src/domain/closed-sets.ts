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

/** Techniques whose data is an electron-ionisation mass spectrum: a test by one of them may be searched from its file. */
export const SEARCHABLE_TECHNIQUES = ['GC_MS', 'MS', 'HPMS'] as const satisfies readonly TTechniqueCode[];

/** Where a test's library hits came from: typed off an instrument's screen, or computed here from the attached spectrum. */
export const HITS_ORIGINS = ['ENTERED', 'COMPUTED'] as const;
export type THitsOrigin = (typeof HITS_ORIGINS)[number];

export const TEST_OUTCOMES = ['POSITIVE', 'NEGATIVE', 'INCONCLUSIVE'] as const;
export type TOutcome = (typeof TEST_OUTCOMES)[number];

export const LEVELS = ['IDENTIFIED', 'PRESUMPTIVE', 'NONE'] as const;
export type TLevel = (typeof LEVELS)[number];

export const CUSTODY_ACTIONS = ['COLLECTED', 'SEALED', 'TRANSFERRED', 'RECEIVED', 'OPENED', 'SAMPLED', 'RESEALED', 'STORED', 'RETURNED', 'DESTROYED'] as const;
export type TCustodyAction = (typeof CUSTODY_ACTIONS)[number];

/** RELATED_SEIZURE: deconfliction, a seizure of yours is related to one in another investigator's case. */
export const NOTIFICATION_TYPES = ['PRESUMPTIVE_ALERT', 'RESULT_RELEASED', 'CASE_ASSIGNED', 'THRESHOLD_EXCEEDED', 'SLA_AT_RISK', 'SLA_BREACHED', 'RELATED_SEIZURE'] as const;
export type TNotificationType = (typeof NOTIFICATION_TYPES)[number];
/** What a webhook can subscribe to: every notification type, and the audit log's signed checkpoints. */
export const WEBHOOK_EVENTS = [...NOTIFICATION_TYPES, 'AUDIT_CHECKPOINT'] as const;
export type TWebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** A manager's ways out of NEEDS_ATTENTION. */
export const ATTENTION_ACTIONS = ['RETRY', 'RETURN'] as const;
export type TAttentionAction = (typeof ATTENTION_ACTIONS)[number];

/** What a file attached to a sample is (the database enum FileKind). */
export const FILE_KINDS = ['SPECTRUM', 'PHOTO', 'INSTRUMENT_REPORT', 'OTHER'] as const;
export type TFileKind = (typeof FILE_KINDS)[number];

/** What officers and the lab see on a seizure (src/domain/observables.rules.ts normalises each kind). */
export const OBSERVABLE_KINDS = [
  'PILL_IMPRINT', 'PILL_COLOR', 'PILL_SHAPE', 'PILL_LOGO', 'PACKAGING_MARKING',
  'VEHICLE_PLATE', 'VIN', 'CONTAINER_NUMBER', 'AIRWAY_BILL', 'TRACKING_NUMBER',
  'PHONE', 'PERSON', 'ORGANIZATION', 'ADDRESS', 'ROUTE_ORIGIN',
] as const;
export type TObservableKind = (typeof OBSERVABLE_KINDS)[number];

/** Kinds that describe a tablet rather than identify anything: they only confirm a shared imprint is the same pill. */
export const DESCRIPTIVE_KINDS = ['PILL_COLOR', 'PILL_SHAPE'] as const satisfies readonly TObservableKind[];

/** Observables that are names: matched by trigram similarity as well as exactly. */
export const NAME_KINDS = ['PERSON', 'ORGANIZATION'] as const satisfies readonly TObservableKind[];

/** A pair of related seizures: suggested by the scoring, then confirmed or dismissed by a person. */
export const LINK_STATUSES = ['SUGGESTED', 'CONFIRMED', 'DISMISSED'] as const;
export type TLinkStatus = (typeof LINK_STATUSES)[number];
export const LINK_DECISIONS = ['CONFIRM', 'DISMISS'] as const;
export type TLinkDecision = (typeof LINK_DECISIONS)[number];

/** Arrests recorded on a case, counted by jurisdiction in an operation's tally (in this order). */
export const JURISDICTIONS = ['FEDERAL', 'STATE', 'TRIBAL', 'LOCAL'] as const;
export type TJurisdiction = (typeof JURISDICTIONS)[number];

/** A manifest import: checked and written at once (COMPLETED), or queued and written by a job. */
export const IMPORT_STATUSES = ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED'] as const;
export type TImportStatus = (typeof IMPORT_STATUSES)[number];
