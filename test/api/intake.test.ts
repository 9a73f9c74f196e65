import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, sampleBody, seizureBody, startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
let tech: Awaited<ReturnType<Harness['user']>>;
let investigator: Awaited<ReturnType<Harness['user']>>;

beforeAll(async () => {
  // API process only: no relay, so what a request puts in the outbox stays there to be inspected.
  h = await startHarness({ kind: 'api' });
  tech = await h.user('TECHNICIAN');
  investigator = await h.user('INVESTIGATOR');
});
afterAll(() => h?.stop());

async function newSeizure(over: Record<string, unknown> = {}) {
  const res = await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody(over));
  expect(res.status).toBe(201);
  return res.body as { id: string; seizureNumber: string };
}

describe('registering seizures and samples', () => {
  it('when a technician registers a sample, then it is stored with barcode, derived priority and due date, a custody event, an audit entry and one triage job in the outbox', async () => {
    const seizure = await newSeizure({ subjectInCustody: true });
    const res = await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'REGISTERED', priority: 'URGENT', portCode: '2604', itemNumber: 1, classification: null, caseId: null });
    expect(res.body.barcode).toMatch(/^FOL2604\d{2}[A-Z2-9]{8}$/);
    const hours = (Date.parse(res.body.dueAt) - Date.parse(res.body.registeredAt)) / 3_600_000;
    expect(hours).toBe(2);
    expect(res.body.timeline).toEqual([expect.objectContaining({ status: 'REGISTERED', by: tech.id })]);

    const custody = await h.sql('SELECT action, "toUserId" FROM "CustodyEvent" WHERE "sampleId" = $1', [res.body.id]);
    expect(custody).toEqual([{ action: 'RECEIVED', toUserId: tech.id }]);
    const outbox = await h.sql(`SELECT "jobName" FROM "OutboxMessage" WHERE payload->>'sampleId' = $1`, [res.body.id]);
    expect(outbox).toEqual([{ jobName: 'triage' }]);
    const audit = await h.sql(`SELECT action FROM "AuditEntry" WHERE "entityId" = $1`, [res.body.id]);
    expect(audit.map((a) => a.action)).toContain('sample.register');

    const byBarcode = await h.http().get(`/api/v1/samples/by-barcode/${res.body.barcode}`).set(auth(tech.token));
    expect(byBarcode.status).toBe(200);
    expect(byBarcode.body.id).toBe(res.body.id);
    // The answer is built from the rows just written, not read back: it is the view a read gives.
    const read = await h.http().get(`/api/v1/samples/${res.body.id}`).set(auth(tech.token));
    expect(read.status).toBe(200);
    expect(res.body).toEqual(read.body);
  });

  it('when no priority is given and nobody is in custody, then the sample is ROUTINE with a 48 h budget; a given priority wins', async () => {
    const seizure = await newSeizure();
    const routine = await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id));
    expect(routine.body.priority).toBe('ROUTINE');
    expect((Date.parse(routine.body.dueAt) - Date.parse(routine.body.registeredAt)) / 3_600_000).toBe(48);
    const chosen = await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id, { priority: 'PRIORITY' }));
    expect(chosen.body).toMatchObject({ priority: 'PRIORITY', itemNumber: 2 });
  });

  it('when the body has an unknown or server-owned field, then it is a 400 naming the field and nothing is written', async () => {
    const seizure = await newSeizure();
    const before = await h.sql('SELECT count(*)::int AS n FROM "Sample"');
    const res = await h.http().post('/api/v1/samples').set(auth(tech.token)).send({ ...sampleBody(seizure.id), status: 'RELEASED', caseId: seizure.id });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(res.body.error.details)).toMatch(/status/);
    const after = await h.sql('SELECT count(*)::int AS n FROM "Sample"');
    expect(after).toEqual(before);
  });

  it('when fields are invalid, then each is listed with its path', async () => {
    const res = await h.http().post('/api/v1/samples').set(auth(tech.token)).send({ seizureId: 'nope', form: 'GAS', grossWeightG: -1, description: '', sealNumber: 'S' });
    expect(res.status).toBe(400);
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.seizureId', 'body.form', 'body.grossWeightG', 'body.description']));
  });

  it('when net weight exceeds gross weight or the seizure does not exist, then it is a 400', async () => {
    const seizure = await newSeizure();
    const heavy = await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id, { grossWeightG: 10, netWeightG: 11 }));
    expect(heavy.status).toBe(400);
    expect(heavy.body.error.details[0].path).toBe('body.netWeightG');
    const orphan = await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody('6f1c1f8e-1111-4a1a-9a1a-111111111111'));
    expect(orphan.status).toBe(400);
  });

  it('when the JSON is malformed, too large, or not JSON, then the answer is 400, 413 or 415 in the contract format', async () => {
    const bad = await h.http().post('/api/v1/seizures').set(auth(tech.token)).set('Content-Type', 'application/json').send('{"portCode":');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    const big = await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody({ narrative: 'x'.repeat(200_000) }));
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const text = await h.http().post('/api/v1/seizures').set(auth(tech.token)).set('Content-Type', 'text/plain').send('portCode=2604');
    expect(text.status).toBe(415);
    expect(text.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    for (const r of [bad, big, text]) expect(JSON.stringify(r.body)).not.toMatch(/at .*\.ts|node_modules|SELECT/);
  });

  it('when the caller has no session, the wrong role, or cannot see the record, then 401, 403 and 404', async () => {
    const seizure = await newSeizure();
    const sample = await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id));
    expect((await h.http().get(`/api/v1/samples/${sample.body.id}`)).status).toBe(401);
    expect((await h.http().get(`/api/v1/samples/${sample.body.id}`).set(auth('not-a-token'))).status).toBe(401);
    const forbidden = await h.http().post('/api/v1/seizures').set(auth(investigator.token)).send(seizureBody());
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('FORBIDDEN');
    const hidden = await h.http().get(`/api/v1/samples/${sample.body.id}`).set(auth(investigator.token));
    expect(hidden.status).toBe(404);
    expect(JSON.stringify(hidden.body)).not.toContain(sample.body.barcode);
  });
});

