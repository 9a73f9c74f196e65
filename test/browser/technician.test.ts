import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER, inViewport, poll, queuedSample, shot, startUi, type TUi, type TUser } from './support.ts';

/** The technician's screens: registration, numbers and tests as the bench types them. */
let ui: TUi;
let tech: TUser;

beforeAll(async () => {
  ui = await startUi();
  tech = await ui.h.user('TECHNICIAN', 'bench-tech-password');
});
afterAll(() => ui?.stop());

const errorOf = (page: Page, name: string) => page.locator(`form .error[data-for="${name}"]`).first().textContent();
const sampleForm = (page: Page) => page.locator('form:has(button:text("Register sample"))');

/** Opens a seizure at 2604 on the intake page and waits for its sample form. */
async function openSeizure(page: Page) {
  await page.getByRole('link', { name: 'New seizure' }).click();
  await page.getByLabel('Port of entry').selectOption('2604');
  await page.getByLabel('Seizure number (blank: assigned)').fill(`SZ-${randomUUID().slice(0, 8)}`);
  await page.getByRole('button', { name: 'Open seizure' }).click();
  await page.waitForSelector('h2:text-matches("Samples of seizure")');
}

const samplesSealed = async (seal: string) => ui.h.sql<{ grossWeightG: number; netWeightG: number | null; netWeightUncertaintyG: number | null; unitCount: number | null; barcode: string }>(
  'SELECT "grossWeightG", "netWeightG", "netWeightUncertaintyG", "unitCount", barcode FROM "Sample" WHERE "sealNumber" = $1', [seal]);

