import { describe, expect, it } from 'vitest';
import { formatCas, parseMsp } from '../../src/spectra/msp.parser.ts';
import { MalformedSpectrumError, parseSpectrumFile, UnsupportedSpectrumError } from '../../src/spectra/spectrum-file.ts';

const bytes = (s: string) => new TextEncoder().encode(s);
const MSP = 'Name: Test compound\nSynon: TC-1\nFormula: C2H6O\nCASNO: 64175\nNum Peaks: 3\n31 999; 45 510;\n46 230;\n\nName: Second\nNum Peaks: 1\n50 10\n';
const JCAMP = [
  '##TITLE=Cocaine', '##JCAMP-DX=4.24', '##DATA TYPE=MASS SPECTRUM', '##XUNITS=M/Z', '##YUNITS=RELATIVE ABUNDANCE',
  '##XFACTOR=1', '##YFACTOR=0.1', '##NPOINTS=3', '##PEAK TABLE=(XY..XY)', '82,9990 182,8700', '303.1,3000 $$ molecular ion', '##END=',
].join('\r\n');

describe('reading spectrum files', () => {
  it('when an MSP library is read, then each record has its fields, hyphenated CAS and peaks', () => {
    const [first, second] = parseMsp(MSP);
    expect(first).toMatchObject({ name: 'Test compound', synonyms: ['TC-1'], formula: 'C2H6O', casNo: '64-17-5', peaks: [[31, 999], [45, 510], [46, 230]] });
    expect(second).toMatchObject({ name: 'Second', casNo: null, peaks: [[50, 10]] });
  });

  it.each([['3258842', '3258-84-2'], ['0', null], ['437-38-7', '437-38-7']])('when MSP gives CAS %s, then it reads %s', (raw, cas) => {
    expect(formatCas(raw)).toBe(cas);
  });

  it('when a JCAMP-DX mass spectrum is uploaded, then its peak table is read with YFACTOR applied', () => {
    const parsed = parseSpectrumFile(bytes(JCAMP));
    expect(parsed).toMatchObject({ format: 'JCAMP_DX', name: 'Cocaine', peaks: [[82, 999], [182, 870], [303.1, 300]] });
    expect(Array.from(parsed.spectrum.mz)).toEqual([82, 182, 303]);
  });

  it.each([
    ['m/z,intensity\n41,120\n58,999\n91,33.5\n', 'CSV'],
    ['41\t120\r\n58\t999\r\n', 'CSV'],
    ['41;120;\n58;999;\n', 'CSV'],
    [MSP, 'MSP'],
  ])('when %j is uploaded, then it is read as %s', (text, format) => {
    expect(parseSpectrumFile(bytes(text)).format).toBe(format);
  });

  it.each([
    ['a PNG image', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])],
    ['prose', bytes('Sample 12 looked like fentanyl to me.\nCall back.\n')],
    ['an infrared JCAMP-DX', bytes('##TITLE=x\n##DATA TYPE=INFRARED SPECTRUM\n##XYDATA=(X++(Y..Y))\n400 1 2 3\n##END=\n')],
    ['a three-column CSV', bytes('1,2,3\n4,5,6\n')],
  ])('when %s is uploaded as a spectrum, then it is refused as unsupported', (_what, content) => {
    expect(() => parseSpectrumFile(content)).toThrow(UnsupportedSpectrumError);
  });

  it.each([
    ['MSP whose peak count is wrong', 'Name: X\nNum Peaks: 3\n41 10; 42 20;\n'],
    ['JCAMP-DX with compressed data', '##TITLE=x\n##DATA TYPE=MASS SPECTRUM\n##XYDATA=(X++(Y..Y))\n40 1 2 3\n##END=\n'],
    ['CSV with a bad row', '41,100\n42,abc\n'],
    ['CSV with no positive peak', '41,0\n42,0\n'],
  ])('when a %s is uploaded, then the error names the problem', (_what, text) => {
    expect(() => parseSpectrumFile(bytes(text))).toThrow(MalformedSpectrumError);
  });
});
