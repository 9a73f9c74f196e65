import { z } from 'zod';
import { CONVEYANCES, FORMS, PRIORITIES } from '../domain/closed-sets.ts';
import { ZInstant } from '../http/input-rules.ts';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const grams = z.number().finite().nonnegative().max(10_000_000);
const reason = z.string().trim().min(3, 'say why the record is corrected (at least 3 characters)').max(1000);
const atLeastOne = (o: Record<string, unknown>) => Object.keys(o).length > 0;

/**
 * What a sample correction may change: its weights, count and description, its priority, and the
 * custody flags of its seizure (which the sample's automatic priority follows). `null` clears an
 * optional value. Status, tests and custody events are never corrected here: tests have their own
 * corrections, custody is corrected by a further event.
 */
export const ZSampleChanges = z
  .strictObject({
    grossWeightG: grams.positive(),
    netWeightG: grams.nullable(),
    netWeightUncertaintyG: grams.nullable(),
    unitCount: z.number().int().positive().max(10_000_000).nullable(),
    form: z.enum(FORMS),
    description: text(1000),
    markings: text(500).nullable(),
    color: text(100).nullable(),
    sealNumber: text(64),
    priority: z.enum(PRIORITIES),
    subjectInCustody: z.boolean(),
    controlledDeliveryPending: z.boolean(),
  })
  .partial()
  .refine(atLeastOne, { message: 'name at least one field to correct' });

export const ZSampleCorrection = z.strictObject({ changes: ZSampleChanges, reason });
export type TSampleCorrection = z.infer<typeof ZSampleCorrection>;
export type TSampleChanges = TSampleCorrection['changes'];

export const ZSeizureChanges = z
  .strictObject({
    portCode: z.string().regex(/^\d{4}$/, 'a 4-digit CBP port code'),
    seizedAt: ZInstant,
    seizureNumber: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{2,63}$/, 'letters, digits and . _ / - (3–64)'),
    conveyance: z.enum(CONVEYANCES).nullable(),
    subjectInCustody: z.boolean(),
    controlledDeliveryPending: z.boolean(),
    narrative: text(4000).nullable(),
  })
  .partial()
  .refine(atLeastOne, { message: 'name at least one field to correct' });

export const ZSeizureCorrection = z.strictObject({ changes: ZSeizureChanges, reason });
export type TSeizureCorrection = z.infer<typeof ZSeizureCorrection>;
export type TSeizureChanges = TSeizureCorrection['changes'];

/** One changed field as the API shows it: the value on record before, the value after. */
export type TFieldChange = { field: string; before: unknown; after: unknown };
