import type { TPeak } from './spectrum.ts';

/**
 * A small JCAMP-DX reader for mass spectra (JCAMP-DX MS, Lampen et al., Appl. Spectrosc. 48, 1994):
 * the first block whose DATA TYPE is a mass spectrum, its `##PEAK TABLE=(XY..XY)` (or XYW) or
 * `##XYDATA=(XY..XY)` in plain (AFFN) numbers, scaled by XFACTOR/YFACTOR. Compressed (ASDF) ordinate
 * streams, used for infrared and NMR, are refused with a message rather than guessed at.
 */
export class JcampError extends Error {
  override name = 'JcampError';
}

type TBlock = { labels: Map<string, string>; data: { label: string; form: string; lines: string[] } | null; inData: boolean };

function blocks(text: string): TBlock[] {
  const out: TBlock[] = [];
  let current: TBlock | null = null;
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n|\r/)) {
    const line = raw.replace(/\$\$.*$/, '').trim();
    if (!line) continue;
    const label = /^##([^=]*)=(.*)$/.exec(line);
    if (!label) {
      if (current?.inData) current.data!.lines.push(line);
      continue;
    }
    const key = label[1]!.trim().toUpperCase().replace(/[\s_/-]/g, '');
    const value = label[2]!.trim();
    if (key === 'TITLE') {
      current = { labels: new Map(), data: null, inData: false };
      out.push(current);
    }
    if (!current) throw new JcampError('a JCAMP-DX file starts with ##TITLE=');
    current.inData = (key === 'PEAKTABLE' || key === 'XYDATA') && !current.data;
    if (current.inData) current.data = { label: key, form: value.replace(/\s/g, '').toUpperCase(), lines: [] };
    else current.labels.set(key, value);
  }
  return out;
}

export function parseJcampMs(text: string): { title: string; peaks: TPeak[] } {
  const all = blocks(text);
  const block = all.find((b) => /MASS/i.test(b.labels.get('DATATYPE') ?? '') && b.data);
  if (!block) {
    const types = all.map((b) => b.labels.get('DATATYPE')).filter(Boolean);
    throw new JcampError(`no mass spectrum in this JCAMP-DX file${types.length ? ` (DATA TYPE: ${types.join(', ')})` : ''}`);
  }
  const { form, lines, label } = block.data!;
  if (!['(XY..XY)', '(XYW..XYW)'].includes(form)) {
    throw new JcampError(`##${label}=${form} is not supported: export the mass spectrum as a peak table, (XY..XY)`);
  }
  const xf = Number(block.labels.get('XFACTOR') ?? 1);
  const yf = Number(block.labels.get('YFACTOR') ?? 1);
  const stride = form === '(XYW..XYW)' ? 3 : 2;
  const numbers = lines.join(' ').split(/[\s,;]+/).filter(Boolean).map(Number);
  if (numbers.some((n) => !Number.isFinite(n))) throw new JcampError('the peak table holds something other than plain numbers (compressed data is not supported)');
  if (numbers.length % stride) throw new JcampError('the peak table has an incomplete (x, y) pair');
  const peaks: TPeak[] = [];
  for (let i = 0; i < numbers.length; i += stride) peaks.push([numbers[i]! * xf, numbers[i + 1]! * yf]);
  const declared = Number(block.labels.get('NPOINTS'));
  if (Number.isInteger(declared) && declared !== peaks.length) throw new JcampError(`##NPOINTS=${declared} but the table has ${peaks.length} peaks`);
  return { title: block.labels.get('TITLE') ?? '', peaks };
}
