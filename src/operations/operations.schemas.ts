import { z } from 'zod';
import { JURISDICTIONS } from '../domain/closed-sets.ts';
import { ZDay, ZInstant } from '../http/input-rules.ts';

const text = (max: number) => z.string().trim().min(1).max(max);

export const ZCreateOperation = z
  .strictObject({
    name: text(120),
    startsOn: ZDay,
    endsOn: ZDay.optional(),
    /** The rule: seizures at these ports, seized on or between the dates, are tagged to the operation. */
    portCodes: z.array(z.string().regex(/^\d{4}$/, 'a 4-digit CBP port code')).min(1).max(50),
    description: text(4000),
  })
  .refine((o) => !o.endsOn || o.endsOn >= o.startsOn, { path: ['endsOn'], message: 'must not be before startsOn' });
export type TCreateOperation = z.infer<typeof ZCreateOperation>;

/** A seizure by its id, or by its number as people know it (`SZ-2604-2026-…`, or the port system's). */
export const ZTagSeizure = z
  .strictObject({ seizureId: z.uuid().optional(), seizureNumber: z.string().trim().min(1).max(64).optional() })
  .refine((b) => !b.seizureId !== !b.seizureNumber, { path: ['seizureId'], message: 'give seizureId or seizureNumber, not both' });

export const ZOperationSeizuresQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(200) });

export const ZRecordArrests = z.strictObject({
  jurisdiction: z.enum(JURISDICTIONS),
  count: z.number().int().min(1).max(10_000),
  at: ZInstant,
  note: text(2000).optional(),
});

export const ZSummaryQuery = z.strictObject({
  asOf: ZInstant.or(ZDay).optional(),
  format: z.enum(['json', 'csv', 'pdf']).optional(),
});
