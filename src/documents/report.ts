import PDFDocument from 'pdfkit';
import { isControlled } from '../domain/categories.rules.ts';

/**
 * The lab report of a released sample (SWGDRUG Recommendations 9.2; ISO/IEC 17025 7.8.2.1): unique
 * report id and "page n of m" on every page, lab and FOL site, submitting agency, dates, the item,
 * techniques used, sampling statement, results with uncertainty, the conclusion, analysts and the
 * authorizer. Built with pdfkit; pages are buffered so each footer knows the page count.
 */
export type TReportData = {
  reportId: string;
  labName: string;
  site: string;
  agency: string;
  receivedAt: Date;
  reportedAt: Date;
  seizureNumber: string;
  caseNumber: string | null;
  item: { itemNumber: number; barcode: string; description: string; form: string; grossWeightG: number; netWeightG: number | null; netWeightUncertaintyG: number | null; sealNumber: string; unitCount: number | null };
  tests: { technique: string; techniqueName: string; category: string; outcome: string; substance: string | null; instrument: string | null; performedAt: Date; analyst: string; samplingId: string; corrected: boolean; libraryMatch?: string | null }[];
  files: TReportFile[];
  samplingStatement: string;
  classification: { category: string; level: string; version: number; rationale: string[]; warnings: { code: string; message: string }[]; components: { substance: string; level: string; category: string }[] };
  thresholds: { statute: string; limitG: number; status: string; weightG: number; uncertaintyG: number; basis: string; substance: string }[];
  conclusion: string;
  analysts: string[];
  authorizer: { name: string; at: Date; meaning: string };
};

export type TReportFile = { filename: string; kind: string; mediaType: string; size: number; sha256: string; uploadedAt: Date; uploadedBy: string };

/** One line per attached file: what it is and the SHA-256 that lets anyone check the copy they hold. */
export const attachedFileLines = (files: TReportFile[]) =>
  files.map((f) => `${f.filename} — ${f.kind.replaceAll('_', ' ').toLowerCase()}, ${f.mediaType}, ${f.size} bytes, attached ${utc(f.uploadedAt)} by ${f.uploadedBy}; SHA-256 ${f.sha256}`);

type THitLine = { substance: string; score: number; libraryName?: string; matchFactor?: number; reverseMatchFactor?: number };

/** How a test's library hits came to be, for the reviewer and the report: typed, or computed here and from what. */
export function libraryMatchLine(t: { hits: unknown; hitsOrigin: string | null; spectralSearch: unknown }): string | null {
  const best = (t.hits as THitLine[] | null)?.[0];
  if (!best) return null;
  if (t.hitsOrigin !== 'COMPUTED') return `library hits entered by the analyst (best: ${best.substance}, ${best.score})`;
  const search = t.spectralSearch as { library: { name: string; version: number }; algorithm: { name: string }; isomerAmbiguous: boolean };
  return `library match computed by this service against ${search.library.name} v${search.library.version} (${search.algorithm.name}): best hit ${best.libraryName}, match factor ${best.matchFactor}, reverse ${best.reverseMatchFactor}` +
    (search.isomerAmbiguous ? '; positional isomers not distinguished by the search' : '');
}

const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const g = (x: number) => `${Number(x.toFixed(3))} g`;

