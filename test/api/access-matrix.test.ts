/**
 * The access matrix, generated from the route table: every route × every role × a record the caller
 * owns and one they do not. A role the route does not list gets 403; an investigator asking for
 * something off their cases gets 404, exactly as if it did not exist; no answer carries a record the
 * caller may not see. A new route fails this file until it says how to fill its parameters and body.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../src/auth/sessions.ts';
import { ROUTES } from '../../src/http/routes.ts';
import type { TRole } from '../../src/http/route.ts';
import { auth, sampleBody, seizureBody, startHarness, type Harness } from '../support/harness.ts';

const ROLES: TRole[] = ['TECHNICIAN', 'INVESTIGATOR', 'MANAGER', 'ADMIN'];
const SPECTRUM = Buffer.from('58,999\n91,120\n');
type TUser = Awaited<ReturnType<Harness['user']>>;
type TOwnership = 'owned' | 'foreign';

let h: Harness;
const users = {} as Record<TRole, TUser>;
let otherInvestigator: TUser;
let registrar: TUser;
const seizures = {} as Record<TOwnership, string>;
const cases = {} as Record<TOwnership, string>;
const notifications = {} as Record<TRole, Record<TOwnership, string>>;
let victim: TUser;
let webhookId: string;
let operationId: string;
let importId: string;
const files = {} as Record<TOwnership, string>;
let spectralRecordId: string;

beforeAll(async () => {
  h = await startHarness({ kind: 'api' });
  for (const role of ROLES) users[role] = await h.user(role);
  otherInvestigator = await h.user('INVESTIGATOR');
  registrar = await h.user('TECHNICIAN');
  victim = await h.user('TECHNICIAN');
  webhookId = (await h.deps.db.webhook.create({ data: { url: 'http://127.0.0.1:9/hook', events: ['CASE_ASSIGNED'], secret: 'matrix-secret-0123456789', createdById: victim.id } })).id;
  const db = h.deps.db;
  importId = (await db.manifestImport.create({ data: { sha256: randomUUID(), filename: 'matrix.csv', format: 'csv', status: 'COMPLETED', rowCount: 0, createdById: victim.id } })).id;
  operationId = (await db.operation.create({ data: { name: `Matrix ${randomUUID()}`, startsOn: new Date('2026-01-01'), portCodes: ['2604'], description: 'matrix', createdById: victim.id } })).id;
  for (const [own, assignee] of [['owned', users.INVESTIGATOR], ['foreign', otherInvestigator]] as const) {
    const kase = await db.case.create({ data: { caseNumber: `HSI-2604-2026-M${randomUUID().slice(0, 6)}`, portCode: '2604', assigneeId: assignee.id } });
    cases[own] = kase.id;
    const seizure = (await h.http().post('/api/v1/seizures').set(auth(registrar.token)).send(seizureBody())).body;
    await db.seizure.update({ where: { id: seizure.id }, data: { caseId: kase.id } });
    seizures[own] = seizure.id;
  }
  // One attached spectrum per ownership, for the /files/:id routes.
  await db.fileBlob.createMany({ data: [{ sha256: createHash('sha256').update(SPECTRUM).digest('hex'), size: SPECTRUM.length, mediaType: 'text/csv', bytes: new Uint8Array(SPECTRUM) }] });
  for (const own of ['owned', 'foreign'] as const) {
    const sample = (await h.http().post('/api/v1/samples').set(auth(registrar.token)).send(sampleBody(seizures[own]))).body;
    files[own] = (await db.sampleFile.create({ data: { sampleId: sample.id, sha256: createHash('sha256').update(SPECTRUM).digest('hex'), kind: 'SPECTRUM', filename: 'm.csv', uploadedById: registrar.id, uploadedAt: new Date() } })).id;
  }
  const library = await db.spectralLibrary.create({ data: { name: 'Matrix', version: 1, sha256: createHash('sha256').update(SPECTRUM).digest('hex'), format: 'MSP', recordCount: 1, linkedCount: 0, importedAt: new Date() } });
  spectralRecordId = (await db.spectralRecord.create({ data: { libraryId: library.id, ordinal: 1, name: 'Matrix compound', mz: [58, 91], intensity: [999, 120] } })).id;
  for (const role of ROLES) {
    notifications[role] = {} as Record<TOwnership, string>;
    for (const [own, recipient] of [['owned', users[role]], ['foreign', otherInvestigator]] as const) {
      const n = await db.notification.create({ data: { type: 'CASE_ASSIGNED', recipientId: recipient.id, caseId: cases.owned, title: `matrix ${role} ${own}` } });
      notifications[role][own] = n.id;
    }
  }
});
afterAll(() => h?.stop());

/** A fresh sample per call, so one route's writes never change what another route sees. */
async function freshSample(own: TOwnership) {
  const res = await h.http().post('/api/v1/samples').set(auth(registrar.token)).send(sampleBody(seizures[own]));
  expect(res.status).toBe(201);
  return res.body as { id: string; barcode: string };
}

