import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, eventually, sampleBody, seizureBody, startHarness, type Harness, type TBackend } from '../support/harness.ts';

type TUser = Awaited<ReturnType<Harness['user']>>;

/** An operation's tally end to end: tagging, released results, arrests, kg and lb, CSV and PDF. */
describe.each<TBackend>(['postgres', 'redis'])('operations on the %s queue backend', (backend) => {
  let h: Harness;
  let tech: TUser;
  let reviewer: TUser;
  let manager: TUser;
  let agent: TUser;
  beforeAll(async () => {
    h = await startHarness({ kind: 'all', backend });
    [tech, reviewer, manager, agent] = await Promise.all([h.user('TECHNICIAN'), h.user('TECHNICIAN', 'reviewer-password-1'), h.user('MANAGER'), h.user('INVESTIGATOR')]);
    await h.http().put('/api/v1/ports/2604/duty').set(auth(manager.token)).send({ investigatorId: agent.id }).expect(200);
  });
  afterAll(() => h?.stop());

  const api = () => h.http();
  /** Two Category A positives, submitted and approved by a second scientist: the sample is released. */
  async function release(sampleId: string, substance: string) {
    await api().post(`/api/v1/samples/${sampleId}/tests`).set(auth(tech.token)).send({ technique: 'GC_MS', outcome: 'POSITIVE', substance, dataRef: 'gcms/x' }).expect(201);
    await api().post(`/api/v1/samples/${sampleId}/tests`).set(auth(tech.token)).send({ technique: 'FTIR', outcome: 'POSITIVE', substance, dataRef: 'ftir/x' }).expect(201);
    await eventually(async () => (await api().get(`/api/v1/samples/${sampleId}`).set(auth(tech.token))).body.classification?.testCount === 2, 'classified');
    await api().post(`/api/v1/samples/${sampleId}/submit`).set(auth(tech.token)).expect(200);
    await api().post(`/api/v1/samples/${sampleId}/review`).set(auth(reviewer.token)).send({ decision: 'APPROVE', password: 'reviewer-password-1' }).expect(200);
    return eventually(async () => {
      const s = (await api().get(`/api/v1/samples/${sampleId}`).set(auth(tech.token))).body;
      return s.status === 'ROUTED' && s;
    }, 'routed');
  }

  it('when an operation\'s seizures are released and arrests recorded, then its summary gives kg and lb by category, arrests by jurisdiction, pending analysis and the sentence — as of any date', async () => {
    const name = `Blue Lotus ${backend}`;
    const before = new Date(Date.now() - 3_600_000);
    // Registered before the operation exists: its rule (port and dates) takes it when the operation is opened.
    const early = (await api().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody({ seizedAt: before.toISOString(), exhibits: [{ exhibitNumber: '1', description: 'bricks in a spare tyre', netWeightKg: 406, unitCount: 12 }, { exhibitNumber: '2', description: 'loose powder', netWeightKg: 2.5 }] }))).body;
    const created = await api().post('/api/v1/operations').set(auth(manager.token)).send({ name, startsOn: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10), portCodes: ['2604'], description: 'surge at Nogales' });
    expect(created.status).toBe(201);
    expect(created.body.seizures).toBe(1);
    const opId = created.body.id as string;
    // Registered after: tagged by the rule at registration. At another port: tagged by hand.
    const later = (await api().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody({ exhibits: [{ exhibitNumber: 'A', description: 'crystal in a fuel tank', netWeightKg: 100 }] }))).body;
    expect(later.operations).toEqual([{ id: opId, name, taggedBy: 'RULE' }]);
    const elsewhere = (await api().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody({ portCode: '2504', exhibits: [{ exhibitNumber: '1', description: 'bricks', netWeightKg: 10 }] }))).body;
    expect(elsewhere.operations).toEqual([]);
    await api().post(`/api/v1/operations/${opId}/seizures`).set(auth(manager.token)).send({ seizureId: elsewhere.id }).expect(200);

    const sample = async (s: { id: string; exhibits: { id: string }[] }, i = 0) => (await api().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(s.id, { exhibitId: s.exhibits[i]!.id }))).body;
    const releasedAt = new Date();
    const fent = await release((await sample(early)).id, 'fentanyl');
    await release((await sample(later)).id, 'methamphetamine');
    await release((await sample(elsewhere)).id, 'cocaine');
    await sample(early, 1); // exhibit 2: registered, not released → pending analysis

    const caseId = fent.caseId as string;
    const arrest = (body: Record<string, unknown>, token = agent.token) => api().post(`/api/v1/cases/${caseId}/arrests`).set(auth(token)).send(body);
    expect((await arrest({ jurisdiction: 'FEDERAL', count: 16, at: new Date().toISOString() })).status).toBe(201);
    expect((await arrest({ jurisdiction: 'STATE', count: 2, at: new Date().toISOString() }, manager.token)).status).toBe(201);
    expect((await arrest({ jurisdiction: 'COUNTY', count: 1, at: new Date().toISOString() })).status).toBe(400);
    const stranger = await h.user('INVESTIGATOR');
    expect((await arrest({ jurisdiction: 'FEDERAL', count: 1, at: new Date().toISOString() }, stranger.token)).status).toBe(404);

    const summary = (await api().get(`/api/v1/operations/${opId}/summary`).set(auth(manager.token))).body;
    expect(summary).toMatchObject({
      seizures: 3,
      arrests: { total: 18, byJurisdiction: [{ jurisdiction: 'FEDERAL', count: 16 }, { jurisdiction: 'STATE', count: 2 }, { jurisdiction: 'TRIBAL', count: 0 }, { jurisdiction: 'LOCAL', count: 0 }] },
      byCategory: [
        { category: 'FENTANYL', exhibits: 1, netWeightKg: 406, netWeightLb: 895.077 },
        { category: 'OTHER_CONTROLLED', exhibits: 2, netWeightKg: 110, netWeightLb: 242.508 },
      ],
      bySubstance: [
        { substance: 'fentanyl', exhibits: 1, netWeightKg: 406, netWeightLb: 895.077 },
        { substance: 'methamphetamine', exhibits: 1, netWeightKg: 100, netWeightLb: 220.462 },
        { substance: 'cocaine', exhibits: 1, netWeightKg: 10, netWeightLb: 22.046 },
      ],
      pendingAnalysis: { exhibits: 1, netWeightKg: 2.5, netWeightLb: 5.512 },
      ports: [{ portCode: '2504', seizures: 1 }, { portCode: '2604', seizures: 2 }],
    });
    expect(summary.sentence).toMatch(new RegExp(`^Since its launch on \\d+ \\w+ \\d{4}, Operation ${name} has led to 3 seizures, 16 federal arrests and 2 state arrests, and the seizure of 895 pounds of fentanyl, 220 pounds of methamphetamine and 22 pounds of cocaine\\. A further 5\\.5 pounds is awaiting laboratory analysis\\.$`));

    // Before the releases, everything was pending and no arrest had been made.
    const earlier = (await api().get(`/api/v1/operations/${opId}/summary?asOf=${encodeURIComponent(new Date(releasedAt.getTime() - 1000).toISOString())}`).set(auth(manager.token))).body;
    expect(earlier).toMatchObject({ seizures: 3, arrests: { total: 0 }, byCategory: [], pendingAnalysis: { exhibits: 4, netWeightKg: 518.5 } });

    const csv = await api().get(`/api/v1/operations/${opId}/summary?format=csv`).set(auth(manager.token));
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text).toContain('category,FENTANYL,1,406,895.077');
    expect(csv.text).toContain('arrests,FEDERAL,16');
    const pdf = await api().get(`/api/v1/operations/${opId}/summary?format=pdf`).set(auth(manager.token)).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = Buffer.from(pdf.body as Buffer).toString('latin1');
    expect(text).toMatch(/^%PDF-1\.\d/);
    expect(text).toMatch(/\/Count 1\b/);

    const list = (await api().get('/api/v1/operations').set(auth(manager.token))).body.items;
    expect(list.find((o: { id: string }) => o.id === opId)).toMatchObject({ name, seizures: 3, portCodes: ['2604'] });
    const audit = await h.sql<{ action: string }>(`SELECT action FROM "AuditEntry" WHERE action IN ('operation.create', 'operation.tag', 'case.arrests') AND ("entityId" = $1 OR "entityId" IN (SELECT id::text FROM "Arrest" WHERE "caseId" = $2)) ORDER BY id`, [opId, caseId]);
    expect(audit.map((a) => a.action)).toEqual(['operation.create', 'operation.tag', 'case.arrests', 'case.arrests']);
  });
});
