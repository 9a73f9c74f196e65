import type { EngineContext } from '../domain/identification.rules.ts';
import type { Db, Tx } from '../lib/db.ts';
import { AppError, notFound } from '../lib/errors.ts';
import { LibraryIndex } from '../spectra/library-index.ts';

/**
 * Library versions never change (append-only), so an index built once serves until the process ends.
 * A few versions are kept; the oldest is dropped when a newer one is searched.
 */
const KEEP = 3;
const indexes = new Map<string, Promise<LibraryIndex>>();

/** The newest import, or the newest version of the named library; 409 when none is imported. */
export async function currentLibrary(db: Db | Tx, name?: string) {
  const library = await db.spectralLibrary.findFirst({ where: name ? { name } : {}, orderBy: [{ importedAt: 'desc' }, { version: 'desc' }] });
  if (!library && name) throw notFound(`Spectral library "${name}"`);
  if (!library) throw new AppError('CONFLICT', 'No spectral library is imported yet: an administrator imports one (POST /spectral-libraries or npm run library:import)');
  return library;
}

async function build(db: Db | Tx, library: { id: string; name: string; version: number; sha256: string }, engine: EngineContext) {
  const rows = await db.spectralRecord.findMany({ where: { libraryId: library.id }, orderBy: { ordinal: 'asc' } });
  const substances = new Map(engine.ref.substances.substances.map((s) => [s.id, { id: s.id, name: s.name, category: s.category }]));
  return new LibraryIndex(
    { id: library.id, name: library.name, version: library.version, sha256: library.sha256 },
    rows.map((r) => ({
      id: r.id, ordinal: r.ordinal, name: r.name, casNo: r.casNo, inchiKey: r.inchiKey, formula: r.formula,
      substance: r.substanceId ? substances.get(r.substanceId) ?? null : null,
      spectrum: { mz: Int32Array.from(r.mz), intensity: Float64Array.from(r.intensity) },
    })),
  );
}

export function libraryIndex(db: Db | Tx, library: { id: string; name: string; version: number; sha256: string }, engine: EngineContext): Promise<LibraryIndex> {
  let index = indexes.get(library.id);
  if (!index) {
    index = build(db, library, engine);
    index.catch(() => indexes.delete(library.id));
    indexes.set(library.id, index);
    while (indexes.size > KEEP) indexes.delete(indexes.keys().next().value!);
  }
  return index;
}
