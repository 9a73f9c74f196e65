import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isValidCas } from './cas.rules.ts';
import { CATEGORIES, TECHNIQUE_CODES } from './closed-sets.ts';

/**
 * Law and standards live in versioned data files under data/ (each with version, asOf, source).
 * They are parsed and checked once at start-up: a malformed file, or a CAS number that fails its
 * check digit, stops the process rather than classify with bad reference data.
 */
export type { TCategory, TTechniqueCode } from './closed-sets.ts';

const ZProvenance = { version: z.string(), asOf: z.iso.date(), source: z.string().min(10), notes: z.string().optional() };

const ZSubstance = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string(),
  synonyms: z.array(z.string()),
  cas: z.string().refine(isValidCas, { message: 'CAS number fails its check digit' }).nullable(),
  category: z.enum(CATEGORIES).exclude(['INCONCLUSIVE']),
  control: z.enum(['SCHEDULE_I', 'SCHEDULE_II', 'SCHEDULE_II_IMMEDIATE_PRECURSOR', 'LIST_I', 'NOT_CONTROLLED']),
  deaCode: z.string().nullable(),
  thresholdClass: z.string().nullable(),
  hazard: z.boolean(),
  controlledAsDerivativeOf: z.string().optional(),
  temporaryUntil: z.iso.date().optional(),
  adulterantOfConcern: z.boolean().optional(),
  note: z.string().optional(),
  /** Each row says when it was last checked against the law and where the control comes from. */
  asOf: z.iso.date(),
  source: z.string().min(10),
});
export type TSubstance = z.infer<typeof ZSubstance>;

const ZSubstanceFile = z.object({ ...ZProvenance, substances: z.array(ZSubstance).min(1) });

const ZTechnique = z.object({
  code: z.enum(TECHNIQUE_CODES),
  name: z.string(),
  category: z.enum(['A', 'B', 'C']),
  property: z.string(),
  library: z.boolean().optional(),
  handheld: z.boolean().optional(),
  unverified: z.boolean().optional(),
});
export type TTechnique = z.infer<typeof ZTechnique>;
const ZTechniqueFile = z.object({ ...ZProvenance, techniques: z.array(ZTechnique) });

const ZThresholdFile = z.object({
  ...ZProvenance,
  classes: z.array(
    z.object({
      class: z.string(),
      label: z.string(),
      limits: z.array(z.object({ statute: z.string(), limitG: z.number().positive() })),
    }),
  ),
});
export type TThresholdClass = z.infer<typeof ZThresholdFile>['classes'][number];

const ZPortFile = z.object({
  ...ZProvenance,
  ports: z.array(z.object({ code: z.string().regex(/^\d{4}$/), name: z.string(), state: z.string().length(2), unverified: z.boolean().optional() })),
});

export type ReferenceData = {
  substances: z.infer<typeof ZSubstanceFile>;
  techniques: z.infer<typeof ZTechniqueFile>;
  thresholds: z.infer<typeof ZThresholdFile>;
  ports: z.infer<typeof ZPortFile>;
};

function readJson<T>(dir: string, file: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`reference data ${file} is invalid:\n${lines}`);
  }
  return parsed.data;
}

/** Cross-file checks: every technique present once, every threshold class and derivative link known. */
export function checkReferenceData(ref: ReferenceData): void {
  const codes = new Set(ref.techniques.techniques.map((t) => t.code));
  const missing = TECHNIQUE_CODES.filter((c) => !codes.has(c));
  if (missing.length || codes.size !== ref.techniques.techniques.length) throw new Error(`techniques.json: missing or repeated ${missing.join(', ')}`);
  const classes = new Set(ref.thresholds.classes.map((c) => c.class));
  const ids = new Set(ref.substances.substances.map((s) => s.id));
  if (ids.size !== ref.substances.substances.length) throw new Error('substances.json: repeated id');
  for (const s of ref.substances.substances) {
    if (s.thresholdClass && !classes.has(s.thresholdClass)) throw new Error(`substances.json: ${s.id} has unknown threshold class ${s.thresholdClass}`);
    if (s.controlledAsDerivativeOf && !ids.has(s.controlledAsDerivativeOf)) throw new Error(`substances.json: ${s.id} derives from unknown ${s.controlledAsDerivativeOf}`);
  }
}

export const DATA_DIR = path.resolve(import.meta.dirname, '../../data');

export function loadReferenceData(dir = DATA_DIR): ReferenceData {
  const ref = {
    substances: readJson(dir, 'substances.json', ZSubstanceFile),
    techniques: readJson(dir, 'techniques.json', ZTechniqueFile),
    thresholds: readJson(dir, 'thresholds.json', ZThresholdFile),
    ports: readJson(dir, 'ports.json', ZPortFile),
  };
  checkReferenceData(ref);
  return ref;
}

let cached: ReferenceData | undefined;
/** The reference data of this process, loaded on first use. */
export function referenceData(): ReferenceData {
  cached ??= loadReferenceData();
  return cached;
}