describe('Idempotency-Key', () => {
  it('when a request is repeated with the same key and body, then the first answer comes back and nothing new is created', async () => {
    const seizure = await newSeizure();
    const send = () => h.http().post('/api/v1/samples').set(auth(tech.token)).set('Idempotency-Key', `k-${seizure.id}`).send(sampleBody(seizure.id));
    const first = await send();
    const second = await send();
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.text).toBe(first.text);
    expect(await h.sql('SELECT count(*)::int AS n FROM "Sample" WHERE "seizureId" = $1', [seizure.id])).toEqual([{ n: 1 }]);
  });

  it('when the same key comes with a different body, then it is a 409', async () => {
    const seizure = await newSeizure();
    const key = `k2-${seizure.id}`;
    await h.http().post('/api/v1/samples').set(auth(tech.token)).set('Idempotency-Key', key).send(sampleBody(seizure.id));
    const other = await h.http().post('/api/v1/samples').set(auth(tech.token)).set('Idempotency-Key', key).send(sampleBody(seizure.id, { grossWeightG: 199 }));
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('CONFLICT');
  });

  it('when 20 requests with one key arrive at once, then one record exists and all answers are identical', async () => {
    const seizure = await newSeizure();
    const key = `k3-${seizure.id}`;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => h.http().post('/api/v1/samples').set(auth(tech.token)).set('Idempotency-Key', key).send(sampleBody(seizure.id))),
    );
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([201]));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(await h.sql('SELECT count(*)::int AS n FROM "Sample" WHERE "seizureId" = $1', [seizure.id])).toEqual([{ n: 1 }]);
    expect(await h.sql(`SELECT count(*)::int AS n FROM "OutboxMessage" WHERE payload->>'sampleId' = $1`, [answers[0]!.body.id])).toEqual([{ n: 1 }]);
  });
});

describe('Idempotency-Key scope', () => {
  it('when the same key and body are sent for another sample, then that sample gets its own test, not a replay of the first', async () => {
    const seizure = await newSeizure();
    const a = (await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id))).body;
    const b = (await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id))).body;
    const record = (id: string) => h.http().post(`/api/v1/samples/${id}/tests`).set(auth(tech.token)).set('Idempotency-Key', `t-${seizure.id}`).send({ technique: 'FTIR', outcome: 'NEGATIVE' });
    const onA = await record(a.id);
    const onB = await record(b.id);
    expect(onA.status).toBe(201);
    expect(onB.status).toBe(201);
    expect(onB.headers['idempotent-replayed']).toBeUndefined();
    expect(onB.body.id).not.toBe(onA.body.id);
    expect(await h.sql('SELECT "sampleId"::text FROM "Test" WHERE "sampleId" = ANY($1::uuid[]) ORDER BY "recordedAt"', [[a.id, b.id]])).toEqual([{ sampleId: a.id }, { sampleId: b.id }]);
    // The same sample, its id in capitals: the same request, replayed.
    const again = await record(a.id.toUpperCase());
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(onA.body.id);
  });
});

describe('worklist', () => {
  it('when samples of several priorities are queued, then the list comes priority first, then by due date, with a working cursor', async () => {
    // A port no other test here uses: the list holds this test's samples and nothing else.
    const seizure = await newSeizure({ portCode: '2309' });
    const created: { id: string; priority: string; dueAt: string }[] = [];
    for (const priority of ['ROUTINE', 'URGENT', 'PRIORITY', 'URGENT', 'ROUTINE']) {
      created.push((await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id, { priority }))).body);
    }
    const list = (cursor?: string) => h.http().get(`/api/v1/samples?status=REGISTERED&portCode=2309&limit=2${cursor ? `&cursor=${cursor}` : ''}`).set(auth(tech.token));
    const page1 = await list();
    expect(page1.status).toBe(200);
    const all = [...page1.body.items];
    let cursor = page1.body.nextCursor;
    while (cursor) {
      const next = await list(cursor);
      all.push(...next.body.items);
      cursor = next.body.nextCursor;
    }
    const rank = (p: string) => ({ URGENT: 0, PRIORITY: 1, ROUTINE: 2 })[p as 'URGENT'];
    const expected = [...created].sort((a, b) => rank(a.priority) - rank(b.priority) || a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
    expect(all.map((s) => s.id)).toEqual(expected.map((s) => s.id));
  });
});
