import PDFDocument from 'pdfkit';
import type { TOperationSummary } from './operations.usecases.ts';

const label = (c: string) => c.replaceAll('_', ' ').toLowerCase();
const n = (x: number, d = 1) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

/** The operation's tally on one Letter page (pdfkit), for the press office and the leadership brief. */
export async function summaryPdf(s: TOperationSummary, labName: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'LETTER', margins: { top: 56, bottom: 56, left: 56, right: 56 }, info: { Title: `${s.operation.name} — tally`, Author: labName } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const h = (t: string) => doc.moveDown(0.7).font('Helvetica-Bold').fontSize(11).text(t).moveDown(0.2).font('Helvetica').fontSize(9.5);
  const row = (cells: string[], widths: number[], bold = false) => {
    const y = doc.y;
    let x = 56;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica');
    cells.forEach((c, i) => {
      doc.text(c, x, y, { width: widths[i]!, align: i === 0 ? 'left' : 'right', lineBreak: false });
      x += widths[i]!;
    });
    doc.font('Helvetica').text('', 56, y + 14);
  };

  doc.font('Helvetica-Bold').fontSize(16).text(s.operation.name);
  doc.font('Helvetica').fontSize(10).text(`${labName} · ports ${s.operation.portCodes.join(', ')} · from ${s.operation.startsOn}${s.operation.endsOn ? ` to ${s.operation.endsOn}` : ''}`);
  doc.text(`Figures as of ${s.asOf.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  doc.moveDown(0.6).font('Helvetica-Oblique').fontSize(11).text(s.sentence).font('Helvetica');

  h('Net weight by category (exhibit weights, released results)');
  const w = [220, 70, 100, 100];
  row(['Category', 'Exhibits', 'kg', 'lb'], w, true);
  for (const c of s.byCategory) row([label(c.category), String(c.exhibits), n(c.netWeightKg), n(c.netWeightLb)], w);
  row(['pending analysis', String(s.pendingAnalysis.exhibits), n(s.pendingAnalysis.netWeightKg), n(s.pendingAnalysis.netWeightLb)], w);
  if (s.bySubstance.length) {
    h('By substance');
    row(['Substance', 'Exhibits', 'kg', 'lb'], w, true);
    for (const c of s.bySubstance) row([c.substance, String(c.exhibits), n(c.netWeightKg), n(c.netWeightLb)], w);
  }
  h('Seizures and arrests');
  row(['Seizures', String(s.seizures)], [220, 70]);
  for (const a of s.arrests.byJurisdiction) row([`${label(a.jurisdiction)} arrests`, String(a.count)], [220, 70]);
  h('Seizures by port');
  for (const p of s.ports) row([`port ${p.portCode}`, String(p.seizures)], [220, 70]);
  if (s.unweighedExhibits) doc.moveDown(0.5).fontSize(8.5).text(`${s.unweighedExhibits} exhibit(s) have no net weight recorded and add nothing to the weights.`, 56);
  doc.fontSize(8).text('1 lb = 0.45359237 kg. Weights are net exhibit weights; categories are the released (technically reviewed) classifications of the samples representing each exhibit.', 56, doc.page.height - 80, { width: 500, lineBreak: true });
  doc.end();
  return done;
}
