import { describe, expect, it } from 'vitest';
import { attachedFileLines, libraryMatchLine } from '../../src/documents/report.ts';

describe('the lab report on files and library matches', () => {
  it('when files are attached, then each is listed with its kind, media type, size, who attached it and its full SHA-256', () => {
    const sha256 = 'ab'.repeat(32);
    const [line] = attachedFileLines([{ filename: 'run-12.csv', kind: 'INSTRUMENT_REPORT', mediaType: 'text/csv', size: 812, sha256, uploadedAt: new Date('2026-11-29T10:15:00Z'), uploadedBy: 'A. Analyst' }]);
    expect(line).toBe(`run-12.csv — instrument report, text/csv, 812 bytes, attached 2026-11-29 10:15 UTC by A. Analyst; SHA-256 ${sha256}`);
  });

  it('when hits were computed here, then the line names the library version, the algorithm and the scores; when typed, it says the analyst entered them', () => {
    const computed = libraryMatchLine({
      hitsOrigin: 'COMPUTED',
      hits: [{ substance: 'fentanyl', score: 0.95, libraryName: 'Fentanyl', matchFactor: 949, reverseMatchFactor: 960 }],
      spectralSearch: { library: { name: 'SWGDRUG', version: 2 }, algorithm: { name: 'nist-composite-1994' }, isomerAmbiguous: true },
    });
    expect(computed).toBe('library match computed by this service against SWGDRUG v2 (nist-composite-1994): best hit Fentanyl, match factor 949, reverse 960; positional isomers not distinguished by the search');
    expect(libraryMatchLine({ hitsOrigin: 'ENTERED', hits: [{ substance: 'cocaine', score: 0.9 }], spectralSearch: null })).toBe('library hits entered by the analyst (best: cocaine, 0.9)');
    expect(libraryMatchLine({ hitsOrigin: null, hits: null, spectralSearch: null })).toBeNull();
  });
});
