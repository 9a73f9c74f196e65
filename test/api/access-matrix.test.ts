/**
 * The access matrix: every route × every role × a record the caller owns and one they do not, held
 * against the hand-written policy (access-policy.ts), never against the route table it checks. A
 * permitted call must really succeed (its own success status, on a record prepared for it); a role the
 * policy leaves out gets 403; an investigator asking for something off their cases, or anyone for
 * another's notification, gets 404 exactly as if it did not exist; no answer carries a record the
 * caller may not see.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../src/auth/sessions.ts';
import { ROUTES } from '../../src/http/routes.ts';
import { auth, sampleBody, seizureBody, startHarness, type Harness } from '../support/harness.ts';
import { checkpoint } from '../support/ledger.ts';
import { allows, POLICY, type TPolicyRole } from './access-policy.ts';
import { prepareSample, type TOwnership } from './access-fixtures.ts';

const ROLES: TPolicyRole[] = ['TECHNICIAN', 'INVESTIGATOR', 'MANAGER', 'ADMIN'];
const SPECTRUM = Buffer.from('58,999\n91,120\n');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** A manifest of one exhibit with its sample; a new seizure number each time, so no import repeats another. */
const manifest = () => Buffer.from([
  'seizureNumber,portCode,seizedAt,exhibitNumber,exhibitDescription,netWeightKg,sampleForm,sampleDescription,sampleGrossWeightG,sealNumber',
  `SZ-MATRIX-${randomUUID().slice(0, 8)},2604,2026-11-20 10:00,1,bricks,1.5,POWDER,aliquot,12,SEAL-M1`,
].join('\n'));
type TUser = Awaited<ReturnType<Harness['user']>>;
type TRoute = (typeof ROUTES)[number];
const keyOf = (r: TRoute) => `${r.method.toUpperCase()} ${r.path}`;

let h: Harness;
const users = {} as Record<TPolicyRole, TUser>;
let otherInvestigator: TUser;
let registrar: TUser;
let fixtureReviewer: TUser;
const seizures = {} as Record<TOwnership, string>;
const cases = {} as Record<TOwnership, string>;
const notifications = {} as Record<TPolicyRole, Record<TOwnership, string>>;
let webhookId: string;
let operationId: string;
let importId: string;
const files = {} as Record<TOwnership, string>;
let spectralRecordId: string;

