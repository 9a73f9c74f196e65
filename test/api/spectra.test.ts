import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNoise } from '../support/spectral-noise.ts';
import { recordNamed, SWGDRUG_PATH } from '../support/swgdrug.ts';
import { auth, eventually, sampleBody, seizureBody, startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
let admin: Awaited<ReturnType<Harness['user']>>;
let tech: Awaited<ReturnType<Harness['user']>>;
let swgdrug: { id: string; version: number; sha256: string };
const MINI = Buffer.from('Name: Fentanyl\nCASNO: 437387\nNum Peaks: 3\n146 999; 189 180; 245 260\n\nName: Not a drug\nNum Peaks: 2\n41 999; 43 200\n');
const csv = (peaks: readonly (readonly [number, number])[]) => Buffer.from(`m/z,intensity\n${peaks.map(([m, i]) => `${m},${i.toFixed(2)}`).join('\n')}\n`);

const importLibrary = (bytes: Buffer, name: string, token = admin.token) =>
  h.http().post('/api/v1/spectral-libraries').set(auth(token)).field('name', name).attach('file', bytes, 'library.msp');

beforeAll(async () => {
  h = await startHarness();
  [admin, tech] = [await h.user('ADMIN'), await h.user('TECHNICIAN')];
  // The small library first, so the SWGDRUG import is the newest: searches without a name use it.
  expect((await importLibrary(MINI, 'Mini')).status).toBe(201);
  const res = await importLibrary(readFileSync(SWGDRUG_PATH), 'SWGDRUG');
  expect(res.status).toBe(201);
  swgdrug = res.body;
}, 300_000);
afterAll(() => h?.stop());

async function newSample() {
  const seizure = (await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody())).body;
  return (await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id))).body as { id: string };
}

describe('spectral libraries', () => {
  it('when an administrator imports the SWGDRUG MSP, then it is version 1 with its SHA-256, 2,988 records, the catalogue links and an audit entry; importing it again answers the same version', async () => {
    expect(swgdrug).toMatchObject({ name: 'SWGDRUG', version: 1, format: 'MSP', recordCount: 2988, importedBy: admin.id });
    expect(swgdrug.sha256).toMatch(/^[0-9a-f]{64}$/);
    const again = await importLibrary(readFileSync(SWGDRUG_PATH), 'SWGDRUG again');
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(swgdrug.id);
    const audit = await h.sql<{ action: string; actorId: string }>(`SELECT action, "actorId"::text AS "actorId" FROM "AuditEntry" WHERE "entityId" = $1`, [swgdrug.id]);
    expect(audit).toEqual([{ action: 'spectral-library.import', actorId: admin.id }]);
    const list = await h.http().get('/api/v1/spectral-libraries').set(auth(tech.token));
    expect(list.body.items.map((l: { name: string; version: number }) => `${l.name} v${l.version}`)).toEqual(['SWGDRUG v1', 'Mini v1']);
  });

  it('when a technician imports, or the file is not MSP, then 403 and 415', async () => {
    expect((await importLibrary(MINI, 'Mini', tech.token)).status).toBe(403);
    expect((await importLibrary(csv([[41, 1]]), 'Mini')).status).toBe(415);
    expect((await h.sql('SELECT count(*)::int AS n FROM "SpectralLibrary"'))[0]).toEqual({ n: 2 });
  });
});

describe('POST /spectra/search', () => {
  it('when JSON peaks of fentanyl are searched, then the answer has the library, the algorithm, and fentanyl at rank 1 linked to the catalogue', async () => {
    const res = await h.http().post('/api/v1/spectra/search').set(auth(tech.token)).send({ peaks: recordNamed('Fentanyl').peaks });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ library: { name: 'SWGDRUG', version: 1, sha256: swgdrug.sha256 }, algorithm: { name: 'nist-composite-1994', params: { massExponent: 3, intensityExponent: 0.6 } }, isomerAmbiguous: false });
    expect(res.body.hits).toHaveLength(10);
    expect(res.body.hits[0]).toMatchObject({ rank: 1, name: 'Fentanyl', casNo: '437-38-7', formula: 'C22H28N2O', substance: { id: 'fentanyl', category: 'FENTANYL' }, matchFactor: 999, reverseMatchFactor: 999, entropySimilarity: 1 });
    const record = await h.http().get(`/api/v1/spectral-records/${res.body.hits[0].recordId}`).set(auth(tech.token));
    const base = [...recordNamed('Fentanyl').peaks].sort((x, y) => y[1] - x[1])[0]![0];
    expect(record.body).toMatchObject({ name: 'Fentanyl', peaks: expect.arrayContaining([[base, 999]]) });
  });

  it('when a JCAMP-DX file of cocaine is uploaded, or a named library is asked for, then each is searched', async () => {
    const peaks = recordNamed('Cocaine').peaks.map(([m, i]) => `${m},${i}`).join(' ');
    const jcamp = Buffer.from(`##TITLE=unknown 7\n##JCAMP-DX=4.24\n##DATA TYPE=MASS SPECTRUM\n##PEAK TABLE=(XY..XY)\n${peaks}\n##END=\n`);
    const res = await h.http().post('/api/v1/spectra/search').set(auth(tech.token)).attach('file', jcamp, 'run7.jdx');
    expect(res.body.hits[0]).toMatchObject({ name: 'Cocaine', substance: { id: 'cocaine' } });
    const mini = await h.http().post('/api/v1/spectra/search').set(auth(tech.token)).send({ peaks: [[146, 999], [189, 180], [245, 260]], library: 'Mini' });
    expect(mini.body).toMatchObject({ library: { name: 'Mini' }, hits: [{ name: 'Fentanyl', matchFactor: 999 }] });
  });

  it('when the upload is not a spectrum, the JSON is wrong, or an investigator asks, then 415, 400 and 403', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200', 'hex');
    expect((await h.http().post('/api/v1/spectra/search').set(auth(tech.token)).attach('file', png, 'x.csv')).status).toBe(415);
    const bad = await h.http().post('/api/v1/spectra/search').set(auth(tech.token)).send({ peaks: [[41]], extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['body', 'body.peaks.0']));
    const agent = await h.user('INVESTIGATOR');
    expect((await h.http().post('/api/v1/spectra/search').set(auth(agent.token)).send({ peaks: [[41, 1]] })).status).toBe(403);
  });
});

