import busboy from 'busboy';
import type { Request } from 'express';
import type { z } from 'zod';
import { AppError } from '../lib/errors.ts';
import { zodDetails } from './errors.ts';
import { findIllFormedText } from './input-rules.ts';

export type TUpload<F = Record<string, string>> = { bytes: Buffer; filename: string; fields: F };

const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', 'Invalid request body', [{ path, message }]);

/**
 * Reads a multipart/form-data request with one file part named `file` (busboy, streaming, so an
 * oversized upload is cut off at the limit instead of being buffered whole) and the text fields a
 * route declares (`upload.fields` in the route table, a zod object). The text rule of every request
 * value (input-rules.ts) applies to the field values and the file name; the fields are then parsed
 * by their schema. Anything else — not multipart, no boundary, a truncated body, an unknown field,
 * a second file — is a 4xx.
 */
export function readMultipart<S extends z.ZodType<Record<string, unknown>>>(req: Request, opts: { maxBytes: number; fields: S }): Promise<TUpload<z.infer<S>>> {
  if (!req.is('multipart/form-data')) {
    return Promise.reject(new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data, in a part named "file"'));
  }
  const names = Object.keys((opts.fields as unknown as { shape?: Record<string, unknown> }).shape ?? {});
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let file: { chunks: Buffer[]; filename: string; size: number } | null = null;
    let failed: AppError | null = null;
    // The rest of the body is still read (and dropped) so the client receives the answer cleanly.
    const fail = (err: AppError) => {
      failed ??= err;
    };
    let parser: busboy.Busboy;
    try {
      // busboy needs a whole number of bytes (FILE_MAX_MB may be fractional).
      parser = busboy({ headers: req.headers, limits: { fileSize: Math.floor(opts.maxBytes), files: 1, fields: 10, fieldSize: 10_000, parts: 12 } });
    } catch {
      // A content type busboy cannot read (no boundary, say): the body is not valid multipart.
      req.resume();
      return reject(invalid('body', 'not valid multipart/form-data (a boundary is required)'));
    }
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || file) {
        stream.resume();
        return fail(invalid(`body.${name}`, 'one file, in a part named "file"'));
      }
      file = { chunks: [], filename: info.filename ?? 'upload', size: 0 };
      stream.on('data', (chunk: Buffer) => {
        if (failed) return;
        file!.chunks.push(chunk);
        file!.size += chunk.length;
      });
      stream.on('limit', () => fail(new AppError('PAYLOAD_TOO_LARGE', `The file is larger than ${(opts.maxBytes / 2 ** 20).toFixed(2).replace(/\.?0+$/, '')} MiB`)));
    });
    parser.on('field', (name, value) => {
      if (!names.includes(name)) return fail(invalid(`body.${name}`, `unknown field; expected ${['file', ...names].join(', ')}`));
      fields[name] = value;
    });
    parser.on('partsLimit', () => fail(invalid('body', 'too many parts in the form')));
    parser.on('fieldsLimit', () => fail(invalid('body', 'too many fields in the form')));
    parser.on('filesLimit', () => fail(invalid('body', 'one file, in a part named "file"')));
    parser.on('error', () => reject(failed ?? invalid('body', 'not valid multipart/form-data')));
    parser.on('close', () => {
      if (failed) return reject(failed);
      if (!file) return reject(invalid('body.file', 'a file part named "file" is required'));
      const f = file as { chunks: Buffer[]; filename: string; size: number };
      if (f.size === 0) return reject(invalid('body.file', 'the file is empty'));
      const bad = findIllFormedText(fields, 'body') ?? findIllFormedText(f.filename, 'body.file (its name)');
      if (bad) return reject(new AppError('VALIDATION_FAILED', 'Invalid request body', [bad]));
      const parsed = opts.fields.safeParse(fields);
      if (!parsed.success) return reject(new AppError('VALIDATION_FAILED', 'Invalid request body', zodDetails(parsed.error, 'body')));
      resolve({ bytes: Buffer.concat(f.chunks), filename: f.filename, fields: parsed.data });
    });
    req.pipe(parser);
  });
}
