import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, eventually, sampleBody, seizureBody } from '../support/harness.ts';
import { BROWSER, poll, queuedSample, shot, startUi, type TUi, type TUser } from './support.ts';

/** The technician's day at the bench: the scanner, the worklist, custody hand-overs, forms in plain words. */
let ui: TUi;
let tech: TUser;
let other: TUser;
const tag = randomUUID().slice(0, 5).toUpperCase();
const JARGON = /Invalid input|expected \w+, received|body\.|query\.|params\.|[A-Z]+_[A-Z_]+/;

beforeAll(async () => {
  ui = await startUi();
  tech = await ui.h.user('TECHNICIAN', 'bench-tech-password-1');
  other = await ui.h.user('TECHNICIAN', 'bench-other-password');
});
afterAll(() => ui?.stop());

const post = (path: string, body: object, who: TUser = tech) => ui.h.http().post(`/api/v1${path}`).set(auth(who.token)).send(body);
const focused = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.getAttribute('name'));
const barcodes = (page: Page) => page.locator('tr[data-barcode]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-barcode')));
const countLine = (page: Page) => page.locator('p.count').textContent();

describe('scanner and worklist', BROWSER, () => {
  it('when the worklist loads (after sign-in, coming back from a sample, a reload), then the barcode box has focus; after a failed lookup its text is selected so the next scan replaces it', async () => {
    const { sample } = await queuedSample(ui.h, tech);
    const page = await ui.signIn(tech);
    await poll(() => focused(page)).toBe('barcode');
    await page.getByLabel('Scan or type barcode').pressSequentially('FOLNOSUCH42');
    await page.keyboard.press('Enter');
    await poll(() => page.locator('form.scan .error.form').textContent()).toBe('No sample with barcode FOLNOSUCH42');
    expect(await page.locator('input[name="barcode"]').evaluate((el: HTMLInputElement) => [document.activeElement === el, el.selectionStart, el.selectionEnd])).toEqual([true, 0, 11]);
    // A keyboard-wedge scanner types the next code and Enter: it replaces the failed one.
    await page.keyboard.type(sample.barcode);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`h1:has-text("${sample.barcode}")`);
    await page.goBack();
    await page.waitForSelector('h1:text("Worklist")');
    await poll(() => focused(page)).toBe('barcode');
    await page.reload();
    await page.waitForSelector('h1:text("Worklist")');
    await poll(() => focused(page)).toBe('barcode');
  });

  it('when the worklist is filtered by port, status, priority and mine, searched, sorted and paged, then the rows, the count and the columns follow', async () => {
    const paged = (await post('/seizures', seizureBody({ portCode: '2309', seizureNumber: `SZ-${tag}-P` })).expect(201)).body;
    for (let i = 0; i < 52; i++) await post('/samples', sampleBody(paged.id, { description: `packet ${i + 1}` })).expect(201);
    const z = (await post('/seizures', seizureBody({ portCode: '2305', seizureNumber: `SZ-${tag}-F` })).expect(201)).body;
    const urgent = (await post('/samples', sampleBody(z.id, { description: `green pills ${tag}`, priority: 'URGENT' }), other).expect(201)).body;
    const tested = (await post('/samples', sampleBody(z.id, { description: 'tan powder' })).expect(201)).body;
    await post(`/samples/${tested.id}/tests`, { technique: 'COLOR_TEST', outcome: 'NEGATIVE', reagent: 'Marquis' }).expect(201);
    await eventually(async () => (await ui.h.http().get(`/api/v1/samples/${tested.id}`).set(auth(tech.token))).body.status === 'IN_ANALYSIS', 'in analysis');

    const page = await ui.signIn(tech);
    await page.getByLabel('Port').selectOption('2309');
    await poll(() => countLine(page)).toBe('52 samples; showing 1–50.');
    await page.getByRole('button', { name: 'Next page' }).click();
    await poll(() => countLine(page)).toBe('52 samples; showing 51–52.');
    await page.getByRole('button', { name: 'Previous page' }).click();
    await poll(() => countLine(page)).toBe('52 samples; showing 1–50.');

    await page.getByLabel('Port').selectOption('2305');
    await poll(() => barcodes(page)).toEqual([urgent.barcode, tested.barcode]);
    const cells = await page.locator(`tr[data-barcode="${urgent.barcode}"] td`).allTextContents();
    expect(cells.slice(0, 4)).toEqual([urgent.barcode, `SZ-${tag}-F`, `green pills ${tag}`, '2305']);
    await page.getByLabel('Status').selectOption('IN_ANALYSIS');
    await poll(() => barcodes(page)).toEqual([tested.barcode]);
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Priority').selectOption('URGENT');
    await poll(() => barcodes(page)).toEqual([urgent.barcode]);
    await page.getByLabel('Priority').selectOption('');
    await page.getByLabel('Only mine (registered or tested by me)').check();
    await poll(() => barcodes(page)).toEqual([tested.barcode]);
    await page.getByLabel('Only mine (registered or tested by me)').uncheck();
    await page.getByLabel('Order').selectOption('barcode');
    await poll(() => barcodes(page)).toEqual([urgent.barcode, tested.barcode].sort());
    await page.getByLabel('Port').selectOption('');
    await page.getByLabel('Search barcode, seizure number or description').fill(`green pills ${tag.toLowerCase()}`);
    await poll(() => barcodes(page)).toEqual([urgent.barcode]);
    expect(await countLine(page)).toBe('1 sample; showing 1–1.');
    await page.getByLabel('Search barcode, seizure number or description').fill(`sz-${tag.toLowerCase()}-f`);
    await poll(() => barcodes(page)).toEqual([urgent.barcode, tested.barcode].sort());
    await page.getByLabel('Search barcode, seizure number or description').fill(tested.barcode.slice(-7));
    await poll(() => barcodes(page)).toEqual([tested.barcode]);
    await shot(page, 'technician-worklist');
  });
});

