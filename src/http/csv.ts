import type { Request, Response } from 'express';

/** RFC 4180 field: quoted when it holds a comma, quote or line break; formula-leading text is defused for spreadsheets. */
function field(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = v instanceof Date ? v.toISOString() : String(v);
  if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export const toCsv = (header: string[], rows: unknown[][]) => [header, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';

export const wantsCsv = (req: Request, format?: string) => format === 'csv' || (format === undefined && !!req.headers.accept?.includes('text/csv'));

export function sendCsv(res: Response, filename: string, csv: string): undefined {
  res.status(200).setHeader('Content-Type', 'text/csv; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="${filename}"`).end(csv);
  return undefined;
}

/** A list answer ({items}) as CSV: one column per field of the items, nested values as JSON. */
export function itemsCsv(items: Record<string, unknown>[]): string {
  const header = [...new Set(items.flatMap((i) => Object.keys(i)))];
  const cell = (v: unknown) => (v instanceof Date ? v : v !== null && typeof v === 'object' ? JSON.stringify(v) : v);
  return toCsv(header, items.map((i) => header.map((k) => cell(i[k]))));
}
