import bwipjs from 'bwip-js';
import PDFDocument from 'pdfkit';

/**
 * A sample label for a thermal label printer: 4 × 2 in (288 × 144 pt), Code 128 barcode of the
 * sample barcode (bwip-js, the maintained pure-JS barcode writer), human-readable fields, and a hazard
 * mark when fentanyl is suspected. PDF from pdfkit; prints at actual size.
 */
export type TLabel = {
  barcode: string; seizureNumber: string; itemNumber: number; portCode: string; portName: string; registeredAt: Date; form: string; hazard: boolean; priority: string;
  /** The weights on record, so a corrected weight shows on the reprinted label. */
  weights?: { grossG: number; netG: number | null; uncertaintyG: number | null };
};

/** "gross 120.5 g · net 101.2 ± 0.3 g": the weights line of a label. */
export const weightsLine = (w: NonNullable<TLabel['weights']>) => `gross ${w.grossG} g${w.netG !== null ? ` · net ${w.netG}${w.uncertaintyG !== null ? ` ± ${w.uncertaintyG}` : ''} g` : ''}`;

export async function labelPdf(l: TLabel): Promise<Buffer> {
  return labelsPdf([l], `Label ${l.barcode}`);
}

/** Several labels in one PDF, one 4 × 2 in page each (a batch from a manifest import prints in one go). */
export async function labelsPdf(labels: TLabel[], title: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: [288, 144], margin: 8, autoFirstPage: false, info: { Title: title, Author: 'fol-triage' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  for (const l of labels) {
    doc.addPage();
    await drawLabel(doc, l);
  }
  doc.end();
  return done;
}

async function drawLabel(doc: PDFKit.PDFDocument, l: TLabel): Promise<void> {
  const png = await bwipjs.toBuffer({ bcid: 'code128', text: l.barcode, scale: 3, height: 12, includetext: false });
  const barWidth = l.hazard ? 200 : 272;
  doc.image(png, 8, 8, { width: barWidth, height: 50 });
  doc.font('Courier-Bold').fontSize(11).text(l.barcode, 8, 62, { width: barWidth, align: 'center' });
  doc.font('Helvetica-Bold').fontSize(9).text(`Seizure ${l.seizureNumber} · item ${l.itemNumber}`, 8, 80, { width: 272 });
  doc.font('Helvetica').fontSize(8)
    .text(`Port ${l.portCode} ${l.portName}`, 8, 94, { width: 272 })
    .text(`Registered ${l.registeredAt.toISOString().slice(0, 16).replace('T', ' ')} UTC · ${l.form.toLowerCase()} · ${l.priority}`, 8, 106, { width: 272 });
  if (l.weights) doc.text(weightsLine(l.weights), 8, 118, { width: 272 });
  if (l.hazard) {
    // A black-bordered diamond with "!" and the words, readable without colour (thermal printers).
    doc.save().lineWidth(2).polygon([248, 10], [280, 40], [248, 70], [216, 40]).stroke().restore();
    doc.font('Helvetica-Bold').fontSize(22).text('!', 240, 28, { width: 16, align: 'center' });
    doc.font('Helvetica-Bold').fontSize(7).text('FENTANYL HAZARD', 212, 74, { width: 72, align: 'center' });
    doc.font('Helvetica').fontSize(6).text('gloves · no field tests outside hood', 212, 84, { width: 72, align: 'center' });
  }
}
