import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, eventually, startHarness, type Harness, type TBackend } from '../support/harness.ts';
import { openEventStream } from '../support/sse.ts';

type TUser = Awaited<ReturnType<Harness['user']>>;
const EXAMPLE = readFileSync(path.resolve(import.meta.dirname, '../../docs/imports/manifest-example.csv'));
const HEADER = 'seizureNumber,portCode,seizedAt,exhibitNumber,exhibitDescription,netWeightKg,vin,sampleForm,sampleDescription,sampleGrossWeightG,sealNumber';

const pdfPages = (b: Buffer) => Number(/\/Count (\d+)/.exec(b.toString('latin1'))?.[1]);
const binary = (req: any) => req.buffer(true).parse((res: NodeJS.ReadableStream, done: (e: null, b: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
});

describe.each<TBackend>(['postgres', 'redis'])('manifest intake on the %s queue backend', (backend) => {
  let h: Harness;
  let tech: TUser;
  beforeAll(async () => {
    h = await startHarness({ kind: 'all', backend, env: { IMPORT_SYNC_ROWS: '5' } });
    tech = await h.user('TECHNICIAN');
  });
  afterAll(() => h?.stop());

  const upload = (file: Buffer, name = 'manifest.csv', q = '') => h.http().post(`/api/v1/imports${q}`).set(auth(tech.token)).attach('file', file, name);
  const counts = async () => (await h.sql<{ s: number; e: number; p: number; o: number }>(`SELECT (SELECT count(*) FROM "Seizure")::int s, (SELECT count(*) FROM "Exhibit")::int e, (SELECT count(*) FROM "Sample")::int p, (SELECT count(*) FROM "Observable")::int o`))[0];

  it('when a file has bad cells, then every one is listed as {row, column, message} and nothing is created', async () => {
    const csv = [
      `${HEADER},shoeSize`,
      'SZ-BAD-1,9999,2026-11-20 10:00,1,bricks,heavy,1M8GDM9AOKP042788,POWDER,aliquot,12,SEAL-1,',
      'SZ-BAD-1,2604,2026-11-20 10:00,1,,2,,,,,,',
      'SZ-BAD-2,2604,yesterday,1,bricks,3,,TABLET,tablets,,SEAL-3,',
    ].join('\n');
    const before = await counts();
    const res = await upload(Buffer.from(csv));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors).toEqual([
      { row: 1, column: 'shoeSize', message: expect.stringMatching(/^unknown column/) },
      { row: 2, column: 'netWeightKg', message: 'a number from 0 to 1000000' },
      { row: 2, column: 'portCode', message: 'no port 9999' },
      { row: 2, column: 'vin', message: '1M8GDM9AOKP042788: a VIN is 17 letters and digits without I, O or Q' },
      { row: 3, column: 'exhibitDescription', message: 'required' },
      { row: 3, column: 'exhibitNumber', message: 'exhibit 1 of seizure SZ-BAD-1 is already on row 2' },
      { row: 3, column: 'portCode', message: 'differs from row 2 for seizure SZ-BAD-1' },
      { row: 4, column: 'sampleGrossWeightG', message: 'required when the row carries a sample' },
      { row: 4, column: 'seizedAt', message: 'a date and time (ISO 8601, UTC unless a zone is given)' },
    ]);
    expect(res.body.error.details).toEqual(res.body.errors);
    expect(await counts()).toEqual(before);
    const dry = await upload(Buffer.from(csv), 'manifest.csv', '?dryRun=true');
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, rows: 3, created: 0, errors: res.body.errors });
  });

  it('when a cell holds a NUL character or a date the record cannot hold, then each is a bad cell and nothing is created', async () => {
    const csv = [
      HEADER,
      'SZ-HOSTILE-1,2604,0000-01-01 10:00,1,bricks,1,,,,,',
      'SZ-HOSTILE-2,2604,2026-11-20 10:00,1,brick\u0000s,1,,,,,',
    ].join('\n');
    const before = await counts();
    const res = await upload(Buffer.from(csv));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { row: 2, column: 'seizedAt', message: 'must lie between 1900-01-01 and 9999-12-31 (UTC)' },
      { row: 3, column: 'exhibitDescription', message: 'contains a NUL character (U+0000)' },
    ]);
    expect(await counts()).toEqual(before);
  });

  it('when the example file is dry-run, imported, then sent again, then it is checked, created once with its labels, and the repeat creates nothing', async () => {
    const dry = await upload(EXAMPLE, 'manifest-example.csv', '?dryRun=true');
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ rows: 3, errors: [], wouldCreate: { seizures: 2, exhibits: 3, samples: 3 } });
    const before = await counts();
    const res = await upload(EXAMPLE, 'manifest-example.csv');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'COMPLETED', rows: 3, created: 3, seizures: 2, samples: 3, errors: [] });
    const after = await counts();
    expect(after).toEqual({ s: before!.s + 2, e: before!.e + 3, p: before!.p + 3, o: before!.o + 11 });
    const seizure = await h.deps.db.seizure.findUniqueOrThrow({ where: { seizureNumber: 'SZ-2604-2026-EX0001' }, include: { observables: true, exhibits: true, samples: true } });
    expect(seizure.observables.map((o) => `${o.kind}=${o.normalized}`).sort()).toEqual([
      'PACKAGING_MARKING=SCORPIONSTAMP', 'PERSON=GARCIA JUAN LOPEZ', 'PHONE=+526621234567', 'PILL_COLOR=blue', 'PILL_IMPRINT=M30', 'PILL_SHAPE=round', 'VEHICLE_PLATE=SON-ABC1234', 'VIN=1M8GDM9AXKP042788',
    ]);
    expect(seizure.samples.map((s) => seizure.exhibits.find((e) => e.id === s.exhibitId)?.exhibitNumber).sort()).toEqual(['1', '2']);
    expect(seizure.subjectInCustody).toBe(true);

    const again = await upload(EXAMPLE, 'copy-of-manifest.csv');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicateOf: res.body.id, created: 0 });
    // An edited copy (one more row, different bytes): the rows already imported are skipped, only the new exhibit is added.
    const edited = Buffer.concat([EXAMPLE, Buffer.from('SZ-2504-2026-EX0002,2504,2026-11-21 09:30,COMMERCIAL_TRUCK,no,Drums declared as industrial solvent,,2,third drum,1,200,steel drum,,,,,,,,,,,,,,,\n')]);
    const more = await upload(edited);
    expect(more.status).toBe(201);
    expect(more.body).toMatchObject({ created: 1, skipped: 3, seizures: 0, samples: 0 });
    expect(await counts()).toMatchObject({ s: after!.s, e: after!.e + 1, p: after!.p });

    const labels = await binary(h.http().get(`/api/v1/imports/${res.body.id}/labels`).set(auth(tech.token)));
    expect(labels.status).toBe(200);
    expect(labels.headers['content-type']).toBe('application/pdf');
    expect(pdfPages(labels.body)).toBe(3);
    expect(labels.body.toString('latin1')).toMatch(/\/MediaBox \[0 0 288 144\]/);
  });

  it('when the file is an XLSX workbook, then it is read like the CSV (dates as dates, numbers as numbers)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('manifest');
    ws.addRow(HEADER.split(','));
    ws.addRow(['SZ-XLSX-0001', '2303', new Date('2026-11-22T08:15:00Z'), 1, 'crystal in fuel tank', 21.5, '', 'CRYSTAL', 'aliquot', 30, 'SEAL-X1']);
    const res = await upload(Buffer.from(await wb.xlsx.writeBuffer()), 'manifest.xlsx');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ format: 'xlsx', created: 1, samples: 1 });
    const s = await h.deps.db.seizure.findUniqueOrThrow({ where: { seizureNumber: 'SZ-XLSX-0001' }, include: { exhibits: true } });
    expect(s.seizedAt.toISOString()).toBe('2026-11-22T08:15:00.000Z');
    expect(s.exhibits[0]!.netWeightKg).toBe(21.5);
  });

  it('when a file is larger than the synchronous limit, then it runs as a job with progress on the live stream, all at once', async () => {
    const lines = [HEADER, ...Array.from({ length: 12 }, (_, i) => `SZ-BIG-${backend}-${i},2305,2026-11-23 10:00,1,bag ${i},1.5,,POWDER,aliquot,5,SEAL-B${i}`)];
    const stream = await openEventStream(`${h.url}/api/v1/notifications/stream`, tech.token);
    try {
      const res = await upload(Buffer.from(lines.join('\n')));
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ status: 'QUEUED', rows: 12 });
      const done = await eventually(async () => {
        const r = (await h.http().get(`/api/v1/imports/${res.body.id}`).set(auth(tech.token))).body;
        return r.status === 'COMPLETED' && r;
      }, 'import job completed', 60_000);
      expect(done).toMatchObject({ created: 12, seizures: 12, samples: 12 });
      await eventually(async () => stream.events.some((e) => e.event === 'import' && (e.data as { status: string }).status === 'COMPLETED'), 'completion on the stream');
      const progress = stream.events.filter((e) => e.event === 'import').map((e) => e.data as { importId: string; done: number; total: number });
      expect(progress.every((p) => p.importId === res.body.id && p.total === 12)).toBe(true);
      expect(progress.some((p) => p.done > 0 && p.done < 12)).toBe(true);
    } finally {
      await stream.close();
    }
  });

  it('when the body is not multipart, then it is a 415', async () => {
    const res = await h.http().post('/api/v1/imports').set(auth(tech.token)).send({ file: 'x' });
    expect(res.status).toBe(415);
  });
});
