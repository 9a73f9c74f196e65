import { z } from 'zod';
import { LINK_DECISIONS, OBSERVABLE_KINDS } from '../domain/closed-sets.ts';

const text = (max: number) => z.string().trim().min(1).max(max);

/** One observable as entered: `qualifier` is a plate's issuing state/province or a phone's country (ISO 3166 alpha-2). */
export const ZObservableInput = z.strictObject({
  kind: z.enum(OBSERVABLE_KINDS),
  value: text(300),
  qualifier: z.string().trim().regex(/^[A-Za-z]{2,3}$/, '2–3 letters (state, province or country code)').optional(),
  /** The sample the observable belongs to (a tablet's imprint), when not the whole seizure. */
  sampleId: z.uuid().optional(),
});
export type TObservableBody = z.infer<typeof ZObservableInput>;

export const ZExhibitInput = z.strictObject({
  exhibitNumber: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,31}$/, 'letters, digits and . _ / - (1–32)'),
  description: text(1000),
  unitCount: z.number().int().positive().max(10_000_000).optional(),
  netWeightKg: z.number().finite().nonnegative().max(1_000_000).optional(),
  packaging: text(300).optional(),
});
export type TExhibitBody = z.infer<typeof ZExhibitInput>;

/** What POST /seizures may carry besides the contract's fields (all optional: the contract's body still works). */
export const seizureExtensions = {
  exhibits: z.array(ZExhibitInput).max(500).optional(),
  observables: z.array(ZObservableInput.omit({ sampleId: true })).max(200).optional(),
  operationIds: z.array(z.uuid()).max(20).optional(),
};

/**
 * A decision on a pair. `otherSeizureId` as the contract says; `linkId` (from GET /related) names a pair
 * whose other seizure lies in someone else's case, whose id an investigator is not shown.
 */
export const ZLinkDecision = z
  .strictObject({
    otherSeizureId: z.uuid().optional(),
    linkId: z.uuid().optional(),
    decision: z.enum(LINK_DECISIONS),
    note: text(2000).optional(),
  })
  .refine((b) => !b.otherSeizureId !== !b.linkId, { path: ['otherSeizureId'], message: 'give otherSeizureId (or linkId), not both' });
