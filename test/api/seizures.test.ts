import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, sampleBody, seizureBody, startHarness, type Harness } from '../support/harness.ts';

/** The seizure list (search by number, port, day) and the seizure with its samples. */
let h: Harness;
let tech: Awaited<ReturnType<Harness['user']>>;
const tag = randomUUID().slice(0, 6).toUpperCase();

beforeAll(async () => {
  h = await startHarness({ kind: 'api' });
  tech = await h.user('TECHNICIAN');
});
afterAll(() => h?.stop());

const seize = async (over: Record<string, unknown>) => (await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody(over)).expect(201)).body;
const list = async (query: string) => h.http().get(`/api/v1/seizures?${query}`).set(auth(tech.token));

describe('seizure list', () => {
  it('when searching by part of the number in any case, by port and by the day seized, then only the matching seizures come back, newest first, with their sample counts and the total', async () => {
    const day = (d: string, hh: number) => `${d}T${String(hh).padStart(2, '0')}:00:00Z`;
    const a = await seize({ seizureNumber: `SZ-${tag}-001`, portCode: '2604', seizedAt: day('2026-03-02', 10) });
    const b = await seize({ seizureNumber: `SZ-${tag}-002`, portCode: '2503', seizedAt: day('2026-03-03', 23) });
    const c = await seize({ seizureNumber: `SZ-${tag}-003`, portCode: '2604', seizedAt: day('2026-03-05', 1) });
    await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(a.id)).expect(201);
    await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(a.id)).expect(201);

    const byNumber = (await list(`q=${tag.toLowerCase()}`)).body;
    expect(byNumber.items.map((s: { id: string }) => s.id)).toEqual([c.id, b.id, a.id]);
    expect(byNumber.total).toBe(3);
    expect(byNumber.items[2]).toMatchObject({ seizureNumber: `SZ-${tag}-001`, samples: 2, openSamples: 2 });
    expect((await list(`q=${tag}&portCode=2604`)).body.items.map((s: { id: string }) => s.id)).toEqual([c.id, a.id]);
    // "to" a day includes the whole of that day.
    expect((await list(`q=${tag}&from=2026-03-03&to=2026-03-03`)).body.items.map((s: { id: string }) => s.id)).toEqual([b.id]);

    const first = (await list(`q=${tag}&limit=2`)).body;
    expect(first.items).toHaveLength(2);
    expect(first.total).toBe(3);
    const next = (await list(`q=${tag}&limit=2&cursor=${first.nextCursor}`)).body;
    expect(next.items.map((s: { id: string }) => s.id)).toEqual([a.id]);
    expect(next.nextCursor).toBeNull();
  });

  it('when a query value is not understood, then the answer is a 400 that names the field in words', async () => {
    const res = await list('from=last-tuesday&portCode=26');
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: 'query.from', message: 'a date like 2026-11-30, or a date and time' }),
      expect.objectContaining({ path: 'query.portCode', message: 'a 4-digit CBP port code' }),
    ]));
    expect((await list('colour=red')).status).toBe(400);
  });

  it('when a seizure is read, then its samples come in item order with their status and headline', async () => {
    const z = await seize({ seizureNumber: `SZ-${tag}-100` });
    const s1 = (await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(z.id, { description: 'first bag' })).expect(201)).body;
    const s2 = (await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(z.id, { description: 'second bag', form: 'TABLET' })).expect(201)).body;
    const read = (await h.http().get(`/api/v1/seizures/${z.id}`).set(auth(tech.token)).expect(200)).body;
    expect(read.samples.map((s: { id: string; itemNumber: number; description: string }) => [s.id, s.itemNumber, s.description])).toEqual([[s1.id, 1, 'first bag'], [s2.id, 2, 'second bag']]);
    expect(read.samples[0]).toMatchObject({ barcode: s1.barcode, status: 'REGISTERED', classification: null });
    expect(read).toMatchObject({ exhibits: [], corrections: [] });
    expect((await h.http().get(`/api/v1/samples/${s1.id}`).set(auth(tech.token))).body.seizureNumber).toBe(`SZ-${tag}-100`);
  });
});

describe('linking a seizure to a case by its number', () => {
  it('when an investigator searches part of a number and links by the number, then the seizure joins their case; a seizure in another case is not offered and another investigator\'s case is a 404', async () => {
    const [agent, other] = [await h.user('INVESTIGATOR'), await h.user('INVESTIGATOR')];
    const mine = await h.deps.db.case.create({ data: { caseNumber: `HSI-2604-2026-L${tag}`, portCode: '2604', assigneeId: agent.id } });
    const theirs = await h.deps.db.case.create({ data: { caseNumber: `HSI-2604-2026-O${tag}`, portCode: '2604', assigneeId: other.id } });
    const loose = await seize({ seizureNumber: `SZ-${tag}-LINK-1` });
    const taken = await seize({ seizureNumber: `SZ-${tag}-LINK-2` });
    await h.deps.db.seizure.update({ where: { id: taken.id }, data: { caseId: theirs.id } });

    const found = await h.http().get(`/api/v1/cases/${mine.id}/linkable-seizures?q=${tag.toLowerCase()}-link`).set(auth(agent.token)).expect(200);
    expect(found.body.items).toEqual([{ id: loose.id, seizureNumber: `SZ-${tag}-LINK-1`, portCode: '2604', seizedAt: loose.seizedAt }]);
    await h.http().get(`/api/v1/cases/${theirs.id}/linkable-seizures?q=${tag}`).set(auth(agent.token)).expect(404);
    const short = await h.http().get(`/api/v1/cases/${mine.id}/linkable-seizures?q=S`).set(auth(agent.token)).expect(400);
    expect(short.body.error.details).toEqual([expect.objectContaining({ path: 'query.q', message: 'type at least 2 characters of the seizure number' })]);

    const linked = await h.http().post(`/api/v1/cases/${mine.id}/seizures`).set(auth(agent.token)).send({ seizureNumber: `sz-${tag.toLowerCase()}-link-1` }).expect(200);
    expect(linked.body.seizureId).toBe(loose.id);
    expect((await h.sql<{ caseId: string }>('SELECT "caseId" FROM "Seizure" WHERE id = $1', [loose.id]))[0]!.caseId).toBe(mine.id);
    const unknown = await h.http().post(`/api/v1/cases/${mine.id}/seizures`).set(auth(agent.token)).send({ seizureNumber: 'SZ-NOWHERE-1' }).expect(400);
    expect(unknown.body.error.details).toEqual([{ path: 'body.seizureNumber', message: 'no seizure numbered SZ-NOWHERE-1', label: 'seizure number' }]);
    await h.http().post(`/api/v1/cases/${mine.id}/seizures`).set(auth(agent.token)).send({ seizureNumber: `SZ-${tag}-LINK-2` }).expect(409);
  });
});
