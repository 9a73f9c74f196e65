import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { AppError } from '../lib/errors.ts';

export type TSheet = { format: 'csv' | 'xlsx'; header: string[]; rows: string[][] };

const MAX_ROWS = 50_000;

/** CSV (csv-parse: RFC 4180, BOM, quoted line breaks) or XLSX (exceljs, first worksheet), by content. */
export async function readSheet(bytes: Buffer, filename: string): Promise<TSheet> {
  const zip = bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  if (zip || /\.xlsx$/i.test(filename)) return readXlsx(bytes);
  if (!/\.(csv|txt)$/i.test(filename) && bytes.includes(0)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send a CSV or an XLSX file');
  let records: string[][];
  try {
    records = parse(bytes, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: false }) as string[][];
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', 'The CSV cannot be read', [{ row: (err as { lines?: number }).lines ?? 0, column: '', message: (err as Error).message }]);
  }
  return limit({ format: 'csv', header: records[0] ?? [], rows: records.slice(1) });
}

async function readXlsx(bytes: Buffer): Promise<TSheet> {
  // Loaded on first use: it is a fifth of the service's start-up module loading, for a rare upload.
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new AppError('VALIDATION_FAILED', 'The XLSX file cannot be read', [{ row: 0, column: '', message: 'not a readable XLSX workbook' }]);
  }
  const sheet = wb.worksheets[0];
  if (!sheet) return { format: 'xlsx', header: [], rows: [] };
  const width = sheet.columnCount;
  const all: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    all[n - 1] = Array.from({ length: width }, (_, i) => cellText(row.getCell(i + 1).value));
  });
  const rows = all.slice(1).map((r) => r ?? []).filter((r) => r.some((c) => c.trim()));
  return limit({ format: 'xlsx', header: all[0] ?? [], rows });
}

/** A cell as text: dates as ISO 8601 (UTC), formulas by their result, rich text by its words. */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String(v.text);
    return '';
  }
  return String(v);
}

function limit(s: TSheet): TSheet {
  if (s.rows.length > MAX_ROWS) throw new AppError('PAYLOAD_TOO_LARGE', `At most ${MAX_ROWS} rows per file`);
  return s;
}
