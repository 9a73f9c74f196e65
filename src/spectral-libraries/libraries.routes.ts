import { z } from 'zod';
import { defineRoute, ok } from '../http/route.ts';
import { ZIdParam } from '../http/params.ts';
import { AppError, notFound } from '../lib/errors.ts';
import { toNominal, toPeakList } from '../spectra/spectrum.ts';
import { importLibrary, libraryView } from './libraries.usecases.ts';
import { readSpectrum, searchLibrary } from './search.usecases.ts';

export const ZLibraryName = z.string().trim().regex(/^[\w .,()+-]{1,100}$/, 'letters, digits, spaces and . , ( ) + - _ (at most 100)');

const fileMaxBytes = (c: { FILE_MAX_MB: number }) => c.FILE_MAX_MB * 2 ** 20;

const ZSearchJson = z.strictObject({
  peaks: z.array(z.tuple([z.number().positive(), z.number().nonnegative()])).min(1).max(20_000),
  library: ZLibraryName.optional(),
});

export const spectralLibraryRoutes = [
  defineRoute({
    method: 'post', path: '/spectral-libraries', tag: 'Spectra', roles: ['ADMIN'],
    summary: 'Import a mass-spectral library version (multipart: file = NIST MSP text, name)',
    upload: { fields: z.strictObject({ name: ZLibraryName }), file: 'the library as NIST MSP text (at most FILE_MAX_MB)', maxBytes: fileMaxBytes },
    handler: async ({ user, deps, upload }) => {
      const { bytes, fields } = await upload();
      return importLibrary(deps.db, { bytes, name: fields.name, via: 'POST /api/v1/spectral-libraries' }, { id: user.id, role: user.role }, deps.engine, deps.clock.now());
    },
  }),
  defineRoute({
    method: 'get', path: '/spectral-libraries', tag: 'Spectra', summary: 'List imported library versions, newest first', roles: ['TECHNICIAN', 'MANAGER', 'ADMIN'],
    handler: async ({ deps }) => {
      const rows = await deps.db.spectralLibrary.findMany({ orderBy: [{ importedAt: 'desc' }, { version: 'desc' }] });
      return ok({ items: rows.map(libraryView), nextCursor: null });
    },
  }),
  defineRoute({
    method: 'get', path: '/spectral-records/:id', tag: 'Spectra', summary: 'One library spectrum (base peak 999), e.g. the best hit for a head-to-tail plot', roles: 'any', params: ZIdParam,
    handler: async ({ params, deps }) => {
      const r = await deps.db.spectralRecord.findUnique({ where: { id: params.id } });
      if (!r) throw notFound('Spectral record');
      const { mz, intensity, ...meta } = r;
      return ok({ ...meta, peaks: toPeakList({ mz: Int32Array.from(mz), intensity: Float64Array.from(intensity) }) });
    },
  }),
  defineRoute({
    method: 'post', path: '/spectra/search', tag: 'Spectra', roles: ['TECHNICIAN', 'MANAGER', 'ADMIN'],
    summary: 'Search a mass spectrum against the current library (multipart file = MSP, JCAMP-DX or CSV; or JSON {peaks: [[mz, intensity], …]}); top 10',
    body: ZSearchJson,
    upload: { fields: z.strictObject({ library: ZLibraryName.optional() }), file: 'the spectrum: MSP, JCAMP-DX or CSV (at most FILE_MAX_MB)', maxBytes: fileMaxBytes },
    handler: async ({ req, body, deps, upload }) => {
      if (req.is('multipart/form-data')) {
        const { bytes, fields } = await upload();
        return ok(await searchLibrary(deps.db, deps.engine, readSpectrum(bytes).spectrum, fields.library));
      }
      let spectrum;
      try {
        spectrum = toNominal(body.peaks);
      } catch (err) {
        throw new AppError('VALIDATION_FAILED', 'Invalid request body', [{ path: 'body.peaks', message: (err as Error).message }]);
      }
      return ok(await searchLibrary(deps.db, deps.engine, spectrum, body.library));
    },
  }),
];
