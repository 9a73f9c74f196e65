/**
 * Property-based hostile input over the whole route table. For every route, fast-check builds a
 * request that is valid by the route's own zod schemas (params, query, JSON body or multipart upload;
 * real records where a field names one), then makes it hostile in one or two places: NUL or a lone
 * surrogate in any string or field name, a malformed percent-escape in a path segment, a date out of
 * range, a cursor that names no position, a value of the wrong type, a malformed session cookie, and
 * for uploads NUL in a form field or the file name, an unknown or refused field, a missing, second or
 * empty file, a missing or wrong boundary, a truncated body, another content type. Every answer must
 * be a 4xx in the contract's error format, and no table may gain or lose a row. Routes come from the
 * route table (the OpenAPI document's source), so a new route is covered without a word here.
 */
import { createHash, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../src/http/routes.ts';
import type { RouteDef, TRole } from '../../src/http/route.ts';
import { ERROR_STATUS } from '../../src/lib/errors.ts';
import { encodeCursor } from '../../src/http/cursor.ts';
import { findIllFormedText } from '../../src/http/input-rules.ts';
import { accepts, leavesOf, takesDateTime, unwrap, validOf, type TLeaf, type TOverrides } from '../support/zod-arbitrary.ts';
import { auth, sampleBody, seizureBody, startHarness, type Harness } from '../support/harness.ts';

/** Requests generated per route: ROUTES.length × RUNS in all (see the README). */
export const RUNS = 40;

type TUser = Awaited<ReturnType<Harness['user']>>;
let h: Harness;
const users = {} as Record<TRole, TUser>;
let colleague: TUser;
const ids = {} as {
  seizure: string; otherSeizure: string; sample: string; barcode: string; case: string; notification: Record<TRole, string>; webhook: string;
  operation: string; import: string; file: string; spectralRecord: string; exhibit: string;
};
let tables: string[] = [];
let generated = 0;

beforeAll(async () => {
  h = await startHarness({ kind: 'api', env: { API_RATE_PER_MINUTE: '0' } });
  for (const role of ['TECHNICIAN', 'INVESTIGATOR', 'MANAGER', 'ADMIN'] as const) users[role] = await h.user(role);
  colleague = await h.user('TECHNICIAN');
  const seizure = (await h.http().post('/api/v1/seizures').set(auth(users.TECHNICIAN.token)).send(seizureBody())).body;
  const sample = (await h.http().post('/api/v1/samples').set(auth(colleague.token)).send(sampleBody(seizure.id))).body;
  const kase = await h.deps.db.case.create({ data: { caseNumber: 'HSI-2604-2026-H00001', portCode: '2604', assigneeId: users.INVESTIGATOR.id } });
  const notification = {} as Record<TRole, string>;
  for (const role of Object.keys(users) as TRole[]) {
    notification[role] = (await h.deps.db.notification.create({ data: { type: 'CASE_ASSIGNED', recipientId: users[role].id, caseId: kase.id, title: 'fixture' } })).id;
  }
  const webhook = await h.deps.db.webhook.create({ data: { url: 'https://receiver.example/hook', events: ['CASE_ASSIGNED'], secret: 'fixture-secret-0123456789', createdById: users.ADMIN.id } });
  // Records of the later features, so their routes' variants reach as deep as the hostile part lets them.
  const otherSeizure = (await h.http().post('/api/v1/seizures').set(auth(users.TECHNICIAN.token)).send(seizureBody())).body;
  const exhibit = await h.http().post(`/api/v1/seizures/${seizure.id}/exhibits`).set(auth(users.TECHNICIAN.token)).send({ exhibitNumber: 'E1', description: 'fixture exhibit' });
  expect(exhibit.status, JSON.stringify(exhibit.body)).toBe(201);
  const operation = await h.http().post('/api/v1/operations').set(auth(users.MANAGER.token)).send({ name: 'Fixture operation', startsOn: '2026-01-01', portCodes: ['2604'], description: 'fixture' });
  expect(operation.status, JSON.stringify(operation.body)).toBe(201);
  const manifest = ['seizureNumber,portCode,seizedAt,exhibitNumber,exhibitDescription', `SZ-PROP-${randomUUID().slice(0, 8)},2604,2026-11-20 10:00,1,bricks`].join('\n');
  const imported = await h.http().post('/api/v1/imports').set(auth(users.TECHNICIAN.token)).attach('file', Buffer.from(manifest), 'fixture.csv');
  expect(imported.status, JSON.stringify(imported.body)).toBe(201);
  const file = await h.http().post(`/api/v1/samples/${sample.id}/files`).set(auth(colleague.token)).field('kind', 'SPECTRUM').attach('file', SPECTRUM, 'fixture.csv');
  expect(file.status, JSON.stringify(file.body)).toBe(201);
  const library = await h.deps.db.spectralLibrary.create({ data: { name: 'Fixture', version: 1, sha256: createHash('sha256').update(SPECTRUM).digest('hex'), format: 'MSP', recordCount: 1, linkedCount: 0, importedAt: new Date() } });
  const record = await h.deps.db.spectralRecord.create({ data: { libraryId: library.id, ordinal: 1, name: 'Fixture compound', mz: [58, 91], intensity: [999, 120] } });
  Object.assign(ids, {
    seizure: seizure.id, otherSeizure: otherSeizure.id, sample: sample.id, barcode: sample.barcode, case: kase.id, notification, webhook: webhook.id,
    operation: operation.body.id, import: imported.body.id, file: file.body.id, spectralRecord: record.id, exhibit: exhibit.body.id,
  });
  // Every table of records. Not rate_limit: a refused attempt is meant to count against its rate limit
  // (an electronic signature takes a point before the password is checked), and its rows expire on their own.
  tables = (await h.sql<{ t: string }>(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'rate_limit' ORDER BY 1`)).map((r) => r.t);
});
afterAll(async () => {
  console.log(`hostile-properties: ${generated} generated requests over ${ROUTES.length} routes`);
  await h?.stop();
});

const SPECTRUM = Buffer.from('58,999\n91,120\n');

/** Rows per table, in one statement. */
async function rowCounts(): Promise<Record<string, number>> {
  const cols = tables.map((t) => `(SELECT count(*)::int FROM "${t}") AS "${t}"`).join(', ');
  return (await h.sql<Record<string, number>>(`SELECT ${cols}`))[0]!;
}

const ROLE_ORDER: TRole[] = ['TECHNICIAN', 'MANAGER', 'ADMIN', 'INVESTIGATOR'];
const actingRole = (r: RouteDef): TRole | null => (r.roles === 'public' ? null : r.roles === 'any' ? 'MANAGER' : ROLE_ORDER.find((x) => (r.roles as readonly TRole[]).includes(x))!);

/** Real records for fields that name one, so a variant reaches as deep as the hostile part lets it. */
function overridesFor(route: RouteDef, role: TRole | null): TOverrides {
  const byPrefix: [string, string][] = [
    ['/samples/', ids.sample], ['/seizures/', ids.seizure], ['/cases/', ids.case], ['/notifications/', ids.notification[role ?? 'MANAGER']],
    ['/webhooks/', ids.webhook], ['/users/', colleague.id], ['/operations/', ids.operation], ['/imports/', ids.import], ['/files/', ids.file],
    ['/spectral-records/', ids.spectralRecord],
  ];
  const idParam = byPrefix.find(([prefix]) => route.path.startsWith(prefix))?.[1];
  if (route.path.includes(':id') && !idParam) throw new Error(`hostile-properties: say which record ${route.path} names`);
  const me = role ? users[role] : users.TECHNICIAN;
  return {
    ...(idParam ? { id: fc.constant(idParam) } : {}),
    barcode: fc.constant(ids.barcode),
    code: fc.constant('2604'),
    portCode: fc.constant('2604'),
    seizureId: fc.constant(ids.seizure),
    otherSeizureId: fc.constant(ids.otherSeizure),
    sampleId: fc.constant(ids.sample),
    exhibitId: fc.constant(ids.exhibit),
    fileId: fc.constant(ids.file),
    operationIds: fc.constant([ids.operation]),
    investigatorId: fc.constant(users.INVESTIGATOR.id),
    toUserId: fc.constant(colleague.id),
    witnessId: fc.constant(colleague.id),
    ...(route.path === '/auth/login' ? { email: fc.constant(me.email), password: fc.constant(me.password) } : {}),
    ...(route.path.endsWith('/review') ? { password: fc.constant(me.password) } : {}),
  };
}

/**
 * A multipart/form-data body, kept as parts so a mutation can aim at one; `framing` says how the
 * bytes are then put on the wire (well-formed, or broken in one way).
 */
type TFilePart = { name: string; filename: string; bytes: Uint8Array };
type TMultipart = {
  fields: [string, string][];
  files: TFilePart[];
  framing: 'ok' | 'no-boundary' | 'other-boundary' | 'text/plain' | { truncateAt: number };
};
type TRequest = {
  params: Record<string, string>; rawSegments: Record<string, string>; query: [string, string][]; body: unknown; multipart?: TMultipart; cookie?: string; hostile: string[];
};

const NUL = '\u0000';
const LONE = fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff');
/** Text made hostile: a NUL, or (where JSON can carry one) a lone surrogate, somewhere in a valid value. */
const taint = (valid: string, surrogates: boolean) => {
  const chars = Array.from(valid); // code points: never split a pair the value already holds
  return fc.tuple(fc.nat({ max: chars.length }), surrogates ? fc.oneof(fc.constant(NUL), LONE) : fc.constant(NUL))
    .map(([at, bad]) => [...chars.slice(0, at), bad, ...chars.slice(at)].join(''));
};

const MALFORMED_ESCAPES = ['%', '%E0%A4%A', '%G0', '%C0%80', '%ED%A0%80', '%F4%90%80%80', '%FF', '%e2%82', '%%'];

/** Dates ISO-8601 allows and the record cannot hold: years 0000–1899, or past 9999 once the offset applies. */
function outOfRangeDate(dateTime: boolean): fc.Arbitrary<string> {
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const early = fc.record({ y: fc.integer({ min: 0, max: 1899 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }), hh: fc.integer({ min: 0, max: 23 }), off: fc.constantFrom('Z', '+00:00', '-07:00', '+14:00') })
    .map(({ y, m, d, hh, off }) => (dateTime ? `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}T${pad(hh, 2)}:00:00${off}` : `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`));
  return dateTime ? fc.oneof(early, fc.constantFrom('9999-12-31T23:30:00-05:00', '0000-01-01T00:00:00Z')) : early;
}

/** Cursors that are base64url (or not) but name no position of any list. */
const bogusCursor = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }).map((s) => Buffer.from(s).toString('base64url')),
  fc.stringMatching(/^[0-9a-f-]{36}$/).filter((s) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s)).map((s) => Buffer.from(s).toString('base64url')),
  fc.uuid({ version: 4 }).map(encodeCursor),
  fc.stringMatching(/^[!-~]{1,40}$/).filter((s) => /[^A-Za-z0-9_-]/.test(s)),
);

/** A value of another type than the field takes (the schema itself says it is refused). */
const wrongType = (leaf: TLeaf) =>
  fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 5 }), fc.constant([]), fc.constant({}), fc.array(fc.integer(), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }))
    .filter((v) => !accepts(leaf.schema, v));

function setAt(root: unknown, path: string[], value: unknown): unknown {
  if (!path.length) return value;
  const [head, ...rest] = path;
  // A path through a field another mutation already replaced (with a number, say) rebuilds it.
  const container = Array.isArray(root) ? [...root] : root !== null && typeof root === 'object' ? { ...root } : /^\d+$/.test(head!) ? [] : {};
  (container as Record<string, unknown>)[head!] = setAt((root as Record<string, unknown> | undefined)?.[head!], rest, value);
  return container;
}
const getAt = (root: unknown, path: string[]): unknown => path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], root);

type TMutation = (r: TRequest) => fc.Arbitrary<TRequest>;

/** The text fields of a route's upload, by name. */
const uploadFields = (route: RouteDef) => Object.entries(((unwrap(route.upload!.fields as z.ZodType) as unknown as { shape: Record<string, z.ZodType> }).shape));

/** Hostile changes to a multipart upload, each aimed at one part or at the framing. */
function uploadMutations(route: RouteDef): TMutation[] {
  const fields = uploadFields(route);
  const on = (r: TRequest, change: (m: TMultipart) => TMultipart, what: string): TRequest => ({ ...r, multipart: change(r.multipart!), hostile: [...r.hostile, what] });
  const out: TMutation[] = [];
  for (const [name, schema] of fields) {
    const setField = (m: TMultipart, v: string): TMultipart => ({ ...m, fields: [...m.fields.filter(([k]) => k !== name), [name, v]] });
    out.push((r) => fc.constant(null).chain(() => {
      const current = r.multipart!.fields.find(([k]) => k === name)?.[1];
      return (current !== undefined ? fc.constant(current) : (validOf(schema, 'query') as fc.Arbitrary<string>)).chain((v) => taint(String(v), false));
    }).map((v) => on(r, (m) => setField(m, v), `NUL in form field ${name}`)));
    const refused = fc.string({ maxLength: 12 }).filter((v) => !findIllFormedText(v, '') && !accepts(schema, v));
    out.push((r) => refused.map((v) => on(r, (m) => setField(m, v), `form field ${name}=${JSON.stringify(v)}`)));
  }
  const declared = new Set(fields.map(([k]) => k));
  out.push((r) => fc.tuple(fc.stringMatching(/^[a-z]{1,8}$/).filter((k) => !declared.has(k) && k !== 'file'), fc.string({ maxLength: 8 }), fc.boolean())
    .chain(([k, v, nul]) => (nul ? taint(k, false) : fc.constant(k)).map((name) => [name, v] as [string, string]))
    .map((pair) => on(r, (m) => ({ ...m, fields: [...m.fields, pair] }), `unknown form field ${JSON.stringify(pair[0])}`)));
  out.push((r) => taint(r.multipart!.files[0]?.filename ?? 'upload.csv', false)
    .map((filename) => on(r, (m) => ({ ...m, files: m.files.length ? [{ ...m.files[0]!, filename }, ...m.files.slice(1)] : [{ name: 'file', filename, bytes: new Uint8Array([0x31]) }] }), 'NUL in the file name')));
  out.push((r) => fc.constant(on(r, (m) => ({ ...m, files: [] }), 'no file part')));
  out.push((r) => fc.constantFrom('file', 'other').chain((name) => fileBytes.map((bytes) => on(r, (m) => ({ ...m, files: [...m.files, { name, filename: 'second.csv', bytes }] }), `a second file part "${name}"`))));
  out.push((r) => fc.constant(on(r, (m) => ({ ...m, files: m.files.map((f) => ({ ...f, bytes: new Uint8Array() })) }), 'an empty file')));
  out.push((r) => fc.constantFrom('no-boundary', 'other-boundary', 'text/plain').map((framing) => on(r, (m) => ({ ...m, framing }), `framing: ${framing}`)));
  out.push((r) => fc.double({ min: 0, max: 1, noNaN: true }).map((at) => on(r, (m) => ({ ...m, framing: { truncateAt: at } }), `body cut at ${Math.round(at * 100)} %`)));
  return out;
}

/** The hostile changes that make sense for this route, each derived from where its schemas put values. */
function mutationsFor(route: RouteDef): { common: TMutation[]; json: TMutation[]; upload: TMutation[] } {
  const out: TMutation[] = [];
  const json: TMutation[] = [];
  const paramLeaves = route.params ? leavesOf(route.params as z.ZodType) : [];
  const queryLeaves = route.query ? leavesOf(route.query as z.ZodType) : [];
  const bodyLeaves = route.body ? leavesOf(route.body as z.ZodType) : [];
  const textual = (l: TLeaf) => l.kind !== 'object' && l.kind !== 'array';

  for (const leaf of paramLeaves) {
    const name = leaf.path[0]!;
    out.push((r) => taint(r.params[name] ?? '', false).map((v) => ({ ...r, params: { ...r.params, [name]: v }, hostile: [...r.hostile, `NUL in params.${name}`] })));
    out.push((r) => fc.tuple(fc.constantFrom(...MALFORMED_ESCAPES), fc.nat({ max: 36 })).map(([esc, at]) => {
      const enc = encodeURIComponent(r.params[name] ?? '');
      return { ...r, rawSegments: { ...r.rawSegments, [name]: enc.slice(0, at) + esc + enc.slice(at) }, hostile: [...r.hostile, `escape ${esc} in params.${name}`] };
    }));
  }
  for (const leaf of queryLeaves.filter(textual)) {
    const name = leaf.path[0]!;
    const setQuery = (r: TRequest, v: string) => [...r.query.filter(([k]) => k !== name), [name, v]] as [string, string][];
    out.push((r) => fc.constant(null).chain(() => {
      const current = r.query.find(([k]) => k === name)?.[1];
      return (current !== undefined ? fc.constant(current) : (validOf(leaf.schema, 'query') as fc.Arbitrary<string>)).chain((v) => taint(String(v), false));
    }).map((v) => ({ ...r, query: setQuery(r, v), hostile: [...r.hostile, `NUL in query.${name}`] })));
    if (leaf.kind === 'date') out.push((r) => outOfRangeDate(takesDateTime(leaf.schema)).map((v) => ({ ...r, query: setQuery(r, v), hostile: [...r.hostile, `query.${name}=${v}`] })));
    // The opaque list cursors (the audit trail's is a sequence number, checked by its own pattern).
    const plainCursor = name === 'cursor' && accepts(leaf.schema, encodeCursor(ids.sample));
    if (plainCursor) out.push((r) => bogusCursor.map((v) => ({ ...r, query: setQuery(r, v), hostile: [...r.hostile, `cursor ${v}`] })));
  }
  // Any route, query schema or not: a parameter it does not know, with NUL in its name or value.
  out.push((r) => fc.tuple(fc.stringMatching(/^[a-z]{1,8}$/), fc.string({ maxLength: 8 }), fc.boolean())
    .chain(([k, v, inKey]) => (inKey ? taint(k, false).map((bad) => [bad, v] as [string, string]) : taint(v, false).map((bad) => [k, bad] as [string, string])))
    .map((pair) => ({ ...r, query: [...r.query, pair], hostile: [...r.hostile, `NUL in query parameter ${JSON.stringify(pair[0])}`] })));

  if (route.body) {
    const out = json;
    for (const leaf of bodyLeaves) {
      const where = `body.${leaf.path.join('.')}`;
      if (textual(leaf) && leaf.kind !== 'number' && leaf.kind !== 'boolean') {
        out.push((r) => {
          const current = getAt(r.body, leaf.path);
          const base = typeof current === 'string' ? fc.constant(current) : (validOf(leaf.schema, 'body') as fc.Arbitrary<unknown>).map(String);
          return base.chain((v) => taint(v, true)).map((v) => ({ ...r, body: setAt(r.body, leaf.path, v), hostile: [...r.hostile, `bad text in ${where}`] }));
        });
      }
      if (leaf.kind === 'date') out.push((r) => outOfRangeDate(takesDateTime(leaf.schema)).map((v) => ({ ...r, body: setAt(r.body, leaf.path, v), hostile: [...r.hostile, `${where}=${v}`] })));
      out.push((r) => wrongType(leaf).map((v) => ({ ...r, body: setAt(r.body, leaf.path, v), hostile: [...r.hostile, `${where}=${JSON.stringify(v)}`] })));
    }
    const objectPaths = [[] as string[], ...bodyLeaves.filter((l) => l.kind === 'object').map((l) => l.path)];
    out.push((r) => fc.tuple(fc.constantFrom(...objectPaths), fc.stringMatching(/^[a-z]{1,8}$/)).chain(([path, k]) =>
      taint(k, true).map((bad) => ({ ...r, body: setAt(r.body, [...path, bad], 'x'), hostile: [...r.hostile, `bad field name at body.${path.join('.')}`] }))));
  }
  if (route.roles !== 'public') {
    out.push((r) => fc.tuple(fc.constantFrom(...MALFORMED_ESCAPES), fc.string({ maxLength: 20 }).filter((s) => !/[;,\s]/.test(s))).map(([esc, s]) => ({ ...r, cookie: `fol_session=${s}${esc}`, hostile: [...r.hostile, 'malformed fol_session cookie'] })));
  }
  return { common: out, json, upload: route.upload ? uploadMutations(route) : [] };
}

const fileBytes = fc.uint8Array({ minLength: 1, maxLength: 200 });

/** A well-formed upload by the route's declaration: its fields valid by their schemas, one file. */
function validUpload(route: RouteDef, overrides: TOverrides): fc.Arbitrary<TMultipart> {
  return fc.record({
    fields: validOf(route.upload!.fields as z.ZodType, 'query', overrides) as fc.Arbitrary<Record<string, string>>,
    filename: fc.stringMatching(/^[a-z0-9_-]{1,12}\.(csv|msp|jdx|txt|xlsx|png|bin)$/),
    bytes: fileBytes,
  }).map(({ fields, filename, bytes }) => ({ fields: Object.entries(fields).map(([k, v]) => [k, String(v)] as [string, string]), files: [{ name: 'file', filename, bytes }], framing: 'ok' as const }));
}

/** A valid request by the route's schemas, then one or two hostile changes. */
function hostileRequest(route: RouteDef): fc.Arbitrary<TRequest> {
  const role = actingRole(route);
  const overrides = overridesFor(route, role);
  const part = (s: unknown, where: 'params' | 'query' | 'body') => (s ? validOf(s as z.ZodType, where, overrides) : fc.constant(undefined));
  // A route that takes an upload is sent one (or, when it also takes JSON, either).
  const upload = route.upload ? (route.body ? fc.option(validUpload(route, overrides), { nil: undefined }) : validUpload(route, overrides)) : fc.constant(undefined);
  const valid = fc.record({ params: part(route.params, 'params'), query: part(route.query, 'query'), body: part(route.body, 'body'), upload }).map(({ params, query, body, upload: multipart }): TRequest => ({
    params: (params ?? {}) as Record<string, string>,
    rawSegments: {},
    query: Object.entries((query ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
    body: multipart ? undefined : body,
    ...(multipart ? { multipart } : {}),
    hostile: [],
  }));
  const { common, json, upload: uploadChanges } = mutationsFor(route);
  const mutate = (r: TRequest) => fc.constantFrom(...common, ...(r.multipart ? uploadChanges : json)).chain((m) => m(r));
  return valid.chain(mutate).chain((r) => fc.boolean().chain((twice) => (twice ? mutate(r) : fc.constant(r))));
}

/** The bytes and content type of an upload, framed as `m.framing` says. */
function encodeMultipart(m: TMultipart): { contentType: string; bytes: Buffer } {
  const boundary = `----fol-${randomUUID()}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of m.fields) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  for (const f of m.files) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`), Buffer.from(f.bytes), Buffer.from('\r\n'));
  }
  const closing = Buffer.from(`--${boundary}--\r\n`);
  let bytes = Buffer.concat([...chunks, closing]);
  const { framing } = m;
  // Cut before the closing delimiter ends, so the form is always unfinished.
  if (typeof framing === 'object') bytes = bytes.subarray(0, Math.floor(framing.truncateAt * (bytes.length - closing.length + 2)));
  const contentType = framing === 'no-boundary' ? 'multipart/form-data'
    : framing === 'other-boundary' ? `multipart/form-data; boundary=----fol-${randomUUID()}`
    : framing === 'text/plain' ? 'text/plain'
    : `multipart/form-data; boundary=${boundary}`;
  return { contentType, bytes };
}

function send(route: RouteDef, r: TRequest) {
  const path = route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => r.rawSegments[name] ?? encodeURIComponent(r.params[name] ?? ''));
  const qs = r.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const role = actingRole(route);
  let req = h.http()[route.method](`/api/v1${path}${qs ? `?${qs}` : ''}`).timeout(10_000);
  if (r.cookie) req = req.set('Cookie', r.cookie);
  else if (role) req = req.set(auth(users[role].token));
  if (r.multipart) {
    const { contentType, bytes } = encodeMultipart(r.multipart);
    return req.set('Content-Type', contentType).send(bytes);
  }
  return route.body && route.method !== 'get' ? req.send(r.body as object) : req;
}

const CODES = Object.entries(ERROR_STATUS);
/** The contract's refusals that carry more than the error: a manifest with bad cells says what it read (`{rows, created, errors}`). */
const REFUSAL_EXTRAS: Record<string, string[]> = { '/imports': ['rows', 'created', 'errors'] };

describe('hostile input, generated from the route table', () => {
  it.each(ROUTES.map((route) => ({ route, name: `${route.method.toUpperCase()} ${route.path}` })))('when $name gets hostile variants, then each is a 4xx and nothing is written', async ({ route }) => {
    const before = await rowCounts();
    await fc.assert(
      fc.asyncProperty(hostileRequest(route), async (r) => {
        generated++;
        const res = await send(route, r);
        const what = `${r.hostile.join(' + ')} → ${res.status} ${res.text?.slice(0, 200)}`;
        expect(res.status, what).toBeGreaterThanOrEqual(400);
        expect(res.status, what).toBeLessThan(500);
        expect([['error'], ['error', ...(REFUSAL_EXTRAS[route.path] ?? [])]], what).toContainEqual(Object.keys(res.body ?? {}));
        expect(CODES, what).toContainEqual([res.body.error.code, res.status]);
        expect(await rowCounts(), what).toEqual(before);
      }),
      { numRuns: RUNS },
    );
  });
});