export async function reportPdf(r: TReportData): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'LETTER', margins: { top: 60, bottom: 70, left: 56, right: 56 }, bufferPages: true, info: { Title: `Laboratory report ${r.reportId}`, Author: r.labName } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const h = (t: string) => doc.moveDown(0.6).font('Helvetica-Bold').fontSize(11).text(t).moveDown(0.2).font('Helvetica').fontSize(9.5);
  const kv = (k: string, v: string) => doc.font('Helvetica-Bold').text(`${k}: `, { continued: true }).font('Helvetica').text(v);

  doc.font('Helvetica-Bold').fontSize(15).text(r.labName);
  doc.font('Helvetica').fontSize(10).text(r.site);
  doc.moveDown(0.3).font('Helvetica-Bold').fontSize(13).text('Laboratory report — seized drug analysis');
  doc.font('Helvetica').fontSize(9.5).moveDown(0.4);
  kv('Report', r.reportId);
  kv('Submitting agency', r.agency);
  kv('Seizure', r.seizureNumber + (r.caseNumber ? ` · case ${r.caseNumber}` : ''));
  kv('Date received', utc(r.receivedAt));
  kv('Date of report', utc(r.reportedAt));

  h('Item');
  const it = r.item;
  kv(`Item ${it.itemNumber}`, `${it.barcode} — ${it.description} (${it.form.toLowerCase()}${it.unitCount ? `, ${it.unitCount} units` : ''})`);
  kv('Gross weight', `${g(it.grossWeightG)} (with packaging)`);
  kv('Net weight', it.netWeightG == null ? 'not determined' : `${g(it.netWeightG)} ± ${g(it.netWeightUncertaintyG ?? 0)} (expanded uncertainty, k = 2)`);
  kv('Seal', it.sealNumber);

  h('Techniques used');
  for (const t of r.tests) {
    doc.text(`• ${t.techniqueName} (SWGDRUG category ${t.category}), sampling ${t.samplingId}: ${t.outcome.toLowerCase()}${t.substance ? ` — ${t.substance}` : ''}` +
      `${t.instrument ? `; instrument ${t.instrument}` : ''}; ${utc(t.performedAt)}; ${t.analyst}${t.corrected ? ' (superseded by a correction)' : ''}` +
      `${t.libraryMatch ? `; ${t.libraryMatch}` : ''}`);
  }

  if (r.files.length) {
    h('Attached files');
    for (const line of attachedFileLines(r.files)) doc.text(`• ${line}`);
  }

  h('Sampling');
  doc.text(r.samplingStatement);

  h('Results');
  kv('Classification', `${r.classification.category.replaceAll('_', ' ').toLowerCase()} — ${r.classification.level.toLowerCase()} (version ${r.classification.version})`);
  for (const c of r.classification.components) doc.text(`• ${c.substance}: ${c.level.toLowerCase()} (${c.category.replaceAll('_', ' ').toLowerCase()})`);
  for (const line of r.classification.rationale) doc.text(`  ${line}`);
  if (r.thresholds.length) {
    doc.moveDown(0.3).font('Helvetica-Bold').text('Statutory weight thresholds').font('Helvetica');
    for (const t of r.thresholds) doc.text(`• ${t.statute} (${t.substance}, ${t.limitG} g): ${t.status.toLowerCase()} — ${t.basis.toLowerCase()} weight ${g(t.weightG)} ± ${g(t.uncertaintyG)}`);
  }
  if (r.classification.warnings.length) {
    doc.moveDown(0.3).font('Helvetica-Bold').text('Limitations').font('Helvetica');
    for (const w of r.classification.warnings) doc.text(`• ${w.message}`);
  }

  h('Conclusion');
  doc.font('Helvetica-Bold').fontSize(11).text(r.conclusion).font('Helvetica').fontSize(9.5);

  h('Analysis and authorization');
  kv('Analyst(s)', r.analysts.join(', '));
  kv('Technical review and authorization', `${r.authorizer.name}, ${utc(r.authorizer.at)} — ${r.authorizer.meaning} (electronic signature)`);

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // The footer sits in the bottom margin; without lifting the margin pdfkit would start a new page.
    doc.page.margins.bottom = 0;
    const y = doc.page.height - 45;
    doc.font('Helvetica').fontSize(8).text(`Report ${r.reportId}`, 56, y, { lineBreak: false, width: 300 });
    doc.text(`Page ${i - range.start + 1} of ${range.count}`, doc.page.width - 56 - 120, y, { width: 120, align: 'right', lineBreak: false });
  }
  doc.end();
  return done;
}

/** SWGDRUG-style conclusion wording from the identified and presumptive components. */
export function conclusionOf(itemNumber: number, c: { category: string; components: { substance: string; level: string; category: string }[] }): string {
  const controlled = (x: { category: string }) => isControlled(x.category);
  const identified = c.components.filter((x) => x.level === 'IDENTIFIED');
  const presumptive = c.components.filter((x) => x.level !== 'IDENTIFIED' && controlled(x));
  const list = (xs: { substance: string }[]) => xs.map((x) => x.substance).join(', ').replace(/, ([^,]*)$/, ' and $1');
  if (c.category === 'INCONCLUSIVE') return `Item ${itemNumber}: the results are inconclusive.`;
  const parts: string[] = [];
  if (identified.some(controlled)) parts.push(`Item ${itemNumber} contains ${list(identified)}.`);
  else parts.push('No controlled substances identified.' + (identified.length ? ` Identified: ${list(identified)}.` : ''));
  if (presumptive.length) parts.push(`Presumptive indication, not confirmed: ${list(presumptive)}.`);
  return parts.join(' ');
}
