import { z } from 'zod';
import { CATEGORIES, LEVELS, TECHNIQUE_CODES } from '../domain/closed-sets.ts';

/**
 * The JSON columns of a stored classification, parsed on read instead of cast: a row that does not
 * hold what the code expects fails loudly where it is read, not three calls later. Loose objects, so
 * fields added by a later engine version pass through.
 */
export const ZComponent = z.looseObject({
  substance: z.string(),
  substanceId: z.string(),
  category: z.enum(CATEGORIES),
  schedule: z.string(),
  level: z.enum(LEVELS),
  techniques: z.array(z.enum(TECHNIQUE_CODES)),
  samplings: z.array(z.string()).optional(),
  hazard: z.boolean().optional(),
});

export const ZThreshold = z.looseObject({
  substanceClass: z.string(),
  substance: z.string(),
  statute: z.string(),
  limitG: z.number(),
  status: z.enum(['EXCEEDS', 'STRADDLES', 'BELOW']),
  weightG: z.number(),
  uncertaintyG: z.number(),
  basis: z.enum(['NET', 'GROSS']),
});

export const ZWarning = z.looseObject({ code: z.string(), message: z.string() });

export const ZClassificationJson = z.object({
  components: z.array(ZComponent),
  thresholds: z.array(ZThreshold),
  warnings: z.array(ZWarning),
  rationale: z.array(z.string()),
});
export type TClassificationJson = z.infer<typeof ZClassificationJson>;

/** Library hits recorded with a test (Test.hits). */
export const ZHits = z.array(z.object({ substance: z.string(), score: z.number() })).nullable();

/**
 * What a computed library search stored with its test (Test.spectralSearch): the library and
 * algorithm it ran with and the tied positional isomers, when the best hits could not tell them apart.
 */
export const ZSpectralSearch = z
  .looseObject({
    library: z.looseObject({ name: z.string(), version: z.number() }),
    algorithm: z.looseObject({ name: z.string() }),
    isomerAmbiguous: z.boolean(),
    isomerCandidates: z.array(z.string()).nullable().optional(),
  })
  .nullable();