beforeAll(async () => {
  h = await startHarness({ kind: 'api', env: { WEBHOOK_ALLOW_PRIVATE: '1' } }); // webhooks to a local port
  for (const role of ROLES) users[role] = await h.user(role);
  [otherInvestigator, registrar, fixtureReviewer] = [await h.user('INVESTIGATOR'), await h.user('TECHNICIAN'), await h.user('TECHNICIAN')];
  webhookId = (await h.deps.db.webhook.create({ data: { url: 'http://127.0.0.1:9/hook', events: ['CASE_ASSIGNED'], secret: 'matrix-secret-0123456789', createdById: registrar.id } })).id;
  for (const [own, assignee] of [['owned', users.INVESTIGATOR], ['foreign', otherInvestigator]] as const) {
    const kase = await h.deps.db.case.create({ data: { caseNumber: `HSI-2604-2026-M${randomUUID().slice(0, 6)}`, portCode: '2604', assigneeId: assignee.id } });
    cases[own] = kase.id;
    const seizure = (await h.http().post('/api/v1/seizures').set(auth(registrar.token)).send(seizureBody())).body;
    await h.deps.db.seizure.update({ where: { id: seizure.id }, data: { caseId: kase.id } });
    seizures[own] = seizure.id;
  }
  const db = h.deps.db;
  operationId = (await db.operation.create({ data: { name: `Matrix ${randomUUID()}`, startsOn: new Date('2026-01-01'), portCodes: ['2604'], description: 'matrix', createdById: registrar.id } })).id;
  // A completed import that created a sample, so its labels exist.
  const imported = await h.http().post('/api/v1/imports').set(auth(registrar.token)).attach('file', manifest(), 'matrix.csv');
  expect(imported.status, JSON.stringify(imported.body)).toBe(201);
  importId = imported.body.id;
  // One attached spectrum per ownership, for the /files/:id routes.
  await db.fileBlob.createMany({ data: [{ sha256: sha256(SPECTRUM), size: SPECTRUM.length, mediaType: 'text/csv', bytes: new Uint8Array(SPECTRUM) }] });
  for (const own of ['owned', 'foreign'] as const) {
    const sample = (await h.http().post('/api/v1/samples').set(auth(registrar.token)).send(sampleBody(seizures[own]))).body;
    files[own] = (await db.sampleFile.create({ data: { sampleId: sample.id, sha256: sha256(SPECTRUM), kind: 'SPECTRUM', filename: 'm.csv', uploadedById: registrar.id, uploadedAt: new Date() } })).id;
  }
  const library = await db.spectralLibrary.create({ data: { name: 'Matrix', version: 1, sha256: sha256(SPECTRUM), format: 'MSP', recordCount: 1, linkedCount: 0, importedAt: new Date() } });
  spectralRecordId = (await db.spectralRecord.create({ data: { libraryId: library.id, ordinal: 1, name: 'Matrix compound', mz: [58, 91], intensity: [999, 120] } })).id;
  for (const role of ROLES) {
    notifications[role] = {} as Record<TOwnership, string>;
    for (const [own, recipient] of [['owned', users[role]], ['foreign', otherInvestigator]] as const) {
      notifications[role][own] = (await h.deps.db.notification.create({ data: { type: 'CASE_ASSIGNED', recipientId: recipient.id, caseId: cases.owned, title: `matrix ${role} ${own}` } })).id;
    }
  }
  // A sealed log under a signed checkpoint, for the audit proofs (an API-only process runs no sealer).
  await checkpoint(h);
});
afterAll(() => h?.stop());

/** A multipart upload: one file part and plain fields. */
type TUpload = { file: Buffer; filename: string; fields: Record<string, string> };
type TCall = { path: string; body?: unknown; upload?: TUpload; foreignIds: string[] };

