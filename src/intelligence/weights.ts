import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DATA_DIR } from '../domain/reference-data.ts';
import { OBSERVABLE_KINDS } from '../domain/closed-sets.ts';

const ZStrength = z.enum(['STRONG', 'MEDIUM', 'WEAK', 'CONTEXT']);
const ZWeight = z.number().min(0).max(1);
const ZRule = z.strictObject({ weight: ZWeight, strength: ZStrength });

/** data/link-weights.json: the tunable weights of related-seizure scoring (versioned like the law's files). */
export const ZLinkWeights = z.strictObject({
  version: z.string(),
  asOf: z.iso.date(),
  source: z.string().min(10),
  notes: z.string().optional(),
  suggestAt: ZWeight,
  deconflictAt: ZWeight,
  rarity: z.strictObject({ fullWeightUpTo: z.number().int().min(1), overCorrelatedAt: z.number().int().min(2) }),
  // Colour and shape describe tablets and identify nothing alone: they only confirm a pill profile.
  identifiers: z.partialRecord(z.enum(OBSERVABLE_KINDS), ZRule),
  pillProfile: ZRule,
  chemicalProfile: ZRule.extend({ purityBandPct: z.number().positive(), withoutPurityFactor: ZWeight }),
  similarName: ZRule.extend({ minSimilarity: z.number().gt(0).max(1) }),
  samePort: ZRule.extend({ withinDays: z.number().int().positive() }),
}).refine((w) => w.rarity.overCorrelatedAt > w.rarity.fullWeightUpTo, { message: 'overCorrelatedAt must exceed fullWeightUpTo' });
export type TLinkWeights = z.infer<typeof ZLinkWeights>;

/** data/chemical-roles.json: which non-controlled substances are adulterants and which cutting agents. */
export const ZChemicalRoles = z.strictObject({
  version: z.string(),
  asOf: z.iso.date(),
  source: z.string().min(10),
  notes: z.string().optional(),
  roles: z.record(z.string(), z.enum(['ADULTERANT', 'CUTTING_AGENT'])),
});
export type TChemicalRoles = z.infer<typeof ZChemicalRoles>;

function read<T>(file: string, schema: z.ZodType<T>, dir: string): T {
  const parsed = schema.safeParse(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
  if (!parsed.success) throw new Error(`${file} is invalid:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  return parsed.data;
}

let cached: { weights: TLinkWeights; roles: TChemicalRoles } | undefined;
/** Loaded once per process and checked: a bad file stops the first job or request that needs it. */
export function intelligenceData(dir = DATA_DIR): { weights: TLinkWeights; roles: TChemicalRoles } {
  if (dir !== DATA_DIR) return { weights: read('link-weights.json', ZLinkWeights, dir), roles: read('chemical-roles.json', ZChemicalRoles, dir) };
  cached ??= { weights: read('link-weights.json', ZLinkWeights, dir), roles: read('chemical-roles.json', ZChemicalRoles, dir) };
  return cached;
}
