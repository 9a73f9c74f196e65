import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, eventually, sampleBody, seizureBody, startHarness, type Harness } from '../support/harness.ts';

/** Reason-logged corrections of samples and seizures: history kept, audited, and what follows from them. */
let h: Harness;
let tech: Awaited<ReturnType<Harness['user']>>;
let reviewer: Awaited<ReturnType<Harness['user']>>;

beforeAll(async () => {
  h = await startHarness({ kind: 'all' });
  tech = await h.user('TECHNICIAN');
  reviewer = await h.user('TECHNICIAN');
});
afterAll(() => h?.stop());

const post = (path: string, body: object, who = tech) => h.http().post(`/api/v1${path}`).set(auth(who.token)).send(body);
const get = async (path: string, who = tech) => (await h.http().get(`/api/v1${path}`).set(auth(who.token)).expect(200)).body;

async function register(seizure: Record<string, unknown> = {}, sample: Record<string, unknown> = {}) {
  const z = (await post('/seizures', seizureBody(seizure)).expect(201)).body;
  const s = (await post('/samples', sampleBody(z.id, sample)).expect(201)).body;
  return { seizure: z, sample: s };
}

/** Strip and GC-MS positive for fentanyl: identified, with the 21 USC 841 thresholds of its net weight. */
async function identifiedFentanyl(sampleId: string) {
  await post(`/samples/${sampleId}/tests`, { technique: 'FENTANYL_TEST_STRIP', outcome: 'POSITIVE' }).expect(201);
  await post(`/samples/${sampleId}/tests`, { technique: 'GC_MS', outcome: 'POSITIVE', hits: [{ substance: 'fentanyl', score: 0.96 }], dataRef: 'gcms/c1.d', samplingId: 'S2' }).expect(201);
  return eventually(async () => {
    const s = await get(`/samples/${sampleId}`);
    return s.classification?.testCount === 2 && s;
  }, 'classification of both tests');
}
const fiveYear = (c: { thresholds: { statute: string; status: string }[] }) => c.thresholds.find((t) => t.statute === '21 USC 841(b)(1)(B)')?.status;

