import busboy from 'busboy';
import type { Request } from 'express';
import { AppError } from '../lib/errors.ts';

export type TUpload = { bytes: Buffer; filename: string; fields: Record<string, string> };

/**
 * Reads a multipart/form-data request with one file part named `file` (busboy, streaming, so an
 * oversized upload is cut off at the limit instead of being buffered whole) and a few text fields.
 */
export function readMultipart(req: Request, opts: { maxBytes: number; fields: readonly string[] }): Promise<TUpload> {
  if (!req.is('multipart/form-data')) {
    return Promise.reject(new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data, in a part named "file"'));
  }
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let file: { chunks: Buffer[]; filename: string; size: number } | null = null;
    let failed: AppError | null = null;
    // The rest of the body is still read (and dropped) so the client receives the answer cleanly.
    const fail = (err: AppError) => {
      failed ??= err;
    };
    // busboy needs a whole number of bytes (FILE_MAX_MB may be fractional).
    const parser = busboy({ headers: req.headers, limits: { fileSize: Math.floor(opts.maxBytes), files: 1, fields: 10, fieldSize: 10_000, parts: 12 } });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || file) {
        stream.resume();
        return fail(new AppError('VALIDATION_FAILED', 'Invalid request body', [{ path: `body.${name}`, message: 'one file, in a part named "file"' }]));
      }
      file = { chunks: [], filename: info.filename ?? 'upload', size: 0 };
      stream.on('data', (chunk: Buffer) => {
        if (failed) return;
        file!.chunks.push(chunk);
        file!.size += chunk.length;
      });
      stream.on('limit', () => fail(new AppError('PAYLOAD_TOO_LARGE', `The file is larger than ${Math.round(opts.maxBytes / 2 ** 20)} MiB (FILE_MAX_MB)`)));
    });
    parser.on('field', (name, value) => {
      if (!opts.fields.includes(name)) {
        return fail(new AppError('VALIDATION_FAILED', 'Invalid request body', [{ path: `body.${name}`, message: `unknown field; expected ${['file', ...opts.fields].join(', ')}` }]));
      }
      fields[name] = value;
    });
    parser.on('partsLimit', () => fail(new AppError('VALIDATION_FAILED', 'Too many parts in the form')));
    parser.on('error', () => reject(failed ?? new AppError('VALIDATION_FAILED', 'Malformed multipart body')));
    parser.on('close', () => {
      if (failed) return reject(failed);
      if (!file) return reject(new AppError('VALIDATION_FAILED', 'Invalid request body', [{ path: 'body.file', message: 'a file part named "file" is required' }]));
      const f = file as { chunks: Buffer[]; filename: string; size: number };
      if (f.size === 0) return reject(new AppError('VALIDATION_FAILED', 'Invalid request body', [{ path: 'body.file', message: 'the file is empty' }]));
      resolve({ bytes: Buffer.concat(f.chunks), filename: f.filename, fields });
    });
    req.pipe(parser);
  });
}
