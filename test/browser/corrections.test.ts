import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, eventually } from '../support/harness.ts';
import { BROWSER, poll, queuedSample, shot, startUi, type TUi, type TUser } from './support.ts';

/** The technician corrects what was typed wrong: the record keeps its history, the label is reprinted. */
let ui: TUi;
let tech: TUser;
let techName: string;

beforeAll(async () => {
  ui = await startUi();
  tech = await ui.h.user('TECHNICIAN', 'corrections-tech-password');
  techName = (await ui.h.sql<{ name: string }>('SELECT name FROM "User" WHERE id = $1', [tech.id]))[0]!.name;
});
afterAll(() => ui?.stop());

const api = (path: string, body?: object) => (body ? ui.h.http().post(`/api/v1${path}`).set(auth(tech.token)).send(body) : ui.h.http().get(`/api/v1${path}`).set(auth(tech.token)));
const correctionCard = (page: Page) => page.locator('.card:has(h2:text-is("Corrections"))');
const fiveYearStatus = (page: Page) => page.locator('.verdict tr:has(td:text-is("21 USC 841(b)(1)(B)")) [data-threshold]').getAttribute('data-threshold');

describe('corrections', BROWSER, () => {
  it('when a technician corrects a net weight with a reason, then the page shows the old and new value, who and why, the timeline has it, the threshold flag follows and the label must be reprinted', async () => {
    const { sample } = await queuedSample(ui.h, tech, { sample: { grossWeightG: 60, netWeightG: 38, netWeightUncertaintyG: 0.3 } });
    await api(`/samples/${sample.id}/tests`, { technique: 'FENTANYL_TEST_STRIP', outcome: 'POSITIVE' }).expect(201);
    await api(`/samples/${sample.id}/tests`, { technique: 'GC_MS', outcome: 'POSITIVE', hits: [{ substance: 'fentanyl', score: 0.96 }], dataRef: 'gcms/b1.d', samplingId: 'S2' }).expect(201);
    await eventually(async () => (await api(`/samples/${sample.id}`)).body.classification?.testCount === 2, 'classification');

    const page = await ui.signIn(tech);
    await page.goto(`${ui.h.url}/#/sample/${sample.id}`);
    await poll(() => fiveYearStatus(page)).toBe('BELOW');
    const card = correctionCard(page);
    await card.locator('summary').click();
    expect(await card.getByLabel('Net weight (g)').inputValue()).toBe('38');

    // Nothing changed, no reason: refused in words, nothing sent.
    await card.getByRole('button', { name: 'Save correction' }).click();
    await poll(() => card.locator('.error[data-for="reason"]').textContent()).toBe('say why the record is corrected');
    await card.getByLabel('Reason for the correction').fill('scale read 45.0 g, typed 38 on the worksheet');
    await card.getByRole('button', { name: 'Save correction' }).click();
    await poll(() => card.locator('.error.form').textContent()).toBe('Nothing changed: edit a value, then save the correction.');

    await card.getByLabel('Net weight (g)').fill('45');
    await card.getByRole('button', { name: 'Save correction' }).click();
    await poll(async () => (await correctionCard(page).locator('[role="status"].confirm').textContent()) ?? '').toBe('Corrected: net weight (g) 38 → 45.');
    const history = correctionCard(page).locator('ol.history > li');
    expect(await history.count()).toBe(1);
    const entry = (await history.first().textContent())!;
    expect(entry).toContain(techName);
    expect(entry).toContain('Net weight (g): 38 → 45');
    expect(entry).toContain('Reason: scale read 45.0 g, typed 38 on the worksheet');
    expect(await page.locator('ol.timeline li.correction').textContent()).toContain('Corrected net weight (g) 38 → 45. Reason: scale read 45.0 g, typed 38 on the worksheet');
    expect(await page.locator('.notice.reprint').textContent()).toContain('Since it was printed, a correction changed: net weight.');
    await poll(() => fiveYearStatus(page)).toBe('EXCEEDS');
    await shot(page, 'technician-correction');

    const label = page.locator('.notice.reprint').getByRole('link', { name: 'Reprint label' });
    const pdf = await page.request.get(new URL((await label.getAttribute('href'))!, ui.h.url).toString());
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    const [popup] = await Promise.all([page.waitForEvent('popup'), label.click()]);
    await popup.close();
    await poll(() => page.locator('.notice.reprint').count()).toBe(0);
    expect(await ui.h.sql('SELECT field, reason FROM "FieldCorrection" WHERE "entityId" = $1', [sample.id])).toEqual([{ field: 'netWeightG', reason: 'scale read 45.0 g, typed 38 on the worksheet' }]);
  });

  it('when a fentanyl test strip read as positive is corrected to negative, then both results stay listed, the earlier one struck, and the page asks to reprint the label without its hazard mark', async () => {
    const { sample } = await queuedSample(ui.h, tech);
    await api(`/samples/${sample.id}/tests`, { technique: 'FENTANYL_TEST_STRIP', outcome: 'POSITIVE' }).expect(201);
    await eventually(async () => (await api(`/samples/${sample.id}`)).body.classification?.testCount === 1, 'classification');
    expect((await api(`/samples/${sample.id}`)).body.labelHazard).toBe(true);

    const page = await ui.signIn(tech);
    await page.goto(`${ui.h.url}/#/sample/${sample.id}`);
    await page.locator('table.tests').waitFor();
    await page.getByRole('button', { name: /^Correct the fentanyl test strip result of/ }).click();
    const form = page.locator('form[aria-label="Correct the fentanyl test strip result"]');
    expect(await form.getByLabel('Outcome').inputValue()).toBe('POSITIVE');
    await form.getByLabel('Outcome').selectOption('NEGATIVE');
    await form.getByRole('button', { name: 'Save corrected result' }).click();
    await poll(() => form.locator('.error[data-for="correctionReason"]').textContent()).toBe('say why the result is corrected');
    await form.getByLabel('Reason for the correction').fill('control line read as the test line');
    await form.getByRole('button', { name: 'Save corrected result' }).click();

    await poll(() => page.locator('table.tests tbody tr').count()).toBe(2);
    const [first, second] = await page.locator('table.tests tbody tr').all();
    expect(await first!.getAttribute('class')).toBe('corrected');
    expect(await first!.textContent()).toContain('corrected');
    expect(await second!.textContent()).toContain('corrects the fentanyl test strip result of');
    expect(await second!.textContent()).toContain('control line read as the test line');
    await poll(async () => (await page.locator('.notice.reprint').textContent().catch(() => '')) ?? '').toContain('the fentanyl hazard mark no longer applies');
    expect(await ui.h.sql('SELECT outcome::text, "correctionReason" FROM "Test" WHERE "sampleId" = $1 AND "correctsTestId" IS NOT NULL', [sample.id]))
      .toEqual([{ outcome: 'NEGATIVE', correctionReason: 'control line read as the test line' }]);
    await shot(page, 'technician-test-corrected');
  });

  it('when the subject-in-custody flag is corrected on a sample, then its priority becomes URGENT with a new due time, and the label is to be reprinted for the priority', async () => {
    const { sample } = await queuedSample(ui.h, tech);
    const page = await ui.signIn(tech);
    await page.goto(`${ui.h.url}/#/sample/${sample.id}`);
    await page.locator('h1 .tag.ROUTINE').waitFor();
    const card = correctionCard(page);
    await card.locator('summary').click();
    await card.getByLabel(/^Subject in custody \(seizure /).check();
    await card.getByLabel('Reason for the correction').fill('driver held at secondary inspection');
    await card.getByRole('button', { name: 'Save correction' }).click();
    await page.locator('h1 .tag.URGENT').waitFor();
    expect(await correctionCard(page).locator('.confirm').textContent()).toMatch(/^Corrected: priority routine → urgent; due .* → .*; subject in custody no → yes\.$/);
    expect(await page.locator('.notice.reprint').textContent()).toContain('priority');
    expect((await api(`/seizures/${sample.seizureId}`)).body.subjectInCustody).toBe(true);
  });
});