describe('custody and forms in plain words', BROWSER, () => {
  it('when a technician hands an item over, then the recipient and witness lists hold only people who may hold evidence, and a search narrows them', async () => {
    const admin = await ui.h.user('ADMIN');
    const agent = await ui.h.user('INVESTIGATOR');
    const agentName = (await ui.h.sql<{ name: string }>('SELECT name FROM "User" WHERE id = $1', [agent.id]))[0]!.name;
    const { sample } = await queuedSample(ui.h, tech);
    const page = await ui.signIn(tech);
    await page.goto(`${ui.h.url}/#/sample/${sample.id}`);
    const form = page.locator('form:has(button:text("Record custody event"))');
    await form.waitFor();
    const recipients = await form.getByLabel('To', { exact: true }).locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(recipients).toContain(agent.id);
    expect(recipients).not.toContain(admin.id);
    const witnesses = await form.getByLabel('Witness', { exact: true }).locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(witnesses).not.toContain(admin.id);
    expect(witnesses).not.toContain(tech.id);
    await form.getByLabel('Action').selectOption('TRANSFERRED');
    await form.getByLabel('Search recipients').fill(agent.email.slice(13, 24));
    await poll(() => form.getByLabel('To', { exact: true }).inputValue()).toBe(agent.id);
    expect(await form.getByLabel('To', { exact: true }).locator('option:not([hidden])').count()).toBe(2);
    await form.getByRole('button', { name: 'Record custody event' }).click();
    await poll(() => form.locator('[role="status"]').textContent()).toContain(`Recorded: transferred to ${agentName}`);
  });

  it('when forms are sent incomplete or with a percentage score, then required fields are marked, messages are plain words beside their fields, and 93 % is read as 0.93; techniques go by their names', async () => {
    const page = await ui.signIn(tech);
    await page.getByRole('link', { name: 'New seizure' }).click();
    await page.getByRole('button', { name: 'Open seizure' }).click();
    await page.waitForSelector('h2:text-matches("Samples of seizure")');
    const sampleForm = page.locator('form:has(button:text("Register sample"))');
    for (const name of ['Description', 'Gross weight (g)', 'Seal number']) expect(await sampleForm.locator(`label:has-text("${name}") abbr.req`).count(), name).toBe(1);
    await sampleForm.getByRole('button', { name: 'Register sample' }).click();
    await poll(() => sampleForm.locator('.error[data-for="description"]').textContent()).toBe('required');
    expect(await sampleForm.locator('.error[data-for="grossWeightG"]').textContent()).toBe('required');
    expect(await sampleForm.locator('.error.form').textContent()).toBe('Nothing was saved: some fields need correcting');
    expect((await page.locator('main').textContent())!).not.toMatch(/Invalid input|expected \w+, received|body\./);

    const { sample } = await queuedSample(ui.h, tech);
    await page.goto(`${ui.h.url}/#/sample/${sample.id}`);
    const technique = page.getByLabel('Technique');
    await technique.waitFor();
    expect(await technique.locator('option').allTextContents()).toEqual(expect.arrayContaining(['FTIR (A)', 'GC-MS (A)', 'fentanyl test strip (C)', 'colour test (C)']));
    await technique.selectOption('FTIR');
    await page.getByLabel('Outcome').selectOption('POSITIVE');
    await page.getByLabel('Data file / spectrum ref.').fill('ftir/0007.spa');
    await page.getByLabel('Library hit substance').fill('fentanyl');
    await page.getByLabel('Match score 0–1').fill('93 %');
    await page.getByRole('button', { name: 'Record test' }).click();
    await poll(() => page.locator('form:has(button:text("Record test")) [role="status"]').textContent()).toBe('Recorded: FTIR, positive, library hits fentanyl 0.93, sampling S1.');
    expect(await ui.h.sql<{ hits: unknown }>('SELECT hits FROM "Test" WHERE "sampleId" = $1', [sample.id])).toEqual([{ hits: [{ substance: 'fentanyl', score: 0.93 }] }]);
    await poll(() => page.locator('table.tests tbody tr td').nth(2).textContent()).toBe('fentanyl 0.93 (93 %) entered');
    await page.locator('.verdict[data-level="PRESUMPTIVE"]').waitFor();
    await page.locator('.verdict summary').click();
    const rationale = (await page.locator('.verdict details ul').textContent())!;
    expect(rationale).toContain('FTIR (A)');
    expect(rationale).not.toMatch(JARGON);
    expect(await page.locator('.verdict .warnings li').first().locator('strong').textContent()).not.toMatch(JARGON);
  });
});
