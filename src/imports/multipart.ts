import Busboy from 'busboy';
import type { Request } from 'express';
import { AppError } from '../lib/errors.ts';

/**
 * Reads the one file of a multipart/form-data request (busboy: streaming, bounded), refusing
 * anything larger than `maxBytes` with a 413 and anything that is not multipart with a 415.
 */
export function readUpload(req: Request, maxBytes: number): Promise<{ filename: string; bytes: Buffer }> {
  if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
    return Promise.reject(new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the manifest as multipart/form-data with one file field "file"'));
  }
  return new Promise((resolve, reject) => {
    let bb: Busboy.Busboy;
    try {
      bb = Busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes, fields: 10, parts: 12 } });
    } catch {
      return reject(new AppError('VALIDATION_FAILED', 'Malformed multipart body', [{ path: 'body', message: 'not valid multipart/form-data' }]));
    }
    let file: { filename: string; bytes: Buffer } | undefined;
    let failed = false;
    const fail = (e: AppError) => {
      if (failed) return;
      failed = true;
      req.unpipe(bb);
      req.resume();
      reject(e);
    };
    bb.on('file', (_name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => fail(new AppError('PAYLOAD_TOO_LARGE', `The file is larger than ${maxBytes} bytes`)));
      stream.on('end', () => {
        file = { filename: info.filename ?? 'manifest', bytes: Buffer.concat(chunks) };
      });
    });
    bb.on('error', () => fail(new AppError('VALIDATION_FAILED', 'Malformed multipart body', [{ path: 'body', message: 'not valid multipart/form-data' }])));
    bb.on('close', () => {
      if (failed) return;
      if (!file || !file.bytes.length) return reject(new AppError('VALIDATION_FAILED', 'No file', [{ path: 'body.file', message: 'attach the manifest as the field "file"' }]));
      resolve(file);
    });
    req.pipe(bb);
  });
}
