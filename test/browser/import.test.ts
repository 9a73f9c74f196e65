import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER, poll, shot, startUi, type TUi, type TUser } from './support.ts';

/** The technician's Import page: a manifest checked cell by cell, imported, followed while a job writes it. */
let ui: TUi;
let tech: TUser;
beforeAll(async () => {
  // Files of more than three rows are written by a job, so the page's progress path is driven too.
  ui = await startUi({ env: { IMPORT_SYNC_ROWS: '3' } });
  tech = await ui.h.user('TECHNICIAN');
});
afterAll(() => ui?.stop());

const HEADER = ['seizureNumber', 'portCode', 'seizedAt', 'exhibitNumber', 'exhibitDescription', 'netWeightKg', 'phone', 'sampleForm', 'sampleDescription', 'sampleGrossWeightG', 'sealNumber'];
const csv = (rows: string[][]) => Buffer.from([HEADER, ...rows].map((r) => r.join(',')).join('\n'));
const row = (seizure: string, exhibit: string, over: Partial<Record<(typeof HEADER)[number], string>> = {}) =>
  HEADER.map((k) => over[k] ?? ({ seizureNumber: seizure, portCode: '2604', seizedAt: '2026-11-20 14:05', exhibitNumber: exhibit, exhibitDescription: `bricks ${exhibit}`, netWeightKg: '13.6',
    phone: '(520) 555-0142', sampleForm: 'POWDER', sampleDescription: `aliquot of ${exhibit}`, sampleGrossWeightG: '52.4', sealNumber: `SEAL-${randomUUID().slice(0, 8)}` } as Record<string, string>)[k]!);

const counts = async (number: string) => (await ui.h.sql<{ seizures: number; exhibits: number; samples: number }>(
  `SELECT count(DISTINCT s.id)::int AS seizures, count(DISTINCT e.id)::int AS exhibits, count(DISTINCT p.id)::int AS samples
   FROM "Seizure" s LEFT JOIN "Exhibit" e ON e."seizureId" = s.id LEFT JOIN "Sample" p ON p."seizureId" = s.id WHERE s."seizureNumber" = $1`, [number]))[0];

