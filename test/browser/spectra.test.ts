import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth } from '../support/harness.ts';
import { mspExtract, spectrumCsv } from '../support/swgdrug.ts';
import { BROWSER, fitsWidth, poll, queuedSample, shot, startUi, type TUi, type TUser } from './support.ts';

/** Files as evidence on the sample page, library matching computed here, and the library screen. */
let ui: TUi;
let tech: TUser;
let admin: TUser;
// A few records of the SWGDRUG copy (never shipped: ../shared/spectra): enough for a top 10 and for
// the three methyl acetyl fentanyl isomers that tie.
const LIBRARY = ['Fentanyl', 'Acetyl fentanyl', 'ortho-Methyl Acetyl fentanyl', 'meta-Methyl Acetyl fentanyl', 'para-Methyl Acetyl fentanyl',
  '4-Anilino-N-phenethylpiperidine', 'Cocaine', 'Methamphetamine', 'Heroin', 'Xylazine', 'Lidocaine'];
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  // A small size limit, so that a file over it is quick to make.
  ui = await startUi({ env: { FILE_MAX_MB: '0.06' } });
  tech = await ui.h.user('TECHNICIAN');
  admin = await ui.h.user('ADMIN');
  await ui.h.http().post('/api/v1/spectral-libraries').set(auth(admin.token)).field('name', 'SWGDRUG extract').attach('file', mspExtract(LIBRARY), 'extract.msp').expect(201);
});
afterAll(() => ui?.stop());

const filesForm = (page: Page) => page.locator('form:has(button:text("Attach file"))');
const fileError = (page: Page) => filesForm(page).locator('.error[data-for="file"]').textContent();

async function attach(page: Page, kind: string, name: string, buffer: Buffer, mimeType = 'application/octet-stream') {
  await filesForm(page).getByLabel('Kind of file').selectOption(kind);
  await filesForm(page).locator('input[type="file"]').setInputFiles({ name, mimeType, buffer });
  await filesForm(page).getByRole('button', { name: 'Attach file' }).click();
}

const attachByApi = async (sampleId: string, name: string, bytes: Buffer) =>
  (await ui.h.http().post(`/api/v1/samples/${sampleId}/files`).set(auth(tech.token)).field('kind', 'SPECTRUM').attach('file', bytes, name).expect(201)).body as { id: string };