describe('sample corrections', () => {
  it('when a net weight is corrected with a reason, then the old and new values, who, when and why are kept, audited, in the timeline, and the threshold flags follow the new weight', async () => {
    const { sample } = await register({}, { grossWeightG: 60, netWeightG: 38, netWeightUncertaintyG: 0.3 });
    const before = await identifiedFentanyl(sample.id);
    expect(fiveYear(before.classification)).toBe('BELOW');

    const res = await post(`/samples/${sample.id}/corrections`, { changes: { netWeightG: 45 }, reason: 'scale read 38, typed 45 on the worksheet' }).expect(201);
    expect(res.body.changes).toEqual([{ field: 'netWeightG', before: 38, after: 45 }]);
    expect(res.body.sample.netWeightG).toBe(45);
    expect(res.body.reprint).toEqual([{ sampleId: sample.id, barcode: sample.barcode }]);

    const after = await eventually(async () => {
      const s = await get(`/samples/${sample.id}`);
      return s.classification?.version === before.classification.version + 1 && s;
    }, 're-classification after the weight correction');
    expect(fiveYear(after.classification)).toBe('EXCEEDS');
    expect(after.classification.testCount).toBe(2);
    expect(after.corrections).toEqual([expect.objectContaining({
      reason: 'scale read 38, typed 45 on the worksheet', correctedBy: tech.id, statusAt: 'IN_ANALYSIS', changes: [{ field: 'netWeightG', before: 38, after: 45 }],
    })]);
    expect(after.corrections[0].correctedByName).toMatch(/^TECHNICIAN /);
    const entry = after.timeline.find((t: { kind: string }) => t.kind === 'CORRECTION');
    expect(entry).toMatchObject({ status: 'IN_ANALYSIS', by: tech.id, note: 'Corrected net weight (g) 38 → 45. Reason: scale read 38, typed 45 on the worksheet' });
    expect(after.timeline.filter((t: { kind: string }) => t.kind === 'STATUS').map((t: { status: string }) => t.status)).toEqual(expect.arrayContaining(['REGISTERED', 'IN_ANALYSIS']));

    const audit = await h.sql<{ before: unknown; after: { reason: string; netWeightG: number } }>(`SELECT before, after FROM "AuditEntry" WHERE action = 'sample.correct' AND "entityId" = $1`, [sample.id]);
    expect(audit).toEqual([{ before: { netWeightG: 38 }, after: expect.objectContaining({ netWeightG: 45, reason: 'scale read 38, typed 45 on the worksheet' }) }]);
    // The history is evidence: the database refuses to change it.
    await expect(h.sql(`UPDATE "FieldCorrection" SET reason = 'changed' WHERE "entityId" = $1`, [sample.id])).rejects.toThrow(/append-only/);
    expect((await get('/audit/verify', await h.user('MANAGER'))).ok).toBe(true);
  });

  it('when the priority is corrected, then the due date moves with it and both are in the history', async () => {
    const { sample } = await register();
    expect(sample.priority).toBe('ROUTINE');
    const res = await post(`/samples/${sample.id}/corrections`, { changes: { priority: 'URGENT' }, reason: 'controlled delivery tonight' }).expect(201);
    const due = new Date(Date.parse(sample.registeredAt) + 2 * 3_600_000).toISOString();
    expect(res.body.changes).toEqual([{ field: 'priority', before: 'ROUTINE', after: 'URGENT' }, { field: 'dueAt', before: sample.dueAt, after: due }]);
    expect(res.body.sample).toMatchObject({ priority: 'URGENT', dueAt: due });
  });

  it('when the subject-in-custody flag is corrected from a sample, then the seizure keeps the history and its samples with the automatic priority become URGENT, a chosen one stays', async () => {
    const { seizure, sample } = await register();
    const second = (await post('/samples', sampleBody(seizure.id)).expect(201)).body;
    const chosen = (await post('/samples', sampleBody(seizure.id, { priority: 'PRIORITY' })).expect(201)).body;
    const res = await post(`/samples/${sample.id}/corrections`, { changes: { subjectInCustody: true }, reason: 'driver held at secondary' }).expect(201);
    expect(res.body.seizureChanges).toEqual([{ field: 'subjectInCustody', before: false, after: true }]);
    expect(res.body.changes.map((c: { field: string }) => c.field)).toEqual(['priority', 'dueAt']);
    expect(res.body.otherSamples).toEqual([expect.objectContaining({ sampleId: second.id, changes: expect.arrayContaining([{ field: 'priority', before: 'ROUTINE', after: 'URGENT' }]) })]);
    expect(res.body.reprint.map((r: { sampleId: string }) => r.sampleId).sort()).toEqual([sample.id, second.id].sort());
    expect((await get(`/samples/${chosen.id}`)).priority).toBe('PRIORITY');
    const z = await get(`/seizures/${seizure.id}`);
    expect(z.subjectInCustody).toBe(true);
    expect(z.corrections).toEqual([expect.objectContaining({ reason: 'driver held at secondary', changes: [{ field: 'subjectInCustody', before: false, after: true }] })]);
  });

  it('when a correction is refused (no reason, net above gross, nothing different, a server-owned field, a released sample, the wrong role), then nothing is written', async () => {
    const { sample } = await register();
    const count = async () => (await h.sql<{ n: number }>('SELECT count(*)::int AS n FROM "FieldCorrection"'))[0]!.n;
    const n = await count();
    const noReason = await post(`/samples/${sample.id}/corrections`, { changes: { grossWeightG: 130 } }).expect(400);
    expect(noReason.body.error.details).toEqual([expect.objectContaining({ path: 'body.reason' })]);
    const above = await post(`/samples/${sample.id}/corrections`, { changes: { netWeightG: 500 }, reason: 'typo' }).expect(400);
    expect(above.body.error.details).toEqual([{ path: 'body.changes.netWeightG', message: 'net weight (500 g) cannot exceed gross weight (120.5 g)', label: 'net weight (g)' }]);
    const same = await post(`/samples/${sample.id}/corrections`, { changes: { grossWeightG: 120.5 }, reason: 'typo' }).expect(400);
    expect(same.body.error.message).toMatch(/Nothing to correct/);
    const owned = await post(`/samples/${sample.id}/corrections`, { changes: { status: 'RELEASED' }, reason: 'typo' }).expect(400);
    expect(JSON.stringify(owned.body.error.details)).toMatch(/status/);
    await post(`/samples/${sample.id}/corrections`, { changes: { grossWeightG: 130 }, reason: 'typo' }, await h.user('INVESTIGATOR')).expect(403);
    await post(`/samples/${sample.id}/corrections`, { changes: { grossWeightG: 130 }, reason: 'typo' }, await h.user('MANAGER')).expect(403);

    const released = (await register({}, { netWeightG: 38 })).sample;
    await identifiedFentanyl(released.id);
    await post(`/samples/${released.id}/submit`, {}).expect(200);
    await post(`/samples/${released.id}/review`, { decision: 'APPROVE', password: reviewer.password }, reviewer).expect(200);
    const final = await post(`/samples/${released.id}/corrections`, { changes: { grossWeightG: 61 }, reason: 'late' }).expect(409);
    expect(final.body.error.message).toMatch(/released/);
    expect(await count()).toBe(n);
  });
});