/** The call for one cell; with `permitted`, the record is first put in the state the route acts on. */
async function buildCall(route: TRoute, role: TPolicyRole, own: TOwnership, permitted: boolean): Promise<TCall> {
  const key = keyOf(route);
  const onSample = route.path.startsWith('/samples/:id') || route.path.includes(':barcode');
  const env = { h, registrar, reviewer: fixtureReviewer, seizureId: seizures[own] };
  const sample = onSample ? await prepareSample(env, permitted ? key : 'plain') : null;
  const looseSeizure = key === 'POST /cases/:id/seizures' ? (await h.http().post('/api/v1/seizures').set(auth(registrar.token)).send(seizureBody())).body.id : null;
  const victim = route.path.startsWith('/users/:id') ? (permitted ? await h.user('TECHNICIAN') : registrar).id : null;
  // A seizure the caller may see to link with: in the investigator's own case (a manager sees all).
  const linkable = key === 'POST /seizures/:id/links' ? (await h.http().post('/api/v1/seizures').set(auth(registrar.token)).send(seizureBody())).body.id : null;
  if (linkable) await h.deps.db.seizure.update({ where: { id: linkable }, data: { caseId: cases.owned } });
  const fill: Record<string, () => string> = {
    '/samples/by-barcode/:barcode': () => sample!.barcode,
    '/samples/:id': () => sample!.id,
    '/seizures/:id': () => seizures[own],
    '/cases/:id': () => cases[own],
    '/notifications/:id': () => notifications[role][own],
    '/users/:id': () => victim!,
    '/webhooks/:id': () => webhookId,
    '/ports/:code': () => '2604',
    '/operations/:id': () => operationId,
    '/imports/:id': () => importId,
    '/files/:id': () => files[own],
    '/spectral-records/:id': () => spectralRecordId,
  };
  let path = route.path;
  if (path.includes(':')) {
    const prefix = Object.keys(fill).find((p) => path.startsWith(p));
    if (!prefix) throw new Error(`access matrix: say how to fill the parameters of ${key}`);
    path = path.replace(/:[a-z]+/i, fill[prefix]!());
  }
  const query: Record<string, string> = { 'GET /tools/sampling-plan': '?population=10', 'GET /audit/proof': '?seq=1', 'GET /audit/consistency': '?from=1&to=1' };
  const bodies: Record<string, () => unknown> = {
    'POST /users': () => ({ email: `m-${randomUUID().slice(0, 8)}@test.example`, name: 'Matrix', role: 'TECHNICIAN', password: 'matrix-password-1' }),
    'PUT /ports/:code/duty': () => ({ investigatorId: users.INVESTIGATOR.id }),
    'POST /seizures': () => seizureBody(),
    'POST /samples': () => sampleBody(seizures[own]),
    'POST /samples/:id/tests': () => ({ technique: 'COLOR_TEST', outcome: 'NEGATIVE', reagent: 'Marquis' }),
    'POST /samples/:id/custody': () => ({ action: 'STORED', location: '2604 vault' }),
    'POST /samples/:id/review': () => ({ decision: 'APPROVE', password: users[role].password }),
    'POST /samples/:id/attention': () => ({ action: 'RETURN', reason: 'access matrix' }),
    'POST /webhooks': () => ({ url: 'http://127.0.0.1:9/hook', events: ['RESULT_RELEASED'], secret: 'matrix-secret-0123456789' }),
    // Reassigning keeps who owns what: the foreign case stays with the other investigator.
    'POST /cases/:id/assign': () => ({ investigatorId: own === 'owned' ? users.INVESTIGATOR.id : otherInvestigator.id }),
    'POST /cases/:id/seizures': () => ({ seizureId: looseSeizure }),
    'POST /operations': () => ({ name: `Matrix ${randomUUID()}`, startsOn: '2026-01-01', portCodes: ['2604'], description: 'matrix operation' }),
    'POST /operations/:id/seizures': () => ({ seizureId: seizures[own] }),
    'POST /cases/:id/arrests': () => ({ jurisdiction: 'FEDERAL', count: 1, at: new Date(Date.now() - 60_000).toISOString() }),
    'POST /seizures/:id/observables': () => ({ kind: 'TRACKING_NUMBER', value: `1Z${randomUUID().replaceAll('-', '').slice(0, 16)}` }),
    'POST /seizures/:id/exhibits': () => ({ exhibitNumber: `E${randomUUID().slice(0, 6)}`, description: 'matrix exhibit', netWeightKg: 1.5 }),
    'POST /seizures/:id/links': () => ({ otherSeizureId: linkable, decision: 'CONFIRM', note: 'access matrix' }),
    'POST /spectra/search': () => ({ peaks: [[58, 999], [91, 120]] }),
  };
  // Routes that read multipart/form-data only (route.upload): each call sends new bytes.
  const uploads: Record<string, () => TUpload> = {
    'POST /imports': () => ({ file: manifest(), filename: 'manifest.csv', fields: {} }),
    'POST /samples/:id/files': () => ({ file: Buffer.from(`58,999\n91,${100 + Math.floor(Math.random() * 800)}\n`), filename: 'run.csv', fields: { kind: 'SPECTRUM' } }),
    'POST /spectral-libraries': () => ({ file: Buffer.from(`Name: Matrix ${randomUUID()}\nNum Peaks: 2\n58 999; 91 120\n`), filename: 'matrix.msp', fields: { name: 'Matrix upload' } }),
  };
  // A route that takes only an upload needs one here; one that also takes JSON is called with JSON.
  const multipartOnly = !!route.upload && !route.body;
  if (multipartOnly !== !!uploads[key]) throw new Error(`access matrix: give an upload for ${key}`);
  if (route.body && !bodies[key]) throw new Error(`access matrix: give a valid body for ${key}`);
  const foreignIds = [notifications[role].foreign, ...(role === 'INVESTIGATOR' ? [seizures.foreign, cases.foreign] : [])];
  if (role === 'INVESTIGATOR' && own === 'foreign' && sample) foreignIds.push(sample.id, sample.barcode);
  if (role === 'INVESTIGATOR' && own === 'foreign' && route.path.startsWith('/files/')) foreignIds.push(files.foreign);
  return { path: path + (query[key] ?? ''), body: bodies[key]?.(), upload: uploads[key]?.(), foreignIds };
}

