import { z } from 'zod';
import { ZInstant } from '../http/input-rules.ts';
import { SEARCHABLE_TECHNIQUES, TECHNIQUE_CODES, TEST_OUTCOMES } from '../domain/closed-sets.ts';

const text = (max: number) => z.string().trim().min(1).max(max);

export const ZRecordTest = z
  .strictObject({
    technique: z.enum(TECHNIQUE_CODES),
    outcome: z.enum(TEST_OUTCOMES),
    substance: text(200).optional(),
    hits: z.array(z.strictObject({ substance: text(200), score: z.number().min(0).max(1) })).min(1).max(50).optional(),
    /** A SPECTRUM attached to this sample: the service searches it and stores the hits it computes. */
    fileId: z.uuid().optional(),
    samplingId: z.string().trim().regex(/^[A-Za-z0-9_-]{1,20}$/).default('S1'),
    reagent: text(100).optional(),
    observedColor: text(100).optional(),
    dataRef: text(500).optional(),
    instrument: text(200).optional(),
    performedAt: ZInstant.optional(),
    /** A correction replaces an earlier test of the same sample; the earlier one stays on record. */
    correctsTestId: z.uuid().optional(),
    correctionReason: text(1000).optional(),
    /** Purity (mass %) from a quantitative test; feeds the chemical profile of related-seizure scoring. */
    purityPct: z.number().finite().gt(0).max(100).optional(),
  })
  .refine((t) => !t.correctsTestId === !t.correctionReason, {
    path: ['correctionReason'],
    message: 'a correction names the test it corrects (correctsTestId) and says why (correctionReason)',
  })
  .refine((t) => t.outcome !== 'POSITIVE' || t.technique === 'FENTANYL_TEST_STRIP' || t.substance || t.hits || t.fileId, {
    path: ['substance'],
    message: 'a POSITIVE result names the substance it indicates (substance, hits, or fileId of a spectrum to search)',
  })
  .refine((t) => !t.fileId || (!t.hits && !t.substance), {
    path: ['fileId'],
    message: 'with fileId the service computes the hits: give neither hits nor substance',
  })
  .refine((t) => !t.fileId || (SEARCHABLE_TECHNIQUES as readonly string[]).includes(t.technique), {
    path: ['technique'],
    message: `library matching covers electron-ionisation mass spectra: ${SEARCHABLE_TECHNIQUES.join(', ')}`,
  });
export type TRecordTest = z.infer<typeof ZRecordTest>;