describe('seizure corrections', () => {
  it('when a seizure\'s number and port are corrected, then its samples follow the port, their labels are to be reprinted, and a number already used is a 409', async () => {
    const { seizure, sample } = await register({ seizureNumber: `SZ-C-${Date.now()}` });
    const other = (await post('/seizures', seizureBody({ seizureNumber: `SZ-D-${Date.now()}` })).expect(201)).body;
    const number = `SZ-E-${Date.now()}`;
    const res = await post(`/seizures/${seizure.id}/corrections`, { changes: { seizureNumber: number, portCode: '2503', narrative: 'two bags under the seat' }, reason: 'port typed from the wrong form' }).expect(201);
    expect(res.body.changes).toEqual([
      { field: 'portCode', before: '2604', after: '2503' },
      { field: 'seizureNumber', before: seizure.seizureNumber, after: number },
      { field: 'narrative', before: null, after: 'two bags under the seat' },
    ]);
    expect(res.body.reprint).toEqual([{ sampleId: sample.id, barcode: sample.barcode }]);
    const s = await get(`/samples/${sample.id}`);
    expect(s).toMatchObject({ portCode: '2503', seizureNumber: number });
    expect(s.corrections).toEqual([expect.objectContaining({ reason: 'port typed from the wrong form', changes: [{ field: 'portCode', before: '2604', after: '2503' }] })]);
    const taken = await post(`/seizures/${seizure.id}/corrections`, { changes: { seizureNumber: other.seizureNumber }, reason: 'typo' }).expect(409);
    expect(taken.body.error.message).toContain(other.seizureNumber);
    const future = await post(`/seizures/${seizure.id}/corrections`, { changes: { seizedAt: new Date(Date.now() + 86_400_000).toISOString() }, reason: 'typo' }).expect(400);
    expect(future.body.error.details).toEqual([{ path: 'body.changes.seizedAt', message: 'must not be in the future', label: 'seized at' }]);
    expect((await get(`/seizures/${seizure.id}`)).corrections).toHaveLength(1);
  });
});

describe('review after a weight correction', () => {
  let api: Harness;
  beforeAll(async () => {
    // No worker: the re-classification a correction asks for stays in the outbox.
    api = await startHarness({ kind: 'api' });
  });
  afterAll(() => api?.stop());

  it('when weights are corrected while a sample awaits review, then nobody can sign until the classification covers the corrected weights', async () => {
    const [analyst, second] = [await api.user('TECHNICIAN'), await api.user('TECHNICIAN')];
    const z = (await api.http().post('/api/v1/seizures').set(auth(analyst.token)).send(seizureBody()).expect(201)).body;
    const s = (await api.http().post('/api/v1/samples').set(auth(analyst.token)).send(sampleBody(z.id)).expect(201)).body;
    await api.http().post(`/api/v1/samples/${s.id}/tests`).set(auth(analyst.token)).send({ technique: 'COLOR_TEST', outcome: 'NEGATIVE', reagent: 'Marquis' }).expect(201);
    const fixture = { sampleId: s.id, testCount: 1, category: 'NO_CONTROLLED_SUBSTANCE_IDENTIFIED', level: 'NONE', components: [], thresholds: [], warnings: [], rationale: ['fixture'], rulesVersion: 'fixture', classifiedAt: new Date() };
    await api.deps.db.classification.create({ data: { ...fixture, version: 1 } });
    await api.http().post(`/api/v1/samples/${s.id}/submit`).set(auth(analyst.token)).expect(200);
    await api.http().post(`/api/v1/samples/${s.id}/corrections`).set(auth(analyst.token)).send({ changes: { grossWeightG: 118 }, reason: 're-weighed' }).expect(201);
    expect(await api.sql(`SELECT "jobName" FROM "OutboxMessage" WHERE payload->>'sampleId' = $1 AND "jobName" = 'classify' ORDER BY "createdAt" DESC LIMIT 1`, [s.id])).toEqual([{ jobName: 'classify' }]);

    const sign = () => api.http().post(`/api/v1/samples/${s.id}/review`).set(auth(second.token)).send({ decision: 'APPROVE', password: second.password });
    const early = await sign().expect(409);
    expect(early.body.error.message).toMatch(/after a correction of the weights/);
    await api.deps.db.classification.create({ data: { ...fixture, version: 2, sampleRevision: 1 } });
    expect((await sign().expect(200)).body.status).toBe('RELEASED');
  });
});
