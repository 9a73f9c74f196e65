import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, eventually, sampleBody, seizureBody, startHarness, type Harness, type TBackend } from '../support/harness.ts';

type TUser = Awaited<ReturnType<Harness['user']>>;

/** Related seizures and deconfliction, through the API and real workers, on each queue backend. */
describe.each<TBackend>(['postgres', 'redis'])('related seizures on the %s queue backend', (backend) => {
  let h: Harness;
  let tech: TUser;
  let manager: TUser;
  let agentA: TUser;
  let agentB: TUser;
  beforeAll(async () => {
    // The deconfliction desk's receiver is lab-internal (a local port): allowed explicitly.
    h = await startHarness({ kind: 'all', backend, env: { WEBHOOK_ALLOW_PRIVATE: '1' } });
    [tech, manager, agentA, agentB] = await Promise.all([h.user('TECHNICIAN'), h.user('MANAGER'), h.user('INVESTIGATOR'), h.user('INVESTIGATOR')]);
  });
  afterAll(() => h?.stop());

  const api = () => h.http();
  const openCase = async (assigneeId: string, port: string) =>
    h.deps.db.case.create({ data: { caseNumber: `HSI-${port}-2026-R${randomUUID().slice(0, 6)}`, portCode: port, assigneeId } });
  const seize = async (over: Record<string, unknown>) => {
    const res = await api().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody(over));
    expect(res.status).toBe(201);
    return res.body as { id: string; seizureNumber: string; observables: { kind: string; normalized: string }[] };
  };
  const related = (id: string, token: string) => api().get(`/api/v1/seizures/${id}/related`).set(auth(token));
  const inbox = async (u: TUser) => ((await api().get('/api/v1/notifications').set(auth(u.token))).body.items as { type: string; title: string; body: Record<string, unknown>; caseId: string }[]).filter((n) => n.type === 'RELATED_SEIZURE');

  it('when two investigators\' seizures share a phone, then each is told once, naming only the other case, investigator and port', async () => {
    // A deconfliction desk's system subscribes to the event like to any other notification type.
    const admin = await h.user('ADMIN');
    const hook = await api().post('/api/v1/webhooks').set(auth(admin.token)).send({ url: 'http://127.0.0.1:9/deconfliction', events: ['RELATED_SEIZURE'], secret: 'related-secret-0123456789' });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    const caseA = await openCase(agentA.id, '2604');
    const caseB = await openCase(agentB.id, '2504');
    const s1 = await seize({ portCode: '2604', narrative: 'A-side narrative', observables: [{ kind: 'PHONE', value: '(520) 555-0142' }, { kind: 'PERSON', value: 'López García, Juan' }] });
    const s2 = await seize({ portCode: '2504', narrative: 'SECRET B-side narrative', observables: [{ kind: 'PHONE', value: '+1 520 555 0142' }, { kind: 'PERSON', value: 'Pedro Infante' }] });
    expect(s1.observables.find((o) => o.kind === 'PHONE')!.normalized).toBe('+15205550142');
    for (const [c, s] of [[caseA, s1], [caseB, s2]] as const) {
      expect((await api().post(`/api/v1/cases/${c.id}/seizures`).set(auth(manager.token)).send({ seizureId: s.id })).status).toBe(200);
    }

    const seen = await eventually(async () => {
      const r = await related(s1.id, agentA.token);
      return r.body.items?.length && r.body.items[0];
    }, 'the pair suggested');
    expect(seen).toMatchObject({ seizureId: null, seizureNumber: null, seizedAt: null, restricted: true, caseNumber: caseB.caseNumber, portCode: '2504', status: 'SUGGESTED' });
    expect(seen.investigatorName).toContain(agentB.email);
    expect(seen.score).toBeGreaterThanOrEqual(0.5);
    expect(seen.reasons.map((r: { kind: string }) => r.kind)).toEqual(['PHONE']);
    const asA = JSON.stringify((await related(s1.id, agentA.token)).body);
    for (const secret of [s2.id, s2.seizureNumber, 'SECRET', 'PEDRO', caseB.id]) expect(asA).not.toContain(secret);

    const full = (await related(s1.id, manager.token)).body.items[0];
    expect(full).toMatchObject({ seizureId: s2.id, seizureNumber: s2.seizureNumber, restricted: false });

    const [toA] = await eventually(async () => (await inbox(agentA)).length === 1 && inbox(agentA), 'A told');
    const [toB] = await eventually(async () => (await inbox(agentB)).length === 1 && inbox(agentB), 'B told');
    expect(toA!.title).toContain(caseB.caseNumber);
    expect(toA!.body).toMatchObject({ otherCaseNumber: caseB.caseNumber, otherPortCode: '2504', ownSeizureId: s1.id });
    expect(toB!.body).toMatchObject({ otherCaseNumber: caseA.caseNumber, otherPortCode: '2604', ownSeizureId: s2.id });
    expect(JSON.stringify(toA)).not.toContain(s2.id);
    expect(JSON.stringify(toB)).not.toContain(s1.id);
    expect(JSON.stringify(toB)).not.toContain(s1.seizureNumber);
    const deliveries = await h.sql<{ event: string; payload: { title: string; data: { cases: { caseNumber: string }[]; reasons: { kind: string }[] } } }>(
      'SELECT event, payload FROM "WebhookDelivery" WHERE "webhookId" = $1', [hook.body.id]);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.event).toBe('RELATED_SEIZURE');
    expect(deliveries[0]!.payload.data.cases.map((c) => c.caseNumber).sort()).toEqual([caseA.caseNumber, caseB.caseNumber].sort());
    expect(deliveries[0]!.payload.data.reasons.map((r) => r.kind)).toEqual(['PHONE']);
    for (const secret of ['SECRET', 'PEDRO', '5550142']) expect(JSON.stringify(deliveries[0]!.payload)).not.toContain(secret);

    // Rescoring again (a new observable on one side) tells nobody twice.
    expect((await api().post(`/api/v1/seizures/${s1.id}/observables`).set(auth(tech.token)).send({ kind: 'ROUTE_ORIGIN', value: 'Culiacán, Sinaloa' })).status).toBe(201);
    await eventually(async () => {
      const [r] = await h.sql<{ done: boolean }>('SELECT "relatedAt" >= "relateRequestedAt" AS done FROM "Seizure" WHERE id = $1', [s1.id]);
      return r!.done;
    }, 'second scoring');
    expect(await inbox(agentA)).toHaveLength(1);
    expect(await inbox(agentB)).toHaveLength(1);

    // Nothing of B's case through any route A can call.
    for (const path of [`/seizures/${s2.id}/related`, `/seizures/${s2.id}/observables`, `/cases/${caseB.id}`, `/cases/${caseB.id}/network`]) {
      const res = await api().get(`/api/v1${path}`).set(auth(agentA.token));
      expect(res.status, path).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('SECRET');
    }
    const links = await api().post(`/api/v1/seizures/${s2.id}/links`).set(auth(agentA.token)).send({ otherSeizureId: s1.id, decision: 'CONFIRM' });
    expect(links.status).toBe(404);
    const net = await api().get(`/api/v1/cases/${caseA.id}/network`).set(auth(agentA.token));
    expect(net.status).toBe(200);
    expect(net.body.nodes.map((n: { kind: string }) => n.kind).sort()).toEqual(['RESTRICTED_SEIZURE', 'SEIZURE']);
    expect(net.body.nodes.find((n: { kind: string }) => n.kind === 'RESTRICTED_SEIZURE').label).toContain(caseB.caseNumber);
    for (const secret of [s2.id, s2.seizureNumber, 'PEDRO']) expect(JSON.stringify(net.body)).not.toContain(secret);
    const managerNet = await api().get(`/api/v1/cases/${caseA.id}/network`).set(auth(manager.token));
    expect(managerNet.body.nodes.map((n: { id: string }) => n.id)).toEqual(expect.arrayContaining([s1.id, s2.id, 'obs:PHONE|+15205550142']));
  });

  it('when an investigator dismisses a pair, then rescoring on the same evidence keeps it dismissed, and new evidence suggests it again (audited)', async () => {
    const kase = await openCase(agentA.id, '2604');
    const s1 = await seize({ observables: [{ kind: 'TRACKING_NUMBER', value: '1z 999 aa1 0123456784' }] });
    const s2 = await seize({ observables: [{ kind: 'TRACKING_NUMBER', value: '1Z999AA10123456784' }] });
    for (const s of [s1, s2]) await api().post(`/api/v1/cases/${kase.id}/seizures`).set(auth(agentA.token)).send({ seizureId: s.id }).expect(200);
    const item = await eventually(async () => (await related(s1.id, agentA.token)).body.items?.[0], 'suggested');
    expect(item).toMatchObject({ seizureId: s2.id, restricted: false, status: 'SUGGESTED' });
    const dismissed = await api().post(`/api/v1/seizures/${s1.id}/links`).set(auth(agentA.token)).send({ otherSeizureId: s2.id, decision: 'DISMISS', note: 'shared courier account' });
    expect(dismissed.status).toBe(200);
    expect(dismissed.body.status).toBe('DISMISSED');

    await api().post(`/api/v1/seizures/${s2.id}/observables`).set(auth(tech.token)).send({ kind: 'ROUTE_ORIGIN', value: 'Tijuana' }).expect(201);
    await eventually(async () => (await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM "Seizure" WHERE id = $1 AND "relatedAt" >= "relateRequestedAt"`, [s2.id]))[0]!.n === 1, 'rescored');
    expect((await related(s1.id, agentA.token)).body.items[0].status).toBe('DISMISSED');

    await api().post(`/api/v1/seizures/${s1.id}/observables`).set(auth(tech.token)).send({ kind: 'VIN', value: '1M8GDM9AXKP042788' }).expect(201);
    await api().post(`/api/v1/seizures/${s2.id}/observables`).set(auth(tech.token)).send({ kind: 'VIN', value: '1m8gdm9axkp042788' }).expect(201);
    const back = await eventually(async () => {
      const i = (await related(s1.id, agentA.token)).body.items[0];
      return i.status === 'SUGGESTED' && i;
    }, 'suggested again on new evidence');
    expect(back.reasons.map((r: { kind: string }) => r.kind)).toEqual(expect.arrayContaining(['VIN', 'TRACKING_NUMBER']));
    const actions = (await h.sql<{ action: string }>(`SELECT action FROM "AuditEntry" WHERE "entityType" = 'SeizureLink' AND "entityId" = $1 ORDER BY id`, [item.linkId])).map((r) => r.action);
    expect(actions).toEqual(['link.dismiss', 'link.resuggest']);
  });

  it('when two samples share fentanyl + xylazine at close purity at one port, then the medium chemical reason and the port context together suggest the pair', async () => {
    const pair: { id: string }[] = [];
    for (const purity of [12, 14]) {
      const s = await seize({ portCode: '2305' });
      const sample = (await api().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(s.id))).body;
      await api().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token)).send({ technique: 'GC_MS', outcome: 'POSITIVE', substance: 'fentanyl', dataRef: 'gcms/1', purityPct: purity }).expect(201);
      await api().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token)).send({ technique: 'GC_MS', outcome: 'POSITIVE', substance: 'xylazine', dataRef: 'gcms/2' }).expect(201);
      pair.push(s);
    }
    const item = await eventually(async () => (await related(pair[0]!.id, manager.token)).body.items?.[0], 'chemically related', 30_000);
    expect(item.seizureId).toBe(pair[1]!.id);
    expect(item.reasons.map((r: { kind: string }) => r.kind)).toEqual(['CHEMICAL_PROFILE', 'SAME_PORT']);
    expect(item.reasons[0].detail).toMatch(/fentanyl \+ xylazine, purity (12 % and 14|14 % and 12) % \(within 5 points\)/);
  });

  it('when an imprint is on 100 seizures already, then a new seizure with it gets no suggestion, while a rare imprint with the same colour and shape does', async () => {
    await h.sql(`WITH s AS (
        INSERT INTO "Seizure" (id, "seizureNumber", "portCode", "seizedAt", "subjectInCustody", "createdById")
        SELECT gen_random_uuid(), 'M30-' || g, '2303', now() - interval '200 days', false, $1::uuid FROM generate_series(1, 100) g RETURNING id)
      INSERT INTO "Observable" (id, "seizureId", kind, raw, normalized, "createdById")
      SELECT gen_random_uuid(), s.id, k.kind, k.v, k.v, $1::uuid FROM s, (VALUES ('PILL_IMPRINT', 'M30'), ('PILL_COLOR', 'blue'), ('PILL_SHAPE', 'round')) k(kind, v)`, [tech.id]);
    const pill = (imprint: string) => [{ kind: 'PILL_IMPRINT', value: imprint }, { kind: 'PILL_COLOR', value: 'Blue' }, { kind: 'PILL_SHAPE', value: 'round' }];
    const common = await seize({ portCode: '2303', observables: pill('M 30') });
    const rare1 = await seize({ portCode: '2303', observables: pill('K 9') });
    const rare2 = await seize({ portCode: '2303', observables: pill('k-9') });
    const item = await eventually(async () => (await related(rare2.id, manager.token)).body.items?.[0], 'rare pill suggested');
    expect(item).toMatchObject({ seizureId: rare1.id });
    expect(item.reasons[0]).toMatchObject({ kind: 'PILL_PROFILE', weight: 0.85 });
    await eventually(async () => (await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM "Seizure" WHERE id = $1 AND "relatedAt" >= "relateRequestedAt"`, [common.id]))[0]!.n === 1, 'common scored');
    expect((await related(common.id, manager.token)).body.items).toEqual([]);
  });
});
