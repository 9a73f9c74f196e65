import type { EngineContext } from '../domain/identification.rules.ts';
import type { Db, Prisma, Tx } from '../lib/db.ts';
import { AppError } from '../lib/errors.ts';
import type { TSearchResult } from '../spectra/library-index.ts';
import { MalformedSpectrumError, parseSpectrumFile, UnsupportedSpectrumError } from '../spectra/spectrum-file.ts';
import type { TSpectrum } from '../spectra/spectrum.ts';
import { currentLibrary, libraryIndex } from './library-cache.ts';

/** Library matching covers electron-ionisation mass spectra; LC-MS (ESI) spectra do not compare with EI libraries. */
export async function searchLibrary(db: Db | Tx, engine: EngineContext, query: TSpectrum, libraryName?: string) {
  const library = await currentLibrary(db, libraryName);
  const index = await libraryIndex(db, library, engine);
  return publicResult(index.search(query));
}

/** The answer of POST /spectra/search: hits name their library record as `recordId`. */
export function publicResult(r: TSearchResult) {
  return {
    library: r.library,
    algorithm: r.algorithm,
    queryPeaks: r.queryPeaks,
    hits: r.hits.map(({ id, ...h }) => ({ ...h, recordId: id })),
    isomerAmbiguous: r.isomerAmbiguous,
    isomerCandidates: r.isomerCandidates,
  };
}

/** Spectrum file errors in the contract's terms: an unknown format is 415, a broken one 400. */
export function readSpectrum(bytes: Uint8Array, path = 'body.file') {
  try {
    return parseSpectrumFile(bytes);
  } catch (err) {
    if (err instanceof UnsupportedSpectrumError) throw new AppError('UNSUPPORTED_MEDIA_TYPE', err.message);
    if (err instanceof MalformedSpectrumError) throw new AppError('VALIDATION_FAILED', err.message, [{ path, message: err.message }]);
    throw err;
  }
}

/**
 * Builds the current library's index before a test's transaction opens: the first search after a
 * start or an import reads every record (seconds), which must not hold a transaction open.
 */
export async function warmCurrentLibrary(db: Db, engine: EngineContext): Promise<void> {
  const library = await db.spectralLibrary.findFirst({ orderBy: [{ importedAt: 'desc' }, { version: 'desc' }] });
  if (library) await libraryIndex(db, library, engine);
}

/**
 * The hook of POST /samples/:id/tests with `fileId`: the attached spectrum is searched here and the
 * hits stored on the test with the library version, algorithm and parameters. Classification reads
 * `{substance, score}` as for typed hits, score = match factor / 999; the rest is for the reviewer.
 */
export async function computedHits(tx: Tx, engine: EngineContext, sampleId: string, fileId: string, now: Date) {
  const file = await tx.sampleFile.findUnique({ where: { id: fileId }, include: { blob: { select: { bytes: true } } } });
  if (!file || file.sampleId !== sampleId || file.kind !== 'SPECTRUM') {
    throw new AppError('VALIDATION_FAILED', 'No such spectrum on this sample', [{ path: 'body.fileId', message: 'must be a SPECTRUM file attached to this sample' }]);
  }
  const result = await searchLibrary(tx, engine, readSpectrum(file.blob.bytes, 'body.fileId').spectrum);
  return {
    fileId,
    hitsOrigin: 'COMPUTED',
    spectralLibraryId: result.library.id,
    dataRef: `sha256:${file.sha256}`,
    spectralSearch: { library: result.library, algorithm: result.algorithm, queryPeaks: result.queryPeaks, isomerAmbiguous: result.isomerAmbiguous, isomerCandidates: result.isomerCandidates, computedAt: now.toISOString() } as Prisma.InputJsonObject,
    hits: result.hits.map((h) => ({
      substance: h.substance?.name ?? h.name,
      score: Math.round((h.matchFactor / 999) * 1e4) / 1e4,
      rank: h.rank, libraryName: h.name, recordId: h.recordId, casNo: h.casNo, formula: h.formula, inchiKey: h.inchiKey,
      matchFactor: h.matchFactor, reverseMatchFactor: h.reverseMatchFactor, entropySimilarity: h.entropySimilarity,
    })),
  };
}
