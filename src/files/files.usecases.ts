import { createHash } from 'node:crypto';
import { appendAudit } from '../audit/audit.ts';
import type { AuthUser } from '../auth/sessions.ts';
import type { TFileKind } from '../domain/closed-sets.ts';
import { RESULT_STATUSES } from '../domain/sample-lifecycle.rules.ts';
import type { Db, Tx } from '../lib/db.ts';
import { AppError, conflict, HiddenRecord, notFound } from '../lib/errors.ts';
import { findVisibleSample } from '../samples/access.ts';
import { MalformedSpectrumError, parseSpectrumFile, UnsupportedSpectrumError } from '../spectra/spectrum-file.ts';
import { ACCEPTED_TYPES } from './media-type.ts';


type TFileRow = { id: string; sampleId: string; sha256: string; kind: string; filename: string; uploadedById: string; uploadedAt: Date };

export const fileView = (f: TFileRow, blob: { size: number; mediaType: string }) => ({
  id: f.id, sampleId: f.sampleId, sha256: f.sha256, size: blob.size, mediaType: blob.mediaType, kind: f.kind,
  filename: f.filename, uploadedBy: f.uploadedById, uploadedAt: f.uploadedAt,
});

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A kind promises what the file is: a spectrum must be one we can read, a photo an image. */
export function checkKind(kind: TFileKind, mediaType: string, bytes: Uint8Array): void {
  if (kind === 'SPECTRUM') {
    try {
      parseSpectrumFile(bytes);
    } catch (err) {
      if (err instanceof UnsupportedSpectrumError) throw new AppError('UNSUPPORTED_MEDIA_TYPE', `${err.message} (this file's content is ${mediaType}; attach it as OTHER to keep it as evidence)`);
      if (err instanceof MalformedSpectrumError) throw new AppError('VALIDATION_FAILED', err.message, [{ path: 'body.file', message: err.message }]);
      throw err;
    }
    return;
  }
  const accepted = ACCEPTED_TYPES[kind];
  if (accepted && !accepted.includes(mediaType)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `A ${kind} file must be ${accepted.join(', ')}; this file's content is ${mediaType}`);
  }
}

/**
 * Attaches a file to a sample as evidence: the bytes are stored once per SHA-256 (the database checks
 * the hash), the attachment and its audit entry commit together. The same bytes sent again for the
 * same sample answer the existing attachment (200) and are audited as a repeat.
 */
export async function attachFile(tx: Tx, sampleId: string, input: { bytes: Buffer; filename: string; kind: TFileKind; mediaType: string }, user: AuthUser, now: Date) {
  const sample = await tx.sample.findUnique({ where: { id: sampleId }, select: { status: true } });
  if (!sample) throw notFound('Sample');
  if (RESULT_STATUSES.includes(sample.status)) throw conflict(`Files cannot be attached to a sample in ${sample.status}: its results are locked`);
  const sha256 = sha256Hex(input.bytes);
  await tx.fileBlob.createMany({ data: [{ sha256, size: input.bytes.length, mediaType: input.mediaType, bytes: new Uint8Array(input.bytes) }], skipDuplicates: true });
  const blob = (await tx.fileBlob.findUnique({ where: { sha256 }, select: { size: true, mediaType: true } }))!;
  const actor = { id: user.id, role: user.role };
  const existing = await tx.sampleFile.findUnique({ where: { sampleId_sha256: { sampleId, sha256 } } });
  if (existing) {
    const view = fileView(existing, blob);
    await appendAudit(tx, { actor, action: 'file.upload-repeat', entityType: 'SampleFile', entityId: existing.id, after: { ...view, sentAs: input.filename } }, now);
    return { status: 200, body: view };
  }
  const filename = input.filename.replace(/[\u0000-\u001f\u007f/\\]/g, '_').slice(0, 255) || 'upload';
  const created = await tx.sampleFile.create({ data: { sampleId, sha256, kind: input.kind, filename, uploadedById: user.id, uploadedAt: now } });
  const view = fileView(created, blob);
  await appendAudit(tx, { actor, action: 'file.attach', entityType: 'SampleFile', entityId: created.id, after: view }, now);
  return { status: 201, body: view };
}

/** The attachment with its bytes, when the caller may see its sample; otherwise 404 as if absent. */
export async function findVisibleFile(db: Db, user: AuthUser, id: string, withBytes: boolean) {
  const file = await db.sampleFile.findUnique({ where: { id }, include: { blob: { select: { size: true, mediaType: true, bytes: withBytes } } } });
  if (!file) throw notFound('File');
  await findVisibleSample(db, user, file.sampleId).catch((err: unknown) => {
    throw err instanceof HiddenRecord ? new HiddenRecord('File') : err;
  });
  return file;
}