type TCall = { path: string; body?: unknown; foreignIds: string[] };

async function buildCall(route: (typeof ROUTES)[number], role: TRole, own: TOwnership): Promise<TCall> {
  let path = route.path;
  const needsSample = /:id/.test(path) && path.startsWith('/samples/') || path.includes(':barcode');
  const sample = needsSample ? await freshSample(own) : null;
  const looseSeizure = route.path === '/cases/:id/seizures' ? (await h.http().post('/api/v1/seizures').set(auth(registrar.token)).send(seizureBody())).body.id : null;
  const fill: Record<string, () => string> = {
    '/samples/:id': () => sample!.id,
    '/samples/by-barcode/:barcode': () => sample!.barcode,
    '/seizures/:id': () => seizures[own],
    '/cases/:id': () => cases[own],
    '/notifications/:id': () => notifications[role][own],
    '/users/:id': () => victim.id,
    '/webhooks/:id': () => webhookId,
    '/ports/:code': () => '2604',
    '/operations/:id': () => operationId,
    '/imports/:id': () => importId,
    '/files/:id': () => files[own],
    '/spectral-records/:id': () => spectralRecordId,
  };
  const prefix = Object.keys(fill).find((p) => path.startsWith(p));
  if (path.includes(':')) {
    if (!prefix) throw new Error(`access matrix: say how to fill the parameters of ${route.method.toUpperCase()} ${route.path}`);
    path = path.replace(/:[a-z]+/i, fill[prefix]!());
  }
  const bodies: Record<string, () => unknown> = {
    'POST /auth/login': () => ({ email: users[role].email, password: users[role].password }),
    'POST /users': () => ({ email: `m-${randomUUID().slice(0, 8)}@test.example`, name: 'Matrix', role: 'TECHNICIAN', password: 'matrix-password-1' }),
    'PUT /ports/:code/duty': () => ({ investigatorId: users.INVESTIGATOR.id }),
    'POST /seizures': () => seizureBody(),
    'POST /samples': () => sampleBody(seizures[own]),
    'POST /samples/:id/tests': () => ({ technique: 'COLOR_TEST', outcome: 'NEGATIVE', reagent: 'Marquis' }),
    'POST /samples/:id/custody': () => ({ action: 'STORED', location: '2604 vault' }),
    'POST /samples/:id/review': () => ({ decision: 'APPROVE', password: users[role].password }),
    'POST /webhooks': () => ({ url: 'http://127.0.0.1:9/hook', events: ['RESULT_RELEASED'], secret: 'matrix-secret-0123456789' }),
    // Reassigning keeps who owns what: the foreign case stays with the other investigator.
    'POST /cases/:id/assign': () => ({ investigatorId: own === 'owned' ? users.INVESTIGATOR.id : otherInvestigator.id }),
    'POST /cases/:id/seizures': () => ({ seizureId: looseSeizure }),
    'POST /operations': () => ({ name: `Matrix ${randomUUID()}`, startsOn: '2026-01-01', portCodes: ['2604'], description: 'matrix operation' }),
    'POST /operations/:id/seizures': () => ({ seizureId: seizures[own] }),
    'POST /cases/:id/arrests': () => ({ jurisdiction: 'FEDERAL', count: 1, at: new Date().toISOString() }),
    'POST /seizures/:id/observables': () => ({ kind: 'PHONE', value: '+1 520 555 0199' }),
    'POST /seizures/:id/exhibits': () => ({ exhibitNumber: `E${randomUUID().slice(0, 6)}`, description: 'matrix exhibit', netWeightKg: 1.5 }),
    // Linking a seizure to itself is refused (400): enough to show who may call it and who gets 404.
    'POST /seizures/:id/links': () => ({ otherSeizureId: seizures[own], decision: 'CONFIRM' }),
  };
  const key = `${route.method.toUpperCase()} ${route.path}`;
  if (route.body && !bodies[key]) throw new Error(`access matrix: give a valid body for ${key}`);
  const foreignIds = [notifications[role].foreign, ...(role === 'INVESTIGATOR' ? [seizures.foreign, cases.foreign] : [])];
  if (role === 'INVESTIGATOR' && own === 'foreign' && sample) foreignIds.push(sample.id, sample.barcode);
  if (role === 'INVESTIGATOR' && own === 'foreign' && route.path.startsWith('/files/')) foreignIds.push(files.foreign);
  return { path, body: bodies[key]?.(), foreignIds };
}