/** An event stream never ends: read the status and headers, then hang up. */
async function openStream(path: string, token: string | null) {
  const abort = new AbortController();
  const res = await fetch(`${h.url}/api/v1${path}`, { headers: token ? auth(token) : {}, signal: abort.signal });
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : {};
  abort.abort();
  return { status: res.status, body };
}

const send = (method: string, path: string, token: string | null, body?: unknown, upload?: TUpload): PromiseLike<{ status: number; body: any }> => {
  if (path.endsWith('/stream')) return openStream(path, token);
  const req = h.http()[method as 'get'](`/api/v1${path}`);
  if (token) req.set(auth(token));
  if (upload) {
    for (const [k, v] of Object.entries(upload.fields)) req.field(k, v);
    return req.attach('file', upload.file, upload.filename);
  }
  return body === undefined ? req : req.send(body as object);
};

/** Routes whose records belong to someone: a non-owner must get 404 there. */
const objectRoute = (path: string) => /^\/(samples\/(:id|by-barcode)|cases\/:id|notifications\/:id|seizures\/:id\/|files\/:id)/.test(path);
const guarded = ROUTES.filter((r) => r.roles !== 'public');

describe('access matrix', () => {
  it('when the route table is read, then every route is in the written policy with the same roles, and the policy names no route that is gone', () => {
    const table = Object.fromEntries(guarded.map((r) => [keyOf(r), r.roles === 'any' ? 'any' : [...r.roles].sort()]));
    const policy = Object.fromEntries(Object.entries(POLICY).map(([k, p]) => [k, p.who === 'any' ? 'any' : [...p.who].sort()]));
    expect(table).toEqual(policy);
  });

  it.each(guarded.map((r) => ({ route: r, name: keyOf(r) })))('$name without a session → 401', async ({ route }) => {
    const call = await buildCall(route, 'MANAGER', 'owned', false);
    const res = await send(route.method, call.path, null, call.body, call.upload);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  const matrix = guarded.flatMap((route) =>
    ROLES.flatMap((role) => (['owned', 'foreign'] as const).map((own) => ({ route, role, own, name: `${keyOf(route)} as ${role} (${own})` }))),
  );
  it.each(matrix)('$name', async ({ route, role, own }) => {
    const policy = POLICY[keyOf(route)];
    if (!policy) throw new Error(`access matrix: ${keyOf(route)} is missing from access-policy.ts`);
    const permitted = allows(policy, role);
    const call = await buildCall(route, role, own, permitted);
    // Signing out ends the session it is called with: give it one of its own.
    const token = route.path === '/auth/logout' ? await createSession(h.deps.db, users[role].id, h.deps.clock, h.apiDeps!.sessionPolicy) : users[role].token;
    const res = await send(route.method, call.path, token, call.body, call.upload);
    const text = JSON.stringify(res.body ?? {});
    for (const id of call.foreignIds) expect(text, `${id} leaked`).not.toContain(id);
    const hidden = objectRoute(route.path) && own === 'foreign' && (role === 'INVESTIGATOR' || route.path.startsWith('/notifications/'));
    const expected = !permitted ? 403 : hidden ? 404 : policy.ok;
    expect(res.status, text).toBe(expected);
    if (expected >= 400) expect(res.body.error.code).toBe(expected === 403 ? 'FORBIDDEN' : 'NOT_FOUND');
  });
});
