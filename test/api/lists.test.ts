import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, sampleBody, seizureBody, startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ kind: 'api' });
});
afterAll(() => h?.stop());

describe('list conventions', () => {
  it('when a list is asked for as CSV (?format=csv or Accept: text/csv), then it downloads with one column per field', async () => {
    const tech = await h.user('TECHNICIAN');
    const seizure = (await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody())).body;
    const sample = (await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id, { description: 'powder, "quoted", with comma' }))).body;
    const csv = await h.http().get('/api/v1/samples?format=csv').set(auth(tech.token));
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="samples.csv"');
    const [header, row] = csv.text.split('\r\n');
    expect(header!.split(',')).toEqual(expect.arrayContaining(['id', 'barcode', 'status', 'priority', 'dueAt']));
    expect(row).toContain(sample.barcode);
    expect(row).toContain('"powder, ""quoted"", with comma"');
    const viaAccept = await h.http().get('/api/v1/samples').set(auth(tech.token)).set('Accept', 'text/csv');
    expect(viaAccept.text).toBe(csv.text);
    const bad = await h.http().get('/api/v1/samples?format=xml').set(auth(tech.token));
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ path: 'query.format', message: 'csv or json' }]);
  });

  it('when the worklist asks for open samples, then released and routed ones are left out', async () => {
    const tech = await h.user('TECHNICIAN');
    const seizure = (await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody())).body;
    const open = (await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id))).body;
    const done = (await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id))).body;
    await h.sql(`UPDATE "Sample" SET status = 'ROUTED' WHERE id = $1`, [done.id]);
    const ids = (await h.http().get('/api/v1/samples?open=true&limit=500').set(auth(tech.token))).body.items.map((s: { id: string }) => s.id);
    expect(ids).toContain(open.id);
    expect(ids).not.toContain(done.id);
  });

  it('when status is combined with open or overdue, then every filter narrows the list and none replaces another', async () => {
    const tech = await h.user('TECHNICIAN');
    // A port no other test here uses: the filters are checked on this test's samples only.
    const seizure = (await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody({ portCode: '2305' }))).body;
    const make = async (status: string, dueHoursFromNow: number) => {
      const s = (await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id))).body;
      await h.sql(`UPDATE "Sample" SET status = $2::"SampleStatus", "dueAt" = now() + make_interval(hours => $3) WHERE id = $1`, [s.id, status, dueHoursFromNow]);
      return s.id as string;
    };
    const lateRegistered = await make('REGISTERED', -1);
    const lateQueued = await make('QUEUED', -1);
    const waiting = await make('NEEDS_ATTENTION', 5);
    const routed = await make('ROUTED', -1);
    const list = async (qs: string) =>
      ((await h.http().get(`/api/v1/samples?portCode=2305&limit=500&${qs}`).set(auth(tech.token))).body.items as { id: string }[]).map((s) => s.id).sort();
    expect(await list('status=NEEDS_ATTENTION&open=true')).toEqual([waiting]);
    expect(await list('status=ROUTED&open=true')).toEqual([]);
    expect(await list('status=REGISTERED&overdue=true')).toEqual([lateRegistered]);
    expect(await list('overdue=true')).toEqual([lateRegistered, lateQueued].sort());
    expect(await list('open=true')).toEqual([lateRegistered, lateQueued, waiting].sort());
    expect(await list('status=ROUTED')).toEqual([routed]);
  });

  it('when notifications and cases run past one page, then the cursor walks them without overlap or gap', async () => {
    const agent = await h.user('INVESTIGATOR');
    const created = [];
    for (let i = 0; i < 5; i++) created.push((await h.deps.db.notification.create({ data: { type: 'CASE_ASSIGNED', recipientId: agent.id, title: `n${i}`, createdAt: new Date(Date.now() - i * 1000) } })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await h.http().get(`/api/v1/notifications?limit=2${cursor ? `&cursor=${cursor}` : ''}`).set(auth(agent.token));
      seen.push(...res.body.items.map((n) => n.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(created);
    for (let i = 0; i < 3; i++) await h.deps.db.case.create({ data: { caseNumber: `HSI-2604-2026-L${i}${Date.now() % 100000}`, portCode: '2604', assigneeId: agent.id, openedAt: new Date(Date.now() - i * 1000) } });
    const first = await h.http().get('/api/v1/cases?limit=2').set(auth(agent.token));
    const second = await h.http().get(`/api/v1/cases?limit=2&cursor=${first.body.nextCursor}`).set(auth(agent.token));
    expect(first.body.items).toHaveLength(2);
    expect(second.body).toMatchObject({ nextCursor: null });
    expect(second.body.items).toHaveLength(1);
    expect(new Set([...first.body.items, ...second.body.items].map((c: { id: string }) => c.id)).size).toBe(3);
    expect((await h.http().get('/api/v1/cases?cursor=garbage').set(auth(agent.token))).status).toBe(400);
  });
});