describe('technician', BROWSER, () => {
  it('when a registration is refused and then accepted, then the old errors go and a confirmation shows beside the form at 800 px', async () => {
    const page = await ui.signIn(tech, { width: 1280, height: 800 });
    await page.getByRole('link', { name: 'New seizure' }).click();
    await page.getByLabel('Port of entry').selectOption('2604');
    await page.getByLabel('Seizure number (blank: assigned)').fill('x');
    await page.getByRole('button', { name: 'Open seizure' }).click();
    await poll(() => errorOf(page, 'seizureNumber')).not.toBe('');
    const number = `SZ-${randomUUID().slice(0, 8)}`;
    await page.getByLabel('Seizure number (blank: assigned)').fill(number);
    await page.getByRole('button', { name: 'Open seizure' }).click();
    await page.waitForSelector('h2:text-matches("Samples of seizure")');
    const seizureForm = page.locator('form:has(button:text("Open seizure"))');
    expect(await seizureForm.locator('[aria-invalid="true"]').count()).toBe(0);
    expect((await seizureForm.locator('.error').allTextContents()).join('')).toBe('');
    expect(await seizureForm.locator('[role="status"]').textContent()).toContain(`Seizure ${number} opened`);

    await page.getByRole('button', { name: 'Register sample' }).click();
    await poll(() => errorOf(page, 'description')).not.toBe('');
    expect(await sampleForm(page).locator('[aria-invalid="true"]').count()).toBeGreaterThan(1);
    const seal = `SEAL-${randomUUID().slice(0, 8)}`;
    await page.getByLabel('Description').fill('white powder, knotted bag');
    await page.getByLabel('Gross weight (g)').fill('61.2');
    await page.getByLabel('Seal number').fill(seal);
    await page.getByRole('button', { name: 'Register sample' }).click();
    const confirmation = sampleForm(page).locator('[role="status"]');
    await poll(() => confirmation.textContent()).toMatch(/^Registered FOL2604/);
    const [row] = await samplesSealed(seal);
    expect(await confirmation.textContent()).toContain(row!.barcode);
    expect(await sampleForm(page).locator('[aria-invalid="true"]').count()).toBe(0);
    expect((await sampleForm(page).locator('.error').allTextContents()).join('')).toBe('');
    expect(await inViewport(page, 'form:has(button:text("Register sample")) [role="status"]')).toBe(true);
    await shot(page, 'technician-registered');
  });

  it('when weights and counts are typed with a letter, a comma or a fraction of a unit, then each field refuses with a message, keeps the text, and nothing is registered', async () => {
    const page = await ui.signIn(tech);
    await openSeizure(page);
    expect(await page.locator('main input[type="number"]').count()).toBe(0);
    const seal = `SEAL-${randomUUID().slice(0, 8)}`;
    await page.getByLabel('Description').fill('brown powder');
    await page.getByLabel('Seal number').fill(seal);
    const typed = { 'Gross weight (g)': '12O', 'Net weight (g)': '1o2.5', 'Net weight uncertainty ± (g)': '0,2', 'Units (tablets, bags)': '2.5' };
    for (const [field, text] of Object.entries(typed)) await page.getByLabel(field).pressSequentially(text);
    await page.getByRole('button', { name: 'Register sample' }).click();
    await poll(() => errorOf(page, 'grossWeightG')).toBe('"12O" is not a number: use digits and a decimal point, e.g. 12.5');
    expect(await errorOf(page, 'netWeightG')).toBe('"1o2.5" is not a number: use digits and a decimal point, e.g. 12.5');
    expect(await errorOf(page, 'netWeightUncertaintyG')).toBe('"0,2" is not a number: write the decimal with a point (0.2), not a comma');
    expect(await errorOf(page, 'unitCount')).toBe('"2.5" is not a whole number: count whole units, e.g. 12');
    for (const [field, text] of Object.entries(typed)) {
      expect(await page.getByLabel(field).inputValue()).toBe(text);
      expect(await page.getByLabel(field).getAttribute('aria-invalid')).toBe('true');
    }
    expect(await samplesSealed(seal)).toEqual([]);
    await shot(page, 'technician-number-refused');

    for (const [field, text] of Object.entries({ 'Gross weight (g)': '12.0', 'Net weight (g)': '10.5', 'Net weight uncertainty ± (g)': '.2', 'Units (tablets, bags)': '3' })) await page.getByLabel(field).fill(text);
    await page.getByRole('button', { name: 'Register sample' }).click();
    await poll(() => sampleForm(page).locator('[role="status"]').textContent()).toMatch(/^Registered/);
    expect(await samplesSealed(seal)).toEqual([expect.objectContaining({ grossWeightG: 12, netWeightG: 10.5, netWeightUncertaintyG: 0.2, unitCount: 3 })]);
  });

  it('when a custody event is refused and then recorded, then the error goes and the form says what was recorded', async () => {
    const receiver = await ui.h.user('TECHNICIAN');
    const receiverName = (await ui.h.sql<{ name: string }>('SELECT name FROM "User" WHERE id = $1', [receiver.id]))[0]!.name;
    const { sample } = await queuedSample(ui.h, tech);
    const page = await ui.signIn(tech);
    await page.goto(`${ui.h.url}/#/sample/${sample.id}`);
    const form = page.locator('form:has(button:text("Record custody event"))');
    await form.getByLabel('Action').selectOption('TRANSFERRED');
    await form.getByRole('button', { name: 'Record custody event' }).click();
    await poll(() => errorOf(page, 'toUserId')).toBe('a transferred item must name who receives it');
    await form.getByLabel('To').selectOption(receiver.id);
    await form.getByLabel('Seal number').fill('B-7');
    await form.getByRole('button', { name: 'Record custody event' }).click();
    await poll(() => page.locator('form:has(button:text("Record custody event")) [role="status"]').textContent()).toMatch(new RegExp(`^Recorded: transferred to ${receiverName}, seal B-7, `));
    expect(await page.locator('form:has(button:text("Record custody event")) [aria-invalid="true"]').count()).toBe(0);
    expect((await page.locator('form:has(button:text("Record custody event")) .error').allTextContents()).join('')).toBe('');
    expect(await ui.h.sql('SELECT action::text, "toUserId" FROM "CustodyEvent" WHERE "sampleId" = $1 ORDER BY at', [sample.id]))
      .toEqual([{ action: 'RECEIVED', toUserId: tech.id }, { action: 'TRANSFERRED', toUserId: receiver.id }]);
  });

  it('when a library hit score is typed with a letter, then the test form refuses it with a message and records nothing', async () => {
    const { sample } = await queuedSample(ui.h, tech);
    const page = await ui.signIn(tech);
    await page.goto(`${ui.h.url}/#/sample/${sample.id}`);
    await page.getByLabel('Technique').selectOption('FTIR');
    expect(await page.locator('main input[type="number"]').count()).toBe(0);
    await page.getByLabel('Outcome').selectOption('POSITIVE');
    await page.getByLabel('Library hit substance').fill('fentanyl');
    await page.getByLabel('Match score 0–1').pressSequentially('0.9O');
    await page.getByRole('button', { name: 'Record test' }).click();
    await poll(() => page.locator('.error[data-for="hits.0.score"]').textContent()).toBe('"0.9O" is not a number: use digits and a decimal point, e.g. 0.93');
    expect(await page.getByLabel('Match score 0–1').inputValue()).toBe('0.9O');
    expect(await page.getByLabel('Match score 0–1').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Match score 0–1').fill('93');
    await page.getByRole('button', { name: 'Record test' }).click();
    await poll(() => page.locator('.error[data-for="hits.0.score"]').textContent()).toBe('must be between 0 and 1: for 93 %, type 0.93 or 93 %');
    expect(await ui.h.sql('SELECT id FROM "Test" WHERE "sampleId" = $1', [sample.id])).toEqual([]);
  });

  it('when a substance is typed for a fentanyl test strip result, then it is recorded with the test and the page says so', async () => {
    const { sample } = await queuedSample(ui.h, tech);
    const page = await ui.signIn(tech);
    await page.goto(`${ui.h.url}/#/sample/${sample.id}`);
    await page.getByLabel('Technique').selectOption('FENTANYL_TEST_STRIP');
    await page.getByLabel('Outcome').selectOption('POSITIVE');
    const substance = page.getByLabel('Substance indicated');
    expect(await substance.isVisible()).toBe(true);
    expect(await page.locator('.field:has(input[name="substance"]) .muted').textContent()).toContain('a positive strip counts as presumptive fentanyl');
    await substance.fill('fentanyl');
    await page.getByRole('button', { name: 'Record test' }).click();
    const note = page.locator('form:has(button:text("Record test")) [role="status"]');
    await poll(() => note.textContent()).toBe('Recorded: fentanyl test strip, positive, substance fentanyl, sampling S1.');
    expect(await ui.h.sql('SELECT technique::text, "substanceText" FROM "Test" WHERE "sampleId" = $1', [sample.id])).toEqual([{ technique: 'FENTANYL_TEST_STRIP', substanceText: 'fentanyl' }]);
    // A strip has no library hits: nothing to mark as entered or computed, and no instrument.
    expect((await page.locator('table:has(th:text("Substance")) tbody tr').first().locator('td').allTextContents()).slice(0, 5)).toEqual(['fentanyl test strip', 'positive', 'fentanyl', 'S1', '—']);
  });

  it('when a seizure is opened with an exhibit and observables, then a bad cell is refused in its row, the stored values are shown as normalised, and a sample names its exhibit', async () => {
    const page = await ui.signIn(tech);
    await page.getByRole('link', { name: 'New seizure' }).click();
    await page.getByLabel('Port of entry').selectOption('2604');
    const number = `SZ-${randomUUID().slice(0, 8)}`;
    await page.getByLabel('Seizure number (blank: assigned)').fill(number);
    await page.getByRole('button', { name: 'Add exhibit' }).click();
    await page.getByLabel('Exhibit 1: Exhibit number').fill('E1');
    await page.getByLabel('Exhibit 1: Description').fill('bundles in spare tyre');
    await page.getByLabel('Exhibit 1: Net weight (kg)').fill('12,5');
    for (const kind of ['PHONE', 'VEHICLE_PLATE']) {
      await page.getByRole('button', { name: 'Add observable' }).click();
      const n = await page.locator('[data-rows="observables"] tbody tr').count();
      await page.getByLabel(`Observable ${n}: Kind`).selectOption(kind);
    }
    await page.getByLabel('Observable 1: Value').fill('555-01');
    await page.getByLabel('Observable 2: Value').fill('abc 1234');
    await page.getByLabel('Observable 2: State or country').fill('SON');
    const seizureForm = page.locator('form:has(button:text("Open seizure"))');
    await page.getByRole('button', { name: 'Open seizure' }).click();
    await poll(() => errorOf(page, 'exhibits.0.netWeightKg')).toBe('"12,5" is not a number: write the decimal with a point (12.5), not a comma');

    await page.getByLabel('Exhibit 1: Net weight (kg)').fill('12.5');
    await page.getByRole('button', { name: 'Open seizure' }).click();
    await poll(() => errorOf(page, 'observables.0.value')).toMatch(/^phone: /);
    expect(await page.getByLabel('Observable 1: Value').getAttribute('aria-invalid')).toBe('true');
    expect(await ui.h.sql('SELECT id FROM "Seizure" WHERE "seizureNumber" = $1', [number])).toEqual([]);

    await page.getByLabel('Observable 1: Value').fill('(520) 555-0142');
    await page.getByRole('button', { name: 'Open seizure' }).click();
    await page.waitForSelector('h2:text-matches("Samples of seizure")');
    const saved = await seizureForm.locator('[role="status"]').textContent();
    expect(saved).toContain('Exhibit E1: bundles in spare tyre, 12.5 kg');
    expect(saved).toContain('Phone number: (520) 555-0142 → +15205550142');
    expect(saved).toContain('Vehicle plate: abc 1234 → SON-ABC1234');
    const [exhibit] = await ui.h.sql<{ id: string; netWeightKg: number }>('SELECT e.id::text, e."netWeightKg" FROM "Exhibit" e JOIN "Seizure" s ON s.id = e."seizureId" WHERE s."seizureNumber" = $1', [number]);
    expect(exhibit!.netWeightKg).toBe(12.5);
    expect(await ui.h.sql('SELECT o.kind, o.normalized FROM "Observable" o JOIN "Seizure" s ON s.id = o."seizureId" WHERE s."seizureNumber" = $1 ORDER BY o.kind', [number]))
      .toEqual([{ kind: 'PHONE', normalized: '+15205550142' }, { kind: 'VEHICLE_PLATE', normalized: 'SON-ABC1234' }]);
    await shot(page, 'technician-seizure-intel');

    await page.getByLabel('Exhibit this sample represents').selectOption(exhibit!.id);
    const seal = `SEAL-${randomUUID().slice(0, 8)}`;
    await page.getByRole('textbox', { name: 'Description', exact: true }).fill('one bundle opened, white powder');
    await page.getByLabel('Gross weight (g)').fill('3.1');
    await page.getByLabel('Seal number').fill(seal);
    await page.getByRole('button', { name: 'Register sample' }).click();
    await poll(() => sampleForm(page).locator('[role="status"]').textContent()).toMatch(/^Registered FOL2604\w+ — item 1, exhibit E1,/);
    expect(await ui.h.sql('SELECT "exhibitId"::text FROM "Sample" WHERE "sealNumber" = $1', [seal])).toEqual([{ exhibitId: exhibit!.id }]);
  });
});
