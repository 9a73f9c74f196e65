import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, sampleBody, seizureBody } from '../support/harness.ts';
import { BROWSER, poll, shot, startUi, type TUi, type TUser } from './support.ts';

/** Seizures as people find them: by number, port and day; the seizure page; a sample added later; linking to a case by number. */
let ui: TUi;
let tech: TUser;
const tag = randomUUID().slice(0, 5).toUpperCase();

beforeAll(async () => {
  ui = await startUi();
  tech = await ui.h.user('TECHNICIAN', 'seizures-tech-password');
});
afterAll(() => ui?.stop());

const post = (path: string, body: object, who: TUser = tech) => ui.h.http().post(`/api/v1${path}`).set(auth(who.token)).send(body);
const rows = (page: import('playwright-core').Page) => page.locator('tr[data-seizure]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-seizure')));

describe('seizures', BROWSER, () => {
  it('when a technician searches seizures by part of the number, by port and by day, then the list narrows, counts and pages', async () => {
    const at = (d: string) => `${d}T12:00:00Z`;
    for (let i = 1; i <= 27; i++) await post('/seizures', seizureBody({ seizureNumber: `SZ-${tag}-${String(i).padStart(3, '0')}`, portCode: i === 5 ? '2503' : '2604', seizedAt: at(i === 7 ? '2026-02-14' : '2026-03-01') })).expect(201);
    const page = await ui.signIn(tech);
    await page.getByRole('link', { name: 'Seizures' }).click();
    await page.getByLabel('Seizure number (any part)').fill(tag.toLowerCase());
    await page.getByRole('button', { name: 'Search' }).click();
    await poll(() => page.locator('p[role="status"]').textContent()).toBe('27 seizures, showing 1–25.');
    await page.getByRole('button', { name: 'Next page' }).click();
    await poll(() => page.locator('p[role="status"]').textContent()).toBe('27 seizures, showing 26–27.');
    await page.getByRole('button', { name: 'Previous page' }).click();
    await poll(() => page.locator('p[role="status"]').textContent()).toBe('27 seizures, showing 1–25.');
    await page.getByLabel('Port').selectOption('2503');
    await page.getByRole('button', { name: 'Search' }).click();
    await poll(() => rows(page)).toEqual([`SZ-${tag}-005`]);
    await page.getByLabel('Port').selectOption('');
    await page.getByLabel('Seized from').fill('2026-02-14');
    await page.getByLabel('Seized to (inclusive)').fill('2026-02-14');
    await page.getByRole('button', { name: 'Search' }).click();
    await poll(() => rows(page)).toEqual([`SZ-${tag}-007`]);
    await shot(page, 'technician-seizures');
  });

  it('when a technician opens an earlier seizure, then it shows its exhibits and samples, a sample can be added to it, and the sample page names and links the seizure', async () => {
    const z = (await post('/seizures', seizureBody({ seizureNumber: `SZ-${tag}-PAGE` })).expect(201)).body;
    await post(`/seizures/${z.id}/exhibits`, { exhibitNumber: 'E1', description: 'duffel bag, 12 bricks', netWeightKg: 14.2 }).expect(201);
    const first = (await post('/samples', sampleBody(z.id, { description: 'brick 1 core' })).expect(201)).body;
    const page = await ui.signIn(tech);
    await page.goto(`${ui.h.url}/#/seizure/${z.id}`);
    await page.waitForSelector(`h1:has-text("SZ-${tag}-PAGE")`);
    expect(await page.locator('.card:has(h2:text("Exhibits")) tbody tr').first().locator('td').allTextContents()).toEqual(['E1', 'duffel bag, 12 bricks', '—', '14.2']);
    expect(await page.locator(`tr[data-barcode="${first.barcode}"] td`).nth(3).textContent()).toBe('brick 1 core');

    const add = page.locator('form:has(button:text("Register sample"))');
    await add.getByLabel('Description').fill('brick 2 core');
    await add.getByLabel('Gross weight (g)').fill('11.5');
    await add.getByLabel('Seal number').fill('S-2');
    await add.getByRole('button', { name: 'Register sample' }).click();
    await poll(() => add.locator('[role="status"]').textContent()).toMatch(/^Registered FOL2604\w+ — item 2/);
    await poll(() => page.locator('.card:has(h2:text("Samples")) tbody tr').count()).toBe(2);
    await shot(page, 'technician-seizure');

    await page.getByRole('link', { name: first.barcode }).click();
    await page.waitForSelector(`h1:has-text("${first.barcode}")`);
    await page.getByRole('link', { name: `SZ-${tag}-PAGE` }).click();
    await page.waitForSelector(`h1:has-text("SZ-${tag}-PAGE")`);
  });

  it('when a seizure\'s number is corrected on its page, then the history keeps the old number and the page asks to reprint its samples\' labels', async () => {
    const z = (await post('/seizures', seizureBody({ seizureNumber: `SZ-${tag}-TYPO` })).expect(201)).body;
    const s = (await post('/samples', sampleBody(z.id)).expect(201)).body;
    const page = await ui.signIn(tech);
    await page.goto(`${ui.h.url}/#/seizure/${z.id}`);
    const card = page.locator('.card:has(h2:text-is("Corrections"))');
    await card.locator('summary').click();
    await card.getByLabel('Seizure number').fill(`SZ-${tag}-FIXED`);
    await card.getByLabel('Reason for the correction').fill('number typed from the wrong form');
    await card.getByRole('button', { name: 'Save correction' }).click();
    await page.waitForSelector(`h1:has-text("SZ-${tag}-FIXED")`);
    expect(await page.locator('.card:has(h2:text-is("Corrections")) ol.history').textContent()).toContain(`Seizure number: SZ-${tag}-TYPO → SZ-${tag}-FIXED`);
    expect(await page.locator('.notice.reprint').textContent()).toContain(`label of ${s.barcode}`);
  });

  it('when an investigator links a seizure to their case, then they type part of its number, pick it from the matches, and the case lists it', async () => {
    const agent = await ui.h.user('INVESTIGATOR', 'seizures-agent-password');
    const kase = await ui.h.deps.db.case.create({ data: { caseNumber: `HSI-2604-2026-${tag}`, portCode: '2604', assigneeId: agent.id } });
    await post('/seizures', seizureBody({ seizureNumber: `SZ-${tag}-LINKME` })).expect(201);
    const page = await ui.signIn(agent);
    await page.goto(`${ui.h.url}/#/case/${kase.id}`);
    const number = page.getByLabel('Seizure number');
    await number.pressSequentially(`${tag.toLowerCase()}-link`);
    await poll(() => page.locator(`datalist#linkable-${kase.id} option`).evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual([`SZ-${tag}-LINKME`]);
    expect(await page.locator('form:has(button:text("Link seizure")) .matches').textContent()).toBe('1 seizure not yet in a case matches.');
    await number.fill(`SZ-${tag}-LINKME`);
    await page.getByRole('button', { name: 'Link seizure' }).click();
    await poll(() => page.locator('.card:has(h2:text("Seizures")) li').allTextContents()).toEqual([expect.stringContaining(`SZ-${tag}-LINKME`)]);
    expect(await page.locator('#banner').textContent()).toBe(`Seizure SZ-${tag}-LINKME is linked to case HSI-2604-2026-${tag}.`);
    expect(await page.getByLabel('Seizure id').count()).toBe(0);
  });
});
