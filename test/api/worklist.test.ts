import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, sampleBody, seizureBody, startHarness, type Harness } from '../support/harness.ts';

/** The worklist's search, filters, order and count; who may hold evidence; what the inbox and the signature say. */
let h: Harness;
let tech: Awaited<ReturnType<Harness['user']>>;
let other: Awaited<ReturnType<Harness['user']>>;
const tag = randomUUID().slice(0, 6).toUpperCase();

beforeAll(async () => {
  h = await startHarness({ kind: 'api' });
  tech = await h.user('TECHNICIAN');
  other = await h.user('TECHNICIAN');
});
afterAll(() => h?.stop());

const as = (who: { token: string }) => ({ get: (path: string) => h.http().get(`/api/v1${path}`).set(auth(who.token)), post: (path: string, body: object) => h.http().post(`/api/v1${path}`).set(auth(who.token)).send(body) });
const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((s) => s.id);

describe('worklist search, filters and order', () => {
  it('when the list is searched by part of a barcode, a seizure number or a description, filtered to mine and sorted, then it answers those samples with the total and the seizure number', async () => {
    const z = (await as(tech).post('/seizures', seizureBody({ seizureNumber: `SZ-${tag}-W1`, portCode: '2305' })).expect(201)).body;
    const a = (await as(tech).post('/samples', sampleBody(z.id, { description: `blue tablets M30 ${tag}` })).expect(201)).body;
    const b = (await as(other).post('/samples', sampleBody(z.id, { description: 'white powder', priority: 'URGENT' })).expect(201)).body;
    const c = (await as(other).post('/samples', sampleBody(z.id, { description: 'brown tar' })).expect(201)).body;
    await as(tech).post(`/samples/${c.id}/tests`, { technique: 'COLOR_TEST', outcome: 'NEGATIVE', reagent: 'Marquis' }).expect(201);

    const bySeizure = await as(tech).get(`/samples?q=sz-${tag.toLowerCase()}-w1&limit=2`).expect(200);
    expect(bySeizure.body.total).toBe(3);
    expect(bySeizure.body.items).toHaveLength(2);
    expect(bySeizure.body.items[0]).toMatchObject({ id: b.id, seizureNumber: `SZ-${tag}-W1`, description: 'white powder' });
    expect(ids(await as(tech).get(`/samples?q=${a.barcode.slice(-6).toLowerCase()}`))).toEqual([a.id]);
    expect(ids(await as(tech).get(`/samples?q=M30%20${tag}`))).toEqual([a.id]);
    // Mine: registered by me, or a test of mine on it.
    expect(ids(await as(tech).get(`/samples?q=${tag}&mine=true&sort=barcode`)).sort()).toEqual([a.id, c.id].sort());
    const byBarcode = ids(await as(tech).get(`/samples?q=${tag}&sort=barcode`));
    expect(byBarcode).toEqual([a, b, c].map((s) => s).sort((x, y) => x.barcode.localeCompare(y.barcode)).map((s) => s.id));
    expect(ids(await as(tech).get(`/samples?q=${tag}&sort=registered`))).toEqual([c.id, b.id, a.id]);
    const flags = (await as(tech).get(`/samples?q=${tag}`)).body.items.map((s: { id: string; testedByYou: boolean }) => [s.id, s.testedByYou]);
    expect(Object.fromEntries(flags)).toEqual({ [a.id]: false, [b.id]: false, [c.id]: true });
    expect((await as(other).get(`/samples?q=${tag}`)).body.items.every((s: { testedByYou: boolean }) => !s.testedByYou)).toBe(true);
  });

  it('when a filter value is not understood, then it is a 400 in words, never an empty list', async () => {
    const res = await as(tech).get('/samples?sort=colour&priority=HIGH&q=x&shelf=3').expect(400);
    const by = Object.fromEntries(res.body.error.details.map((d: { path: string; message: string }) => [d.path, d.message]));
    expect(by['query.sort']).toBe('must be one of: worklist, due, registered, barcode');
    expect(by['query.priority']).toBe('must be one of: routine, priority, urgent');
    expect(by['query.q']).toBe('type at least 2 characters');
    expect(by.query).toBe('unknown field(s): shelf');
  });
});

