import { z } from 'zod';
import { defineRoute, ok } from '../http/route.ts';
import { FILE_KINDS } from '../domain/closed-sets.ts';
import { findVisibleSample } from '../samples/access.ts';
import { ZIdParam } from '../http/params.ts';
import { AppError } from '../lib/errors.ts';
import { parseSpectrumFile } from '../spectra/spectrum-file.ts';
import { toPeakList } from '../spectra/spectrum.ts';
import { attachFile, checkKind, fileView, findVisibleFile } from './files.usecases.ts';
import { detectMediaType, INLINE_TYPES } from './media-type.ts';

const fileMaxBytes = (c: { FILE_MAX_MB: number }) => c.FILE_MAX_MB * 2 ** 20;

export const fileRoutes = [
  defineRoute({
    method: 'post', path: '/samples/:id/files', tag: 'Files', roles: ['TECHNICIAN'], params: ZIdParam,
    summary: 'Attach a file to a sample (multipart: file, kind = SPECTRUM | PHOTO | INSTRUMENT_REPORT | OTHER)',
    upload: { fields: z.strictObject({ kind: z.enum(FILE_KINDS) }), file: 'the file (at most FILE_MAX_MB)', maxBytes: fileMaxBytes },
    handler: async ({ params, user, deps, write, upload }) => {
      const { bytes, filename, fields } = await upload();
      const mediaType = await detectMediaType(bytes);
      checkKind(fields.kind, mediaType, bytes);
      return write((tx) => attachFile(tx, params.id, { bytes, filename, kind: fields.kind, mediaType }, user, deps.clock.now()));
    },
  }),
  defineRoute({
    method: 'get', path: '/samples/:id/files', tag: 'Files', summary: 'List the files attached to a sample', roles: 'any', params: ZIdParam,
    handler: async ({ params, user, deps }) => {
      await findVisibleSample(deps.db, user, params.id);
      const files = await deps.db.sampleFile.findMany({ where: { sampleId: params.id }, orderBy: { uploadedAt: 'asc' }, include: { blob: { select: { size: true, mediaType: true } } } });
      // Evidence names who attached it for every reader, as the chain of custody does (also those since disabled).
      const names = new Map((await deps.db.user.findMany({ where: { id: { in: [...new Set(files.map((f) => f.uploadedById))] } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
      return ok({ items: files.map((f) => ({ ...fileView(f, f.blob), uploadedByName: names.get(f.uploadedById) ?? null })), nextCursor: null });
    },
  }),
  defineRoute({
    method: 'get', path: '/files/:id', tag: 'Files', summary: 'Download an attached file (its bytes as stored)', roles: 'any', params: ZIdParam, produces: ['application/octet-stream'],
    handler: async ({ params, user, deps, res }) => {
      const f = await findVisibleFile(deps.db, user, params.id, true);
      const disposition = INLINE_TYPES.has(f.blob.mediaType) ? 'inline' : 'attachment';
      const ascii = f.filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
      res.status(200)
        .setHeader('Content-Type', f.blob.mediaType)
        .setHeader('Content-Length', String(f.blob.size))
        .setHeader('Content-Disposition', `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(f.filename)}`)
        .setHeader('ETag', `"${f.sha256}"`)
        .setHeader('Digest', `sha-256=${Buffer.from(f.sha256, 'hex').toString('base64')}`)
        .setHeader('Cache-Control', 'private, no-store')
        .end(Buffer.from(f.blob.bytes!));
      return undefined;
    },
  }),
  defineRoute({
    method: 'get', path: '/files/:id/spectrum', tag: 'Files', summary: 'The peaks of an attached spectrum, nominal m/z, base peak 999 (for plots)', roles: 'any', params: ZIdParam,
    handler: async ({ params, user, deps }) => {
      const f = await findVisibleFile(deps.db, user, params.id, true);
      if (f.kind !== 'SPECTRUM') throw new AppError('CONFLICT', 'That file is not a spectrum');
      const parsed = parseSpectrumFile(f.blob.bytes!);
      return ok({ fileId: f.id, format: parsed.format, name: parsed.name, peaks: toPeakList(parsed.spectrum) });
    },
  }),
];