describe('a test result from an attached spectrum', () => {
  it('when a GC-MS test gives fileId of a noisy fentanyl spectrum, then the service computes and stores the hits and classification treats them like any hit', async () => {
    const s = await newSample();
    const file = (await h.http().post(`/api/v1/samples/${s.id}/files`).set(auth(tech.token)).field('kind', 'SPECTRUM')
      .attach('file', csv(addNoise(recordNamed('Fentanyl').peaks, 7, { contaminant: false })), 'run-12.csv')).body;
    const res = await h.http().post(`/api/v1/samples/${s.id}/tests`).set(auth(tech.token)).send({ technique: 'GC_MS', outcome: 'POSITIVE', fileId: file.id, instrument: 'Agilent 5977' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ hitsOrigin: 'COMPUTED', fileId: file.id, dataRef: `sha256:${file.sha256}`, spectralSearch: { library: { id: swgdrug.id, version: 1 }, algorithm: { name: 'nist-composite-1994' }, isomerAmbiguous: false } });
    expect(res.body.hits[0]).toMatchObject({ substance: 'fentanyl', libraryName: 'Fentanyl', rank: 1 });
    expect(res.body.hits[0].score).toBeCloseTo(res.body.hits[0].matchFactor / 999, 4);
    const typed = await h.http().post(`/api/v1/samples/${s.id}/tests`).set(auth(tech.token)).send({ technique: 'FTIR', outcome: 'POSITIVE', hits: [{ substance: 'fentanyl', score: 0.91 }], dataRef: 'ftir-3' });
    expect(typed.body).toMatchObject({ hitsOrigin: 'ENTERED', fileId: null, spectralSearch: null });
    const sample = await eventually(async () => {
      const r = await h.http().get(`/api/v1/samples/${s.id}`).set(auth(tech.token));
      return r.body.classification?.testCount === 2 && r.body;
    }, 'classification of both tests');
    expect(sample.classification).toMatchObject({ category: 'FENTANYL', level: 'IDENTIFIED' });
    expect(sample.classification.components[0].techniques).toEqual(expect.arrayContaining(['GC_MS', 'FTIR']));
    expect(sample.tests.map((t: { hitsOrigin: string }) => t.hitsOrigin)).toEqual(['COMPUTED', 'ENTERED']);
  });

  it('when fileId names another sample\'s file, a photo, or goes with a non-MS technique or typed hits, then 400 and no test', async () => {
    const [a, b] = [await newSample(), await newSample()];
    const spectrum = (await h.http().post(`/api/v1/samples/${b.id}/files`).set(auth(tech.token)).field('kind', 'SPECTRUM').attach('file', csv([[58, 999], [91, 50]]), 's.csv')).body;
    for (const body of [
      { technique: 'GC_MS', outcome: 'POSITIVE', fileId: spectrum.id },
      { technique: 'FTIR', outcome: 'POSITIVE', fileId: spectrum.id },
      { technique: 'GC_MS', outcome: 'POSITIVE', fileId: spectrum.id, hits: [{ substance: 'fentanyl', score: 0.9 }] },
    ]) {
      const res = await h.http().post(`/api/v1/samples/${a.id}/tests`).set(auth(tech.token)).send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(await h.sql('SELECT count(*)::int AS n FROM "Test" WHERE "sampleId" = $1', [a.id])).toEqual([{ n: 0 }]);
  });
});