describe('people who may hold evidence', () => {
  it('when the recipient list is asked for, then it holds technicians, investigators and managers, searchable by name, never administrators; custody to an administrator is refused', async () => {
    const admin = await h.user('ADMIN');
    const agent = await h.user('INVESTIGATOR');
    const holders = (await as(tech).get('/users/directory?holders=true').expect(200)).body.items as { id: string; role: string; name: string }[];
    expect(holders.filter((u) => !['TECHNICIAN', 'INVESTIGATOR', 'MANAGER'].includes(u.role))).toEqual([]);
    expect(holders.map((u) => u.id)).toContain(agent.id);
    expect(holders.map((u) => u.id)).not.toContain(admin.id);
    const named = (await as(tech).get(`/users/directory?holders=true&q=${encodeURIComponent(agent.email.slice(0, 20).toUpperCase())}`).expect(200)).body.items;
    expect(named.map((u: { id: string }) => u.id)).toEqual([agent.id]);

    const z = (await as(tech).post('/seizures', seizureBody()).expect(201)).body;
    const s = (await as(tech).post('/samples', sampleBody(z.id)).expect(201)).body;
    const refused = await as(tech).post(`/samples/${s.id}/custody`, { action: 'TRANSFERRED', toUserId: admin.id }).expect(400);
    expect(refused.body.error.details[0]).toMatchObject({ path: 'body.toUserId', message: 'must be someone who can hold evidence: a technician, investigator or manager', label: 'to' });
    await as(tech).post(`/samples/${s.id}/custody`, { action: 'TRANSFERRED', toUserId: agent.id }).expect(201);
  });
});

describe('the session probe, the signature and the inbox', () => {
  it('when nobody is signed in, then the session probe answers 200 with no user; signed in, it names the user', async () => {
    expect((await h.http().get('/api/v1/auth/session').expect(200)).body).toEqual({ user: null });
    expect((await h.http().get('/api/v1/auth/session').set(auth('not-a-token')).expect(200)).body).toEqual({ user: null });
    expect((await as(tech).get('/auth/session').expect(200)).body.user).toMatchObject({ id: tech.id, role: 'TECHNICIAN' });
  });

  it('when a reviewer signs with a wrong password, then the refusal says how many attempts are left, and /me says so before signing', async () => {
    const reviewer = await h.user('TECHNICIAN');
    expect((await as(reviewer).get('/me').expect(200)).body.signatureAttemptsLeft).toBe(5);
    const z = (await as(tech).post('/seizures', seizureBody()).expect(201)).body;
    const s = (await as(tech).post('/samples', sampleBody(z.id)).expect(201)).body;
    await as(tech).post(`/samples/${s.id}/tests`, { technique: 'COLOR_TEST', outcome: 'NEGATIVE', reagent: 'Marquis' }).expect(201);
    await h.deps.db.classification.create({ data: { sampleId: s.id, version: 1, testCount: 1, category: 'NO_CONTROLLED_SUBSTANCE_IDENTIFIED', level: 'NONE', components: [], thresholds: [], warnings: [], rationale: ['fixture'], rulesVersion: 'fixture', classifiedAt: new Date() } });
    await as(tech).post(`/samples/${s.id}/submit`, {}).expect(200);
    const wrong = await as(reviewer).post(`/samples/${s.id}/review`, { decision: 'APPROVE', password: 'not-my-password' }).expect(401);
    expect(wrong.body.error.message).toBe('Electronic signature failed: the password is not correct. 4 attempts left before your account locks for 10 minutes.');
    expect(wrong.body.error.details).toEqual({ attemptsLeft: 4 });
    expect((await as(reviewer).get('/me').expect(200)).body.signatureAttemptsLeft).toBe(4);
  });

  it('when a presumptive alert\'s sample is later identified and released, then the inbox item says where it stands and names the case only to its assignee', async () => {
    const agent = await h.user('INVESTIGATOR');
    const z = (await as(tech).post('/seizures', seizureBody()).expect(201)).body;
    const s = (await as(tech).post('/samples', sampleBody(z.id)).expect(201)).body;
    await h.deps.db.notification.create({ data: { type: 'PRESUMPTIVE_ALERT', recipientId: agent.id, sampleId: s.id, title: 'PRESUMPTIVE fentanyl' } });
    const item = async () => (await as(agent).get('/notifications').expect(200)).body.items.find((n: { sampleId: string }) => n.sampleId === s.id);
    expect((await item()).current).toEqual({ status: 'REGISTERED', level: null, category: null, caseId: null });
    const kase = await h.deps.db.case.create({ data: { caseNumber: `HSI-2604-2026-N${tag}`, portCode: '2604', assigneeId: null } });
    await h.sql(`UPDATE "Sample" SET status = 'ROUTED', level = 'IDENTIFIED', category = 'FENTANYL', "caseId" = $2 WHERE id = $1`, [s.id, kase.id]);
    expect((await item()).current).toEqual({ status: 'ROUTED', level: 'IDENTIFIED', category: 'FENTANYL', caseId: null });
    await h.sql('UPDATE "Case" SET "assigneeId" = $2 WHERE id = $1', [kase.id, agent.id]);
    expect((await item()).current.caseId).toBe(kase.id);
  });
});