async function send(page: Page, name: string, buffer: Buffer, button: 'Check only' | 'Import', mimeType = 'text/csv') {
  await page.getByLabel('Manifest file (CSV or XLSX)').setInputFiles({ name, mimeType, buffer });
  await page.getByRole('button', { name: button, exact: true }).click();
}
const errorRows = (page: Page) => page.locator('table.import-errors tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));

describe('manifest import', BROWSER, () => {
  it('when a manifest has bad cells, then checking and importing both list each by row and column, and nothing is registered', async () => {
    const number = `SZ-BAD-${randomUUID().slice(0, 6)}`;
    const page = await ui.signIn(tech);
    await page.getByRole('link', { name: 'Import' }).click();
    await page.waitForSelector('h1:text("Import a manifest")');
    expect(await page.getByRole('link', { name: 'Example file (CSV)' }).getAttribute('href')).toBe('/manifest-example.csv');
    const file = csv([row(number, '1', { portCode: '9999' }), row(number, '2', { netWeightKg: 'heavy', sampleGrossWeightG: '' })]);

    await send(page, 'manifest.csv', file, 'Check only');
    await page.locator('table.import-errors').waitFor();
    expect(await page.locator('[role="alert"]:has-text("Checked: not importable")').textContent()).toBe('Checked: not importable. 2 rows read; nothing would be registered.');
    const expected = [
      ['2', 'portCode', 'no port 9999'],
      ['3', 'netWeightKg', 'a number from 0 to 1000000'],
      ['3', 'portCode', 'differs from row 2 for seizure ' + number],
      ['3', 'sampleGrossWeightG', 'required when the row carries a sample'],
    ];
    expect(await errorRows(page)).toEqual(expected);
    expect(await page.locator('table.import-errors caption').textContent()).toBe('4 bad cells — correct them in the file and send it again');

    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await poll(() => page.locator('[role="alert"]:has-text("Nothing was imported")').textContent()).toBe('Nothing was imported. manifest.csv has 4 bad cells.');
    expect(await errorRows(page)).toEqual(expected);
    expect(await counts(number)).toEqual({ seizures: 0, exhibits: 0, samples: 0 });
    await shot(page, 'technician-import-errors');

    // Not a spreadsheet at all: said next to the file field, in the API's words.
    await send(page, 'photo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0, 1, 2, 3]), 'Import', 'image/png');
    await poll(() => page.locator('.error[data-for="file"]').textContent()).toBe('Send a CSV or an XLSX file');
    expect(await page.getByLabel('Manifest file (CSV or XLSX)').getAttribute('aria-invalid')).toBe('true');
  });

  it('when a good CSV is checked, imported and sent again, then the check says what would be registered, the import registers it once with its labels, and the repeat registers nothing', async () => {
    const number = `SZ-OK-${randomUUID().slice(0, 6)}`;
    const file = csv([row(number, '1'), row(number, '2', { sampleForm: 'TABLET', sampleDescription: '20 tablets' })]);
    const page = await ui.signIn(tech);
    await page.goto(`${ui.h.url}/#/import`);
    await send(page, 'port-export.csv', file, 'Check only');
    await poll(() => page.locator('[role="status"]:has-text("Checked")').textContent())
      .toBe('Checked: no errors. 2 rows read. Importing would register 1 new seizure, 2 exhibits and 2 samples. Nothing has been registered yet.');
    expect(await counts(number)).toEqual({ seizures: 0, exhibits: 0, samples: 0 });

    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await poll(() => page.locator('[role="status"]:has-text("Imported")').textContent()).toBe('Imported. port-export.csv: 1 seizure, 2 exhibits and 2 samples registered from 2 rows.');
    expect(await counts(number)).toEqual({ seizures: 1, exhibits: 2, samples: 2 });
    const labels = page.getByRole('link', { name: 'Print 2 labels (PDF)' });
    const href = await labels.getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/imports\/[0-9a-f-]{36}\/labels$/);
    const pdf = await page.evaluate(async (u) => {
      const r = await fetch(u);
      return { type: r.headers.get('content-type'), head: new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5)) };
    }, href!);
    expect(pdf).toEqual({ type: 'application/pdf', head: '%PDF-' });
    await shot(page, 'technician-import-done');

    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await poll(() => page.locator('[role="status"]:has-text("Already imported")').textContent()).toMatch(/^Already imported\. This file was imported on .+; nothing new was registered\.$/);
    expect(await counts(number)).toEqual({ seizures: 1, exhibits: 2, samples: 2 });
  });

  it('when an XLSX has more rows than are written at once, then the page follows the job to the end and offers every label', async () => {
    const number = `SZ-XL-${randomUUID().slice(0, 6)}`;
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('Seizures');
    sheet.addRow(HEADER);
    for (const n of ['1', '2', '3', '4', '5']) sheet.addRow(row(number, n));
    const page = await ui.signIn(tech);
    await page.goto(`${ui.h.url}/#/import`);
    await send(page, 'port-export.xlsx', Buffer.from(await wb.xlsx.writeBuffer()), 'Import', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    await poll(() => page.locator('[role="status"]:has-text("Imported")').textContent()).toBe('Imported. port-export.xlsx: 1 seizure, 5 exhibits and 5 samples registered from 5 rows.');
    expect(await page.getByRole('link', { name: 'Print 5 labels (PDF)' }).count()).toBe(1);
    expect(await counts(number)).toEqual({ seizures: 1, exhibits: 5, samples: 5 });
    // Written by the job, not in the request: the import was queued first.
    const [imp] = await ui.h.sql<{ id: string; status: string; format: string }>('SELECT id::text, status, format FROM "ManifestImport" WHERE filename = $1 ORDER BY "createdAt" DESC LIMIT 1', ['port-export.xlsx']);
    expect(imp).toMatchObject({ status: 'COMPLETED', format: 'xlsx' });
    expect(await ui.h.sql('SELECT action FROM "AuditEntry" WHERE "entityType" = \'ManifestImport\' AND "entityId" = $1 ORDER BY seq LIMIT 1', [imp!.id])).toEqual([{ action: 'import.queue' }]);
  });
});
