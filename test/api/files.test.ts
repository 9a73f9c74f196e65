import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, sampleBody, seizureBody, startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
let tech: Awaited<ReturnType<Harness['user']>>;
let manager: Awaited<ReturnType<Harness['user']>>;
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a0e2a0a20000000049454e44ae426082', 'hex');
const CSV = Buffer.from('m/z,intensity\n58,999\n91,120\n134,40\n');

beforeAll(async () => {
  h = await startHarness({ kind: 'api', env: { FILE_MAX_MB: '0.05' } });
  [tech, manager] = [await h.user('TECHNICIAN'), await h.user('MANAGER')];
});
afterAll(() => h?.stop());

async function newSample(seizureId?: string) {
  const seizure = seizureId ?? (await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody())).body.id;
  return (await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure))).body as { id: string; seizureId: string };
}

const upload = (sampleId: string, bytes: Buffer, filename: string, kind: string, token = tech.token) =>
  h.http().post(`/api/v1/samples/${sampleId}/files`).set(auth(token)).field('kind', kind).attach('file', bytes, { filename, contentType: 'application/octet-stream' });

describe('files attached to samples', () => {
  it('when a photo is uploaded, then it is stored by SHA-256 with its media type read from the content, audited, listed and downloadable byte for byte', async () => {
    const s = await newSample();
    const res = await upload(s.id, PNG, 'bag-front.jpg', 'PHOTO');
    const sha256 = createHash('sha256').update(PNG).digest('hex');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ sha256, size: PNG.length, mediaType: 'image/png', kind: 'PHOTO', filename: 'bag-front.jpg', uploadedBy: tech.id });
    const list = await h.http().get(`/api/v1/samples/${s.id}/files`).set(auth(manager.token));
    expect(list.body.items.map((f: { id: string }) => f.id)).toEqual([res.body.id]);
    const name = (await h.sql<{ name: string }>('SELECT name FROM "User" WHERE id = $1', [tech.id]))[0]!.name;
    expect(list.body.items[0]).toMatchObject({ uploadedBy: tech.id, uploadedByName: name });
    const down = await h.http().get(`/api/v1/files/${res.body.id}`).set(auth(manager.token)).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(down.status).toBe(200);
    expect(down.headers['content-type']).toBe('image/png');
    expect(down.headers.etag).toBe(`"${sha256}"`);
    expect(Buffer.compare(down.body as Buffer, PNG)).toBe(0);
    const audit = await h.sql<{ action: string; actorId: string }>(`SELECT action, "actorId"::text AS "actorId" FROM "AuditEntry" WHERE "entityId" = $1`, [res.body.id]);
    expect(audit).toEqual([{ action: 'file.attach', actorId: tech.id }]);
  });

  it('when the same bytes are uploaded again, to the same sample and to another, then they are stored once; the repeat answers the first attachment and is audited', async () => {
    const [a, b] = [await newSample(), await newSample()];
    const bytes = Buffer.from(`41,10\n58,999\n${randomUUID().length}\n`.replace(/\n36\n$/, '\n72,5\n'));
    const first = await upload(a.id, bytes, 'run1.csv', 'SPECTRUM');
    const again = await upload(a.id, bytes, 'run1-copy.csv', 'SPECTRUM');
    const other = await upload(b.id, bytes, 'run1.csv', 'SPECTRUM');
    expect([first.status, again.status, other.status]).toEqual([201, 200, 201]);
    expect(again.body.id).toBe(first.body.id);
    expect(other.body.id).not.toBe(first.body.id);
    expect(await h.sql('SELECT count(*)::int AS n FROM "FileBlob" WHERE sha256 = $1', [first.body.sha256])).toEqual([{ n: 1 }]);
    const actions = await h.sql<{ action: string }>(`SELECT action FROM "AuditEntry" WHERE "entityId" = $1 ORDER BY id`, [first.body.id]);
    expect(actions.map((x) => x.action)).toEqual(['file.attach', 'file.upload-repeat']);
  });

  it('when a file is over FILE_MAX_MB, then 413 and nothing is stored', async () => {
    const s = await newSample();
    const res = await upload(s.id, Buffer.alloc(60 * 1024, 7), 'big.bin', 'OTHER');
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await h.sql('SELECT count(*)::int AS n FROM "SampleFile" WHERE "sampleId" = $1', [s.id])).toEqual([{ n: 0 }]);
  });

  it.each([
    ['a PNG called spectrum.csv as SPECTRUM', PNG, 'spectrum.csv', 'SPECTRUM'],
    ['a CSV called photo.jpg as PHOTO', CSV, 'photo.jpg', 'PHOTO'],
  ])('when %s is uploaded, then 415 names what the content is', async (_what, bytes, filename, kind) => {
    const s = await newSample();
    const res = await upload(s.id, bytes, filename, kind);
    expect(res.status).toBe(415);
    expect(res.body.error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringMatching(/image\/png|text\/csv/) });
  });

  it('when the body is JSON rather than multipart, or the kind is missing, then 415 and 400', async () => {
    const s = await newSample();
    expect((await h.http().post(`/api/v1/samples/${s.id}/files`).set(auth(tech.token)).send({ file: 'x' })).status).toBe(415);
    const noKind = await h.http().post(`/api/v1/samples/${s.id}/files`).set(auth(tech.token)).attach('file', CSV, 'a.csv');
    expect(noKind.status).toBe(400);
    expect(noKind.body.error.details[0].path).toBe('body.kind');
  });

  it('when an investigator asks for a file of a sample off their cases, then 404 as if absent; on their case, then 200', async () => {
    const agent = await h.user('INVESTIGATOR');
    const mine = await newSample();
    const theirs = await newSample();
    const kase = await h.deps.db.case.create({ data: { caseNumber: `HSI-2604-2026-F${randomUUID().slice(0, 6)}`, portCode: '2604', assigneeId: agent.id } });
    await h.deps.db.seizure.update({ where: { id: mine.seizureId }, data: { caseId: kase.id } });
    const [fMine, fTheirs] = [(await upload(mine.id, PNG, 'a.png', 'PHOTO')).body, (await upload(theirs.id, PNG, 'b.png', 'PHOTO')).body];
    expect((await h.http().get(`/api/v1/files/${fMine.id}`).set(auth(agent.token))).status).toBe(200);
    for (const path of [`/files/${fTheirs.id}`, `/files/${fTheirs.id}/spectrum`, `/samples/${theirs.id}/files`]) {
      const res = await h.http().get(`/api/v1${path}`).set(auth(agent.token));
      expect(res.status, path).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain(fTheirs.sha256);
    }
    expect((await upload(mine.id, PNG, 'c.png', 'PHOTO', agent.token)).status).toBe(403);
  });

  it('when the application role tries to change or delete stored bytes or attachments, then the database refuses', async () => {
    for (const sql of [`UPDATE "FileBlob" SET "mediaType" = 'text/plain'`, `DELETE FROM "SampleFile"`, `TRUNCATE "FileBlob" CASCADE`]) {
      await expect(h.sql(sql), sql).rejects.toThrow(/append-only/);
    }
    await expect(h.sql(`INSERT INTO "FileBlob" (sha256, size, "mediaType", bytes) VALUES (repeat('0', 64), 3, 'text/plain', 'abc')`)).rejects.toThrow(/FileBlob_content_address/);
  });
});
