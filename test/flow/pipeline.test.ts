import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, eventually, sampleBody, seizureBody, startHarness, type Harness, type TBackend } from '../support/harness.ts';

/** The whole path of one sample, through real workers, on each queue backend. */
describe.each<TBackend>(['postgres', 'redis'])('pipeline on the %s queue backend', (backend) => {
  let h: Harness;
  let tech: Awaited<ReturnType<Harness['user']>>;
  let reviewer: Awaited<ReturnType<Harness['user']>>;
  let agent: Awaited<ReturnType<Harness['user']>>;

  beforeAll(async () => {
    h = await startHarness({ kind: 'all', backend });
    tech = await h.user('TECHNICIAN');
    reviewer = await h.user('TECHNICIAN', 'reviewer-password-1');
    agent = await h.user('INVESTIGATOR');
    const manager = await h.user('MANAGER');
    const duty = await h.http().put('/api/v1/ports/2604/duty').set(auth(manager.token)).send({ investigatorId: agent.id });
    expect(duty.status).toBe(200);
  });
  afterAll(() => h?.stop());

  const sampleOf = async (id: string, token = tech.token) => (await h.http().get(`/api/v1/samples/${id}`).set(auth(token))).body;

  it('when a strip-positive powder is confirmed by FTIR, reviewed and released, then it is ROUTED to a new HSI case with one alert, one release notice and every step on the timeline', async () => {
    const seizure = (await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody({ subjectInCustody: true }))).body;
    const sample = (await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id))).body;
    await eventually(async () => (await sampleOf(sample.id)).status === 'QUEUED', 'triage to QUEUED');

    const strip = await h.http().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token)).send({ technique: 'FENTANYL_TEST_STRIP', outcome: 'POSITIVE' });
    expect(strip.status).toBe(201);
    expect(strip.body).toMatchObject({ technique: 'FENTANYL_TEST_STRIP', category: 'C', outcome: 'POSITIVE' });
    const presumptive = await eventually(async () => (await sampleOf(sample.id)).classification, 'first classification');
    expect(presumptive).toMatchObject({ category: 'FENTANYL', level: 'PRESUMPTIVE', version: 1, testCount: 1 });

    const alert = await eventually(async () => {
      const res = await h.http().get('/api/v1/notifications?unread=true').set(auth(agent.token));
      return res.body.items.find((n: { type: string; sampleId: string }) => n.type === 'PRESUMPTIVE_ALERT' && n.sampleId === sample.id);
    }, 'presumptive alert for the duty investigator');
    expect(alert.title).toMatch(/PRESUMPTIVE/);

    await h.http().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token))
      .send({ technique: 'FTIR', outcome: 'POSITIVE', hits: [{ substance: 'Fentanyl HCl', score: 0.94 }], dataRef: 'ftir/2026/0001.spa', samplingId: 'S2' });
    const identified = await eventually(async () => {
      const c = (await sampleOf(sample.id)).classification;
      return c?.version === 2 && c;
    }, 'second classification');
    expect(identified).toMatchObject({ category: 'FENTANYL', level: 'IDENTIFIED', testCount: 2 });
    expect(identified.thresholds).toEqual(expect.arrayContaining([expect.objectContaining({ statute: '21 USC 841(b)(1)(B)', limitG: 40, status: 'EXCEEDS' })]));

    const submitted = await h.http().post(`/api/v1/samples/${sample.id}/submit`).set(auth(tech.token));
    expect(submitted.status).toBe(200);
    expect(submitted.body.status).toBe('AWAITING_REVIEW');

    const selfReview = await h.http().post(`/api/v1/samples/${sample.id}/review`).set(auth(tech.token)).send({ decision: 'APPROVE', password: tech.password });
    expect(selfReview.status).toBe(403);
    const badSignature = await h.http().post(`/api/v1/samples/${sample.id}/review`).set(auth(reviewer.token)).send({ decision: 'APPROVE', password: 'wrong' });
    expect(badSignature.status).toBe(401);
    expect((await sampleOf(sample.id)).status).toBe('AWAITING_REVIEW');

    const review = await h.http().post(`/api/v1/samples/${sample.id}/review`).set(auth(reviewer.token)).send({ decision: 'APPROVE', password: 'reviewer-password-1' });
    expect(review.status).toBe(200);
    expect(review.body.review).toMatchObject({ decision: 'APPROVE', reviewerId: reviewer.id, classificationVersion: 2, signatureMeaning: 'technical review — approved' });

    const routed = await eventually(async () => {
      const s = await sampleOf(sample.id);
      return s.status === 'ROUTED' && s;
    }, 'ROUTED');
    expect(routed.timeline.map((t: { status: string }) => t.status)).toEqual(['REGISTERED', 'QUEUED', 'IN_ANALYSIS', 'AWAITING_REVIEW', 'RELEASED', 'ROUTED']);
    expect(routed.caseId).toBeTruthy();

    const kase = await h.http().get(`/api/v1/cases/${routed.caseId}`).set(auth(agent.token));
    expect(kase.status).toBe(200);
    expect(kase.body.caseNumber).toMatch(new RegExp(`^HSI-2604-${new Date().getUTCFullYear()}-\\d{6}$`));
    expect(kase.body.assigneeId).toBe(agent.id);
    expect(kase.body.samples.map((s: { id: string }) => s.id)).toEqual([sample.id]);

    const inboxTypes = async () => ((await h.http().get('/api/v1/notifications').set(auth(agent.token))).body.items as { sampleId: string; type: string }[])
      .filter((n) => n.sampleId === sample.id).map((n) => n.type).sort();
    await eventually(async () => (await inboxTypes()).length === 4, 'four notifications planned');
    expect(await inboxTypes()).toEqual(['CASE_ASSIGNED', 'PRESUMPTIVE_ALERT', 'RESULT_RELEASED', 'THRESHOLD_EXCEEDED']);
    await eventually(async () => {
      const rows = await h.sql('SELECT count(*)::int AS n FROM "Notification" WHERE "sampleId" = $1 AND "deliveredAt" IS NULL', [sample.id]);
      return rows[0]!.n === 0;
    }, 'all notifications delivered');

    // The label and the lab report, as PDFs a label printer and a court file take.
    const pdf = (res: { body: Buffer }) => Buffer.from(res.body).toString('latin1');
    const binary = (req: ReturnType<ReturnType<typeof h.http>['get']>) => req.buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    const label = await binary(h.http().get(`/api/v1/samples/${sample.id}/label`).set(auth(tech.token)));
    expect(label.status).toBe(200);
    expect(label.headers['content-type']).toBe('application/pdf');
    expect(pdf(label)).toMatch(/^%PDF-1\.\d/);
    expect(pdf(label)).toMatch(/\/MediaBox \[0 0 288 144\]/);
    const report = await binary(h.http().get(`/api/v1/samples/${sample.id}/report`).set(auth(agent.token)));
    expect(report.status).toBe(200);
    expect(pdf(report)).toMatch(/^%PDF-1\.\d/);
    // A short report is one page: the "page n of m" footers must not spill onto pages of their own.
    expect(pdf(report).match(/\/Type \/Page\b/g)).toHaveLength(1);
    expect(pdf(report)).toMatch(/\/Count 1\b/);

    // The investigator now sees the sample; the audit chain holds every step.
    expect((await h.http().get(`/api/v1/samples/${sample.id}`).set(auth(agent.token))).status).toBe(200);
    const versions = await h.sql('SELECT version FROM "Classification" WHERE "sampleId" = $1 ORDER BY version', [sample.id]);
    expect(versions).toEqual([{ version: 1 }, { version: 2 }]);
    const actions = (await h.sql<{ action: string }>(`SELECT action FROM "AuditEntry" WHERE "entityId" = $1 ORDER BY id`, [sample.id])).map((r) => r.action);
    expect(actions).toEqual(['sample.register', 'sample.status.queued', 'sample.status.in_analysis', 'sample.status.awaiting_review', 'sample.status.released', 'sample.status.routed']);
  });

  it('when a sample holds no controlled substance, then release routes it without opening a case', async () => {
    const seizure = (await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody())).body;
    const sample = (await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id))).body;
    await h.http().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token)).send({ technique: 'GC_MS', outcome: 'POSITIVE', substance: 'mannitol', dataRef: 'gcms/1' });
    await h.http().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token)).send({ technique: 'FTIR', outcome: 'POSITIVE', substance: 'mannitol', dataRef: 'ftir/1' });
    await eventually(async () => (await sampleOf(sample.id)).classification?.testCount === 2, 'classification of both tests');
    expect((await sampleOf(sample.id)).classification).toMatchObject({ category: 'NO_CONTROLLED_SUBSTANCE_IDENTIFIED', level: 'IDENTIFIED' });
    await h.http().post(`/api/v1/samples/${sample.id}/submit`).set(auth(tech.token)).expect(200);
    await h.http().post(`/api/v1/samples/${sample.id}/review`).set(auth(reviewer.token)).send({ decision: 'APPROVE', password: 'reviewer-password-1' }).expect(200);
    const routed = await eventually(async () => {
      const s = await sampleOf(sample.id);
      return s.status === 'ROUTED' && s;
    }, 'ROUTED');
    expect(routed.caseId).toBeNull();
    expect((await h.http().get(`/api/v1/samples/${sample.id}/report`).set(auth(agent.token))).status).toBe(404);
    expect(await h.sql('SELECT count(*)::int AS n FROM "Notification" WHERE "sampleId" = $1', [sample.id])).toEqual([{ n: 0 }]);
  });

  it('when a review is rejected, then the sample goes back to IN_ANALYSIS and can be resubmitted', async () => {
    const seizure = (await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody())).body;
    const sample = (await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id))).body;
    await h.http().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token)).send({ technique: 'COLOR_TEST', outcome: 'POSITIVE', substance: 'methamphetamine', reagent: 'Marquis', observedColor: 'orange-brown' });
    await eventually(async () => (await sampleOf(sample.id)).classification, 'classification');
    await h.http().post(`/api/v1/samples/${sample.id}/submit`).set(auth(tech.token)).expect(200);
    const noReason = await h.http().post(`/api/v1/samples/${sample.id}/review`).set(auth(reviewer.token)).send({ decision: 'REJECT', password: 'reviewer-password-1' });
    expect(noReason.status).toBe(400);
    const rejected = await h.http().post(`/api/v1/samples/${sample.id}/review`).set(auth(reviewer.token)).send({ decision: 'REJECT', comment: 'colour test alone; run GC-MS', password: 'reviewer-password-1' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe('IN_ANALYSIS');
    expect((await h.http().get(`/api/v1/samples/${sample.id}/report`).set(auth(tech.token))).status).toBe(409);
    const again = await h.http().post(`/api/v1/samples/${sample.id}/review`).set(auth(reviewer.token)).send({ decision: 'APPROVE', password: 'reviewer-password-1' });
    expect(again.status).toBe(409);
  });

  it('when a mis-entered test is corrected with a reason, then the earlier one stays on record and the new classification uses the correction', async () => {
    const seizure = (await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody())).body;
    const sample = (await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id))).body;
    const wrong = (await h.http().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token)).send({ technique: 'GC_MS', outcome: 'POSITIVE', substance: 'heroin', dataRef: 'gcms/7' })).body;
    await eventually(async () => (await sampleOf(sample.id)).classification?.testCount === 1, 'first classification');
    const noReason = await h.http().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token)).send({ technique: 'GC_MS', outcome: 'POSITIVE', substance: 'cocaine', dataRef: 'gcms/7', correctsTestId: wrong.id });
    expect(noReason.status).toBe(400);
    const fixed = await h.http().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token))
      .send({ technique: 'GC_MS', outcome: 'POSITIVE', substance: 'cocaine', dataRef: 'gcms/7', correctsTestId: wrong.id, correctionReason: 'library hit transcribed from the wrong run' });
    expect(fixed.status).toBe(201);
    expect(fixed.body).toMatchObject({ correctsTestId: wrong.id, correctionReason: 'library hit transcribed from the wrong run' });
    const c = await eventually(async () => {
      const cl = (await sampleOf(sample.id)).classification;
      return cl?.testCount === 2 && cl;
    }, 'classification of the correction');
    expect(c.components.map((x: { substanceId: string }) => x.substanceId)).toEqual(['cocaine']);
    const tests = (await h.http().get(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token))).body.items;
    expect(tests.map((t: { substanceId: string }) => t.substanceId)).toEqual(['heroin', 'cocaine']);
    const twice = await h.http().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token))
      .send({ technique: 'GC_MS', outcome: 'NEGATIVE', correctsTestId: wrong.id, correctionReason: 'again' });
    expect(twice.status).toBe(409);
    const versions = (await h.http().get(`/api/v1/samples/${sample.id}/classifications`).set(auth(tech.token))).body.items;
    expect(versions.map((v: { version: number; components: { substanceId: string }[] }) => [v.version, v.components[0]?.substanceId])).toEqual([[1, 'heroin'], [2, 'cocaine']]);
  });
});
