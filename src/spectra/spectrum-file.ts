import { CsvError, looksLikeCsv, parseCsvSpectrum } from './csv.parser.ts';
import { JcampError, parseJcampMs } from './jcamp.parser.ts';
import { MspError, parseMsp } from './msp.parser.ts';
import { SpectrumError, toNominal, type TPeak, type TSpectrum } from './spectrum.ts';

export const SPECTRUM_FORMATS = { MSP: 'text/x-msp', JCAMP_DX: 'chemical/x-jcamp-dx', CSV: 'text/csv' } as const;
export type TSpectrumFormat = keyof typeof SPECTRUM_FORMATS;

/** Not a spectrum format we read (answered 415). */
export class UnsupportedSpectrumError extends Error {
  override name = 'UnsupportedSpectrumError';
}
/** A format we read, but the content is wrong (answered 400, naming the problem). */
export class MalformedSpectrumError extends Error {
  override name = 'MalformedSpectrumError';
}

export const ACCEPTED_SPECTRUM_FILES = 'NIST text (MSP), JCAMP-DX mass spectrum, or two-column CSV (m/z, intensity)';

/** UTF-8 text without NUL bytes, or null for binary content. */
export function asText(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return null;
  }
}

/** Which spectrum format the content is, from the content alone (never the file name). */
export function sniffSpectrumFormat(text: string): TSpectrumFormat | null {
  const first = text.split(/\r?\n|\r/).find((l) => l.trim())?.trim() ?? '';
  if (first.startsWith('##')) return 'JCAMP_DX';
  if (/^name\s*:/im.test(text) && /^num peaks\s*:/im.test(text)) return 'MSP';
  if (looksLikeCsv(text)) return 'CSV';
  return null;
}

export type TParsedSpectrum = { format: TSpectrumFormat; name: string | null; peaks: TPeak[]; spectrum: TSpectrum };

/** A query spectrum from an uploaded file. An MSP with several records gives its first. */
export function parseSpectrumFile(bytes: Uint8Array): TParsedSpectrum {
  const text = asText(bytes);
  const format = text === null ? null : sniffSpectrumFormat(text);
  if (!format || text === null) throw new UnsupportedSpectrumError(`not a spectrum file this service reads: send ${ACCEPTED_SPECTRUM_FILES}`);
  try {
    let name: string | null = null;
    let peaks: TPeak[];
    if (format === 'MSP') {
      const first = parseMsp(text)[0];
      if (!first) throw new MspError('no record');
      [name, peaks] = [first.name, first.peaks];
    } else if (format === 'JCAMP_DX') {
      const j = parseJcampMs(text);
      [name, peaks] = [j.title || null, j.peaks];
    } else peaks = parseCsvSpectrum(text);
    return { format, name, peaks, spectrum: toNominal(peaks) };
  } catch (err) {
    if (err instanceof JcampError && /no mass spectrum/.test(err.message)) throw new UnsupportedSpectrumError(`${err.message}; send ${ACCEPTED_SPECTRUM_FILES}`);
    if (err instanceof MspError || err instanceof JcampError || err instanceof CsvError || err instanceof SpectrumError) {
      throw new MalformedSpectrumError(`${format.replace('_', '-')} file: ${err.message}`);
    }
    throw err;
  }
}
