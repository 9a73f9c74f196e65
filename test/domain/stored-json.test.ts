import { describe, expect, it } from 'vitest';
import { parseClassification } from '../../src/classification/classification.repository.ts';
import { classify, type TTestRecord } from '../../src/domain/identification.rules.ts';
import { loadReferenceData } from '../../src/domain/reference-data.ts';
import { buildSubstanceIndex } from '../../src/domain/substances.rules.ts';
import { ZEventPayload } from '../../src/webhooks/webhooks.repository.ts';

const ref = loadReferenceData();
const ctx = { ref, index: buildSubstanceIndex(ref.substances.substances), matchThreshold: 0.85 };
const t = (technique: TTestRecord['technique'], substanceId: string | null, samplingId = 'S1'): TTestRecord => ({ technique, outcome: 'POSITIVE', substanceId, samplingId, dataRef: null });

/** JSON columns are parsed on read: what the engine writes must parse, and a broken row must not. */
describe('stored classification JSON', () => {
  const written = classify([t('FENTANYL_TEST_STRIP', null), t('FTIR', 'fentanyl', 'S2'), t('COLOR_TEST', 'xylazine')], { form: 'POWDER', grossWeightG: 500, netWeightG: null, netWeightUncertaintyG: null }, ctx);
  const row = { id: 'c1', version: 1, components: written.components, thresholds: written.thresholds, warnings: written.warnings, rationale: written.rationale };

  it('when the engine writes a classification with components, thresholds and warnings, then it reads back as written', () => {
    expect(written.thresholds.length).toBeGreaterThan(0);
    expect(written.warnings.length).toBeGreaterThan(0);
    const parsed = parseClassification(JSON.parse(JSON.stringify(row)));
    expect(parsed).toEqual(JSON.parse(JSON.stringify(row)));
  });

  it.each([
    ['a threshold status no rule produces', { thresholds: [{ ...written.thresholds[0], status: 'ABOVE' }] }, 'thresholds'],
    ['a component without its level', { components: [{ ...written.components[0], level: undefined }] }, 'components'],
    ['rationale that is not a list of lines', { rationale: 'see notes' }, 'rationale'],
  ])('when a stored row holds %s, then reading it fails and names %s', (_what, broken, path) => {
    expect(() => parseClassification({ ...row, ...broken })).toThrow(new RegExp(path));
  });
});

describe('stored webhook payload', () => {
  it('when a planned event is read back, then it parses; an unknown event type does not', () => {
    const payload = { event: 'PRESUMPTIVE_ALERT', occurredAt: '2026-11-28T10:00:00.000Z', sampleId: '6f1c1f8e-1111-4a1a-9a1a-111111111111', caseId: null, title: 'x', data: { level: 'PRESUMPTIVE' } };
    expect(ZEventPayload.parse(payload)).toEqual(payload);
    expect(ZEventPayload.safeParse({ ...payload, event: 'SOMETHING' }).success).toBe(false);
  });
});
