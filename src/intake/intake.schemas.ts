import { z } from 'zod';
import { ZInstant } from '../http/input-rules.ts';
import { CONVEYANCES, FORMS, PRIORITIES, SAMPLE_STATUSES } from '../domain/closed-sets.ts';
import { seizureExtensions } from '../intelligence/intel.schemas.ts';

const text = (max: number) => z.string().trim().min(1).max(max);
const grams = z.number().finite().nonnegative().max(10_000_000);

export const ZCreateSeizure = z.strictObject({
  portCode: z.string().regex(/^\d{4}$/, 'a 4-digit CBP port code'),
  seizedAt: ZInstant,
  seizureNumber: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{2,63}$/, 'letters, digits and . _ / - (3–64)').optional(),
  conveyance: z.enum(CONVEYANCES).optional(),
  subjectInCustody: z.boolean(),
  controlledDeliveryPending: z.boolean().optional(),
  narrative: text(4000).optional(),
  ...seizureExtensions,
});
export type TCreateSeizure = z.infer<typeof ZCreateSeizure>;

export const ZCreateSample = z
  .strictObject({
    seizureId: z.uuid(),
    form: z.enum(FORMS),
    description: text(1000),
    grossWeightG: grams.positive(),
    netWeightG: grams.optional(),
    netWeightUncertaintyG: grams.optional(),
    unitCount: z.number().int().positive().max(10_000_000).optional(),
    markings: text(500).optional(),
    color: text(100).optional(),
    sealNumber: text(64),
    priority: z.enum(PRIORITIES).optional(),
    /** The seizure's exhibit this sample represents. */
    exhibitId: z.uuid().optional(),
  })
  .refine((s) => s.netWeightG === undefined || s.netWeightG <= s.grossWeightG, {
    path: ['netWeightG'],
    message: 'net weight cannot exceed gross weight',
  })
  .refine((s) => s.netWeightUncertaintyG === undefined || s.netWeightG !== undefined, {
    path: ['netWeightUncertaintyG'],
    message: 'an uncertainty needs the net weight it belongs to',
  });
export type TCreateSample = z.infer<typeof ZCreateSample>;

export const ZSampleListQuery = z.object({
  status: z.enum(SAMPLE_STATUSES).optional(),
  portCode: z.string().regex(/^\d{4}$/).optional(),
  priority: z.enum(PRIORITIES).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  /** Only samples not yet released: the bench worklist. */
  open: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});
