import type { TPeak } from './spectrum.ts';

export class CsvError extends Error {
  override name = 'CsvError';
}

const NUM = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?`;
const ROW = new RegExp(String.raw`^\s*(${NUM})\s*(?:[,;\t]|\s)\s*(${NUM})\s*[,;]?\s*$`);

/** Looks like a two-column export: the first line after an optional header is `m/z, intensity`. */
export function looksLikeCsv(text: string): boolean {
  const lines = text.split(/\r?\n|\r/).map((l) => l.trim()).filter(Boolean);
  const body = lines.length && !ROW.test(lines[0]!) ? lines.slice(1) : lines;
  return body.length > 0 && ROW.test(body[0]!);
}

/** Two columns, m/z then intensity, separated by a comma, semicolon, tab or spaces; one header line allowed. */
export function parseCsvSpectrum(text: string): TPeak[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/);
  const peaks: TPeak[] = [];
  let headerSeen = false;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const m = ROW.exec(line);
    if (m) peaks.push([Number(m[1]), Number(m[2])]);
    else if (!peaks.length && !headerSeen) headerSeen = true;
    else throw new CsvError(`line ${i + 1} is not "m/z, intensity": ${line.slice(0, 60)}`);
  });
  if (!peaks.length) throw new CsvError('no "m/z, intensity" rows');
  return peaks;
}