describe('spectra and files', BROWSER, () => {
  it('when a technician attaches a photo and a spectrum, then the photo shows as a thumbnail and the spectrum as a download with kind, size and short SHA-256; a file over the limit and a spectrum that is not one are refused next to the file field', async () => {
    const { sample } = await queuedSample(ui.h, tech);
    const page = await ui.signIn(tech);
    await page.goto(`${ui.h.url}/#/sample/${sample.id}`);
    await page.waitForSelector('h2:text("Files")');
    const photo = await page.locator('header.top').screenshot();
    await attach(page, 'PHOTO', 'bag-front.png', photo, 'image/png');
    await poll(() => filesForm(page).locator('[role="status"]').textContent()).toMatch(/^Attached bag-front\.png as photo: /);
    await poll(() => page.locator('figure.thumb img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    expect(await page.locator('figure.thumb figcaption').textContent()).toContain(sha(photo).slice(0, 12));

    const csv = spectrumCsv('Fentanyl');
    await attach(page, 'SPECTRUM', 'gcms-114.csv', csv, 'text/csv');
    const row = page.locator('tr[data-file]:has-text("gcms-114.csv")');
    await row.waitFor();
    const name = (await ui.h.sql<{ name: string }>('SELECT name FROM "User" WHERE id = $1', [tech.id]))[0]!.name;
    expect((await row.locator('td').allTextContents()).slice(0, 4)).toEqual(['gcms-114.csv', 'spectrum', `${csv.length} B`, `${sha(csv).slice(0, 12)}…`]);
    expect(await row.locator('td').nth(4).textContent()).toContain(`${name}, `);
    expect(await page.locator('figure.thumb figcaption').textContent()).toContain(name);
    expect(await row.getByRole('link', { name: 'gcms-114.csv' }).getAttribute('href')).toMatch(/^\/api\/v1\/files\/[0-9a-f-]{36}$/);

    await attach(page, 'SPECTRUM', 'not-a-spectrum.csv', photo, 'text/csv');
    await poll(() => fileError(page)).toContain('attach it as OTHER');
    expect(await filesForm(page).locator('input[type="file"]').getAttribute('aria-invalid')).toBe('true');
    await attach(page, 'OTHER', 'raw-run.bin', Buffer.alloc(70_000, 7));
    await poll(() => fileError(page)).toMatch(/larger than/);
    expect(await ui.h.sql('SELECT filename, kind::text FROM "SampleFile" WHERE "sampleId" = $1 ORDER BY "uploadedAt"', [sample.id]))
      .toEqual([{ filename: 'bag-front.png', kind: 'PHOTO' }, { filename: 'gcms-114.csv', kind: 'SPECTRUM' }]);

    await attach(page, 'SPECTRUM', 'gcms-114-again.csv', csv, 'text/csv');
    await poll(() => filesForm(page).locator('[role="status"]').textContent()).toBe(`Already attached as gcms-114.csv (same content, SHA-256 ${sha(csv).slice(0, 12)}…): nothing new was stored.`);
    await shot(page, 'technician-files');
  });

  it('when a GC-MS test is recorded from an attached spectrum, then it shows "computed" beside a typed one\'s "entered", the top 10 with library version and algorithm, and the query up against the best hit down at integer m/z, both to base peak 999', async () => {
    const { sample } = await queuedSample(ui.h, tech);
    const file = await attachByApi(sample.id, 'gcms-115.csv', spectrumCsv('Fentanyl'));
    const page = await ui.signIn(tech);
    await page.goto(`${ui.h.url}/#/sample/${sample.id}`);
    await page.getByLabel('Technique').selectOption('FTIR');
    await page.getByLabel('Outcome').selectOption('POSITIVE');
    await page.getByLabel('Library hit substance').fill('fentanyl');
    await page.getByLabel('Match score 0–1').fill('0.91');
    await page.getByRole('button', { name: 'Record test' }).click();
    await poll(() => page.locator('form:has(button:text("Record test")) [role="status"]').textContent()).toMatch(/^Recorded: FTIR, positive, library hits fentanyl 0\.91/);

    await page.getByLabel('Technique').selectOption('GC_MS');
    await page.getByLabel('Outcome').selectOption('POSITIVE');
    expect(await page.getByLabel('Search an attached spectrum here').isChecked()).toBe(true);
    expect(await page.getByLabel('Substance indicated').isVisible()).toBe(false);
    await page.getByLabel('Spectrum to search').selectOption(file.id);
    // Before anything is recorded, the search of that file is shown, so the outcome is chosen knowing it.
    const preview = page.locator('.hits-preview table tbody tr');
    await poll(() => preview.count()).toBe(5);
    expect((await preview.first().locator('td').allTextContents()).slice(0, 4)).toEqual(['1', 'Fentanyl', 'fentanyl', '999']);
    expect(await page.locator('.hits-preview caption').textContent()).toBe('Best 5 in SWGDRUG extract version 1 (not recorded yet)');
    expect(await ui.h.sql('SELECT count(*)::int AS n FROM "Test" WHERE "sampleId" = $1', [sample.id])).toEqual([{ n: 1 }]);
    await page.getByRole('button', { name: 'Record test' }).click();
    await poll(() => page.locator('form:has(button:text("Record test")) [role="status"]').textContent())
      .toBe('Recorded: GC-MS, positive, hits computed from the spectrum (best: Fentanyl, match factor 999), sampling S1.');
    expect(await ui.h.sql('SELECT technique, "hitsOrigin", "fileId"::text AS "fileId" FROM "Test" WHERE "sampleId" = $1 ORDER BY "recordedAt"', [sample.id]))
      .toEqual([{ technique: 'FTIR', hitsOrigin: 'ENTERED', fileId: null }, { technique: 'GC_MS', hitsOrigin: 'COMPUTED', fileId: file.id }]);
    expect(await page.locator('[data-origin]').allTextContents()).toEqual(['entered', 'computed']);

    const match = page.locator('section.match');
    expect(await match.locator('p.muted').first().textContent()).toMatch(/^Library SWGDRUG extract version 1 \(SHA-256 [0-9a-f]{12}…\) · algorithm nist-composite-1994 · \d+ query peaks/);
    const rows = match.locator('table.hits-computed tbody tr');
    expect(await rows.count()).toBe(10);
    expect((await rows.first().locator('td').allTextContents()).slice(0, 5)).toEqual(['1', 'Fentanyl', 'fentanyl', 'fentanyl', '999']);
    expect(await match.locator('[data-isomers]').count()).toBe(0);

    const drawn = () => page.locator('section.match canvas').evaluate((c) => (c as HTMLCanvasElement & { chart?: { data: { datasets: { data: { x: number; y: number }[] }[] } } }).chart?.data.datasets.map((d) => d.data));
    await poll(async () => (await drawn())?.length).toBe(2);
    const [up, down] = (await drawn())!;
    expect(up!.every((p) => Number.isInteger(p.x) && p.y > 0)).toBe(true);
    expect(Math.max(...up!.map((p) => p.y))).toBe(999);
    expect(down!.every((p) => Number.isInteger(p.x) && p.y < 0)).toBe(true);
    expect(Math.min(...down!.map((p) => p.y))).toBe(-999);
    // Fentanyl's base peak is m/z 245: the query and its library record agree there.
    expect(up!.find((p) => p.y === 999)!.x).toBe(245);
    expect(down!.find((p) => p.y === -999)!.x).toBe(245);
    await shot(page, 'technician-spectral-match');
    const tablet = await ui.signIn(tech, { width: 820, height: 1180 });
    await tablet.goto(`${ui.h.url}/#/sample/${sample.id}`);
    await tablet.locator('section.match canvas').waitFor();
    expect(await fitsWidth(tablet)).toBe(true);
  });

  it('when the spectrum is a methyl acetyl fentanyl, then a banner names the positional isomers the search cannot tell apart', async () => {
    const { sample } = await queuedSample(ui.h, tech);
    const file = await attachByApi(sample.id, 'gcms-116.csv', spectrumCsv('para-Methyl Acetyl fentanyl'));
    await ui.h.http().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token)).send({ technique: 'GC_MS', outcome: 'POSITIVE', fileId: file.id }).expect(201);
    const [row] = await ui.h.sql<{ candidates: string[] }>(`SELECT "spectralSearch"->'isomerCandidates' AS candidates FROM "Test" WHERE "sampleId" = $1`, [sample.id]);
    const candidates = row!.candidates;
    expect(candidates).toEqual(expect.arrayContaining(['para-Methyl Acetyl fentanyl']));
    expect(candidates.length).toBeGreaterThan(1);
    const page = await ui.signIn(tech);
    await page.goto(`${ui.h.url}/#/sample/${sample.id}`);
    const banner = page.locator('[data-isomers]');
    await banner.waitFor();
    for (const name of candidates) expect(await banner.textContent()).toContain(name);
    await shot(page, 'technician-isomer-banner');
  });

  it('when an administrator imports a library through the screen, then it is listed with its version and record count; the same file again adds nothing, and a file that is not MSP is refused next to the field', async () => {
    const page = await ui.signIn(admin);
    await page.getByRole('link', { name: 'Spectral libraries' }).click();
    await page.waitForSelector('h1:text("Spectral libraries")');
    const form = page.locator('form:has(button:text("Import library"))');
    const msp = mspExtract(['Cocaine', 'Heroin', 'Xylazine']);
    await form.getByLabel('Library name').fill('Street drugs');
    await form.getByLabel('Library file (NIST text, MSP)').setInputFiles({ name: 'street.csv', mimeType: 'text/csv', buffer: spectrumCsv('Cocaine') });
    await form.getByRole('button', { name: 'Import library' }).click();
    await poll(() => form.locator('.error[data-for="file"]').textContent()).toBe('A spectral library is imported from a NIST text (MSP) file');

    await form.getByLabel('Library file (NIST text, MSP)').setInputFiles({ name: 'street.msp', mimeType: 'text/plain', buffer: msp });
    await form.getByRole('button', { name: 'Import library' }).click();
    await poll(() => form.locator('[role="status"]').textContent()).toMatch(/^Imported Street drugs version 1: 3 spectra, 3 linked to the substance catalogue\./);
    expect(await form.locator('[aria-invalid="true"]').count()).toBe(0);
    const row = page.locator('tr[data-library]:has-text("Street drugs")');
    expect((await row.locator('td').allTextContents()).slice(0, 5)).toEqual(['Street drugs', '1', '3', '3', `${sha(msp).slice(0, 12)}…`]);
    await form.getByRole('button', { name: 'Import library' }).click();
    await poll(() => form.locator('[role="status"]').textContent()).toBe('This file is already Street drugs version 1 (same SHA-256): nothing new was imported.');
    expect(await ui.h.sql('SELECT name, version FROM "SpectralLibrary" ORDER BY "importedAt"')).toEqual([{ name: 'SWGDRUG extract', version: 1 }, { name: 'Street drugs', version: 1 }]);
    await shot(page, 'admin-libraries');
  });
});
