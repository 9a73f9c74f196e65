import { fileTypeFromBuffer } from 'file-type';
import { asText, SPECTRUM_FORMATS, sniffSpectrumFormat } from '../spectra/spectrum-file.ts';

/**
 * The media type of a file from its content, never from its name or the client's Content-Type:
 * binary formats by their magic bytes (file-type), spectrum text formats by their structure, other
 * UTF-8 text as text/plain, anything else application/octet-stream.
 */
export async function detectMediaType(bytes: Uint8Array): Promise<string> {
  const magic = await fileTypeFromBuffer(bytes);
  if (magic) return magic.mime;
  const text = asText(bytes.subarray(0, 1 << 20));
  if (text === null) return 'application/octet-stream';
  const spectrum = sniffSpectrumFormat(text);
  return spectrum ? SPECTRUM_FORMATS[spectrum] : 'text/plain';
}

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/tiff', 'image/heic', 'image/heif', 'image/gif'];
const REPORT_TYPES = ['application/pdf', 'text/plain', 'text/csv', ...PHOTO_TYPES];

/** What each kind of attachment may be; null: anything. Spectra are checked by parsing them. */
export const ACCEPTED_TYPES: Record<string, readonly string[] | null> = { PHOTO: PHOTO_TYPES, INSTRUMENT_REPORT: REPORT_TYPES, SPECTRUM: null, OTHER: null };

/** Shown inline in the browser (photos, PDF reports); everything else downloads as an attachment. */
export const INLINE_TYPES = new Set(['application/pdf', 'image/jpeg', 'image/png', 'image/webp', 'image/gif']);
