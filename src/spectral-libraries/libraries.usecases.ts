import { appendAudit } from '../audit/audit.ts';
import type { EngineContext } from '../domain/identification.rules.ts';
import { sha256Hex } from '../files/files.usecases.ts';
import type { Db } from '../lib/db.ts';
import { AppError } from '../lib/errors.ts';
import { linkSubstance } from '../spectra/catalogue-link.ts';
import { MspError, parseMsp, type TMspRecord } from '../spectra/msp.parser.ts';
import { asText, sniffSpectrumFormat } from '../spectra/spectrum-file.ts';
import { toNominal } from '../spectra/spectrum.ts';

type TLibraryRow = { id: string; name: string; version: number; sha256: string; format: string; recordCount: number; linkedCount: number; importedById: string | null; importedAt: Date };

export const libraryView = (l: TLibraryRow) => ({
  id: l.id, name: l.name, version: l.version, sha256: l.sha256, format: l.format, recordCount: l.recordCount,
  linkedCount: l.linkedCount, importedBy: l.importedById, importedAt: l.importedAt,
});

function readMspLibrary(bytes: Uint8Array): TMspRecord[] {
  const text = asText(bytes);
  if (text === null || sniffSpectrumFormat(text) !== 'MSP') throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'A spectral library is imported from a NIST text (MSP) file');
  try {
    const records = parseMsp(text);
    records.forEach((r) => toNominal(r.peaks));
    return records;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof MspError || (err as Error).name === 'SpectrumError') throw new AppError('VALIDATION_FAILED', `The library file is malformed: ${message}`, [{ path: 'body.file', message }]);
    throw err;
  }
}

/**
 * Imports an MSP library as a new immutable version: its bytes stored like any file (by SHA-256), its
 * records with nominal peaks and their catalogue links, and an audit entry — one transaction. The same
 * file imported again answers the version it already is (200), whatever name it is sent under.
 */
export async function importLibrary(db: Db, input: { bytes: Uint8Array; name: string; via: string }, actor: { id: string; role: string } | null, engine: EngineContext, now: Date) {
  const sha256 = sha256Hex(input.bytes);
  const existing = await db.spectralLibrary.findUnique({ where: { sha256 } });
  if (existing) return { status: 200, body: libraryView(existing) };
  const records = readMspLibrary(input.bytes);
  if (!records.length) throw new AppError('VALIDATION_FAILED', 'The library file holds no record', [{ path: 'body.file', message: 'no record' }]);
  const rows = records.map((r, i) => {
    const nominal = toNominal(r.peaks);
    return {
      ordinal: i + 1, name: r.name.slice(0, 500), synonyms: r.synonyms, casNo: r.casNo, inchiKey: r.inchiKey, formula: r.formula, mw: r.mw,
      sourceId: r.libraryId, substanceId: linkSubstance(engine.index, r)?.id ?? null, mz: Array.from(nominal.mz), intensity: Array.from(nominal.intensity),
    };
  });
  const library = await db.$transaction(async (tx) => {
    await tx.fileBlob.createMany({ data: [{ sha256, size: input.bytes.length, mediaType: 'text/x-msp', bytes: new Uint8Array(input.bytes) }], skipDuplicates: true });
    const last = await tx.spectralLibrary.findFirst({ where: { name: input.name }, orderBy: { version: 'desc' }, select: { version: true } });
    const created = await tx.spectralLibrary.create({
      data: { name: input.name, version: (last?.version ?? 0) + 1, sha256, format: 'MSP', recordCount: rows.length, linkedCount: rows.filter((r) => r.substanceId).length, importedById: actor?.id ?? null, importedAt: now },
    });
    for (let i = 0; i < rows.length; i += 500) {
      await tx.spectralRecord.createMany({ data: rows.slice(i, i + 500).map((r) => ({ ...r, libraryId: created.id })) });
    }
    await appendAudit(tx, { actor, action: 'spectral-library.import', entityType: 'SpectralLibrary', entityId: created.id, after: { ...libraryView(created), via: input.via } }, now);
    return created;
  }, { timeout: 120_000, maxWait: 10_000 });
  return { status: 201, body: libraryView(library) };
}