/** An event stream never ends: read the status and headers, then hang up. */
async function openStream(path: string, token: string | null) {
  const abort = new AbortController();
  const res = await fetch(`${h.url}/api/v1${path}`, { headers: token ? auth(token) : {}, signal: abort.signal });
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : {};
  abort.abort();
  return { status: res.status, body };
}

const send = (method: string, path: string, token: string | null, body?: unknown): PromiseLike<{ status: number; body: any }> => {
  if (path.endsWith('/stream')) return openStream(path, token);
  const req = h.http()[method as 'get'](`/api/v1${path}`);
  if (token) req.set(auth(token));
  return body === undefined ? req : req.send(body as object);
};

/** Routes whose records belong to someone: a non-owner must get 404 there. */
const objectRoute = (path: string) => /^\/(samples\/(:id|by-barcode)|cases\/:id|notifications\/:id|seizures\/:id\/|files\/:id)/.test(path);

const matrix = ROUTES.filter((r) => r.roles !== 'public').flatMap((route) =>
  ROLES.flatMap((role) => (['owned', 'foreign'] as const).map((own) => ({ route, role, own, name: `${route.method.toUpperCase()} ${route.path} as ${role} (${own})` }))),
);

describe('access matrix', () => {
  it.each(ROUTES.filter((r) => r.roles !== 'public').map((r) => ({ route: r, name: `${r.method.toUpperCase()} ${r.path}` })))(
    '$name without a session → 401',
    async ({ route }) => {
      const call = await buildCall(route, 'MANAGER', 'owned');
      const res = await send(route.method, call.path, null, call.body);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    },
  );

  it.each(matrix)('$name', async ({ route, role, own }) => {
    const call = await buildCall(route, role, own);
    // Signing out ends the session it is called with: give it one of its own.
    const token = route.path === '/auth/logout' ? await createSession(h.deps.db, users[role].id, h.deps.clock, h.deps.sessionPolicy) : users[role].token;
    const res = await send(route.method, call.path, token, call.body);
    const allowed = route.roles === 'any' || (route.roles as readonly TRole[]).includes(role);
    const text = JSON.stringify(res.body ?? {});
    for (const id of call.foreignIds) expect(text, `${id} leaked`).not.toContain(id);
    if (!allowed) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      return;
    }
    const hidden = objectRoute(route.path) && own === 'foreign' && (role === 'INVESTIGATOR' || route.path.startsWith('/notifications/'));
    if (hidden) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    } else {
      expect([401, 403, 404]).not.toContain(res.status);
      expect(res.status).toBeLessThan(500);
    }
  });
});
