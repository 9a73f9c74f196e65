import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
let token: string;
beforeAll(async () => {
  h = await startHarness({ kind: 'api', env: { SLA_URGENT_HOURS: '3', SLA_AT_RISK_FRACTION: '0.7' } });
  token = (await h.user('TECHNICIAN')).token;
});
afterAll(() => h?.stop());

describe('reference data and tools over HTTP', () => {
  it('when the catalogue is searched by abbreviation, then each row carries its control, source and date', async () => {
    const res = await h.http().get('/api/v1/substances?q=4-ANPP').set(auth(token));
    expect(res.status).toBe(200);
    expect(res.body[0]).toMatchObject({
      id: 'anpp', category: 'FENTANYL_PRECURSOR', schedule: 'SCHEDULE_II_IMMEDIATE_PRECURSOR',
      asOf: expect.stringMatching(/^\d{4}-\d\d-\d\d$/), source: expect.stringContaining('1308.12(g)'),
      catalogueVersion: expect.any(String),
    });
  });

  it('when SD-5 example figures are asked for, then the plan is 28 with the report sentence', async () => {
    const res = await h.http().get('/api/v1/tools/sampling-plan?population=978&confidence=0.95&proportion=0.9&allowedNegatives=0').set(auth(token));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ n: 28, population: 978, confidence: 0.95, proportion: 0.9, allowedNegatives: 0 });
    expect(res.body.statement).toContain('28 of 978 units');
    const asPercent = await h.http().get('/api/v1/tools/sampling-plan?population=978&confidence=95&proportion=90').set(auth(token));
    expect(asPercent.body.n).toBe(28);
  });

  it.each([
    ['population=0', 'query.population'],
    ['population=978&confidence=1', 'query.confidence'],
    ['population=abc', 'query.population'],
    ['population=978&allowedNegatives=-1', 'query.allowedNegatives'],
    ['population=978&colour=red', 'query'],
  ])('when the plan is asked with %s, then 400 names %s', async (qs, path) => {
    const res = await h.http().get(`/api/v1/tools/sampling-plan?${qs}`).set(auth(token));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { path: string }) => d.path).join(' ')).toContain(path);
  });

  it('when the closed sets and rules are asked for, then /meta lists them and the SLA in force comes from configuration', async () => {
    const res = await h.http().get('/api/v1/meta').set(auth(token));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      roles: ['TECHNICIAN', 'INVESTIGATOR', 'MANAGER', 'ADMIN'],
      statuses: ['REGISTERED', 'QUEUED', 'IN_ANALYSIS', 'AWAITING_REVIEW', 'RELEASED', 'ROUTED', 'NEEDS_ATTENTION'],
      openStatuses: ['REGISTERED', 'QUEUED', 'IN_ANALYSIS', 'AWAITING_REVIEW', 'NEEDS_ATTENTION'],
      notificationTypes: ['PRESUMPTIVE_ALERT', 'RESULT_RELEASED', 'CASE_ASSIGNED', 'THRESHOLD_EXCEEDED', 'SLA_AT_RISK', 'SLA_BREACHED', 'RELATED_SEIZURE'],
      attentionActions: ['RETRY', 'RETURN'],
      observableKinds: [
        'PILL_IMPRINT', 'PILL_COLOR', 'PILL_SHAPE', 'PILL_LOGO', 'PACKAGING_MARKING', 'VEHICLE_PLATE', 'VIN', 'CONTAINER_NUMBER', 'AIRWAY_BILL', 'TRACKING_NUMBER',
        'PHONE', 'PERSON', 'ORGANIZATION', 'ADDRESS', 'ROUTE_ORIGIN',
      ],
      linkStatuses: ['SUGGESTED', 'CONFIRMED', 'DISMISSED'],
      linkDecisions: ['CONFIRM', 'DISMISS'],
      jurisdictions: ['FEDERAL', 'STATE', 'TRIBAL', 'LOCAL'],
      importStatuses: ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED'],
      fileKinds: ['SPECTRUM', 'PHOTO', 'INSTRUMENT_REPORT', 'OTHER'],
      searchableTechniques: ['GC_MS', 'MS', 'HPMS'],
      hitsOrigins: ['ENTERED', 'COMPUTED'],
      sla: { budgetHours: { URGENT: 3, PRIORITY: 8, ROUTINE: 48 }, atRiskFraction: 0.7, backlogDays: 30 },
      matchThreshold: 0.85,
    });
    expect(res.body.techniques).toHaveLength(21);
    expect(res.body.techniques).toEqual(expect.arrayContaining([
      { code: 'FTIR', name: expect.any(String), category: 'A' }, { code: 'TLC', name: expect.any(String), category: 'B' }, { code: 'FENTANYL_TEST_STRIP', name: expect.any(String), category: 'C' },
    ]));
    expect(res.body.categories.map((c: { code: string }) => c.code)).toEqual(['FENTANYL', 'FENTANYL_RELATED_SUBSTANCE', 'FENTANYL_PRECURSOR', 'OTHER_CONTROLLED', 'NO_CONTROLLED_SUBSTANCE_IDENTIFIED', 'INCONCLUSIVE']);
    expect(res.body.categories.filter((c: { fentanylClass: boolean }) => c.fentanylClass)).toHaveLength(3);
  });

  it('when no session is presented, then the tools answer 401', async () => {
    expect((await h.http().get('/api/v1/tools/sampling-plan?population=10')).status).toBe(401);
    expect((await h.http().get('/api/v1/meta')).status).toBe(401);
  });
});
