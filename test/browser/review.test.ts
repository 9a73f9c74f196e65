import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, eventually } from '../support/harness.ts';
import { BROWSER, poll, queuedSample, routedSample, shot, startUi, type TUi, type TUser } from './support.ts';

/** The reviewer sees what they sign; the investigator's alert says when later results supersede it. */
let ui: TUi;
let analyst: TUser;
let reviewer: TUser;
const nameOf = async (u: TUser) => (await ui.h.sql<{ name: string }>('SELECT name FROM "User" WHERE id = $1', [u.id]))[0]!.name;

beforeAll(async () => {
  ui = await startUi();
  analyst = await ui.h.user('TECHNICIAN', 'review-analyst-password');
  reviewer = await ui.h.user('TECHNICIAN', 'review-reviewer-password');
});
afterAll(() => ui?.stop());

const post = (path: string, body: object, who: TUser = analyst) => ui.h.http().post(`/api/v1${path}`).set(auth(who.token)).send(body);

/** A sample with a strip and a GC-MS result by `who`, classified and submitted for review. */
async function submitted(who: TUser) {
  const { sample } = await queuedSample(ui.h, who);
  await post(`/samples/${sample.id}/tests`, { technique: 'FENTANYL_TEST_STRIP', outcome: 'POSITIVE' }, who).expect(201);
  await post(`/samples/${sample.id}/tests`, { technique: 'GC_MS', outcome: 'POSITIVE', hits: [{ substance: 'fentanyl', score: 0.96 }, { substance: 'acetyl fentanyl', score: 0.71 }], dataRef: 'gcms/2026/0415.d', instrument: 'Agilent 5977B #2', samplingId: 'S2' }, who).expect(201);
  await eventually(async () => (await ui.h.http().get(`/api/v1/samples/${sample.id}`).set(auth(who.token))).body.classification?.testCount === 2, 'classification');
  await post(`/samples/${sample.id}/submit`, {}, who).expect(200);
  return sample as { id: string; barcode: string };
}

const reviewRow = (page: Page, barcode: string) => page.locator(`tr[data-barcode="${barcode}"] td`).last().textContent();

describe('technical review', BROWSER, () => {
  it('when a technician opens the review list, then samples they recorded a test on are marked as not theirs to review', async () => {
    const own = await submitted(analyst);
    const others = await submitted(reviewer);
    const page = await ui.signIn(analyst);
    await page.getByRole('link', { name: 'Review' }).click();
    await poll(() => reviewRow(page, own.barcode)).toBe('No — you recorded a test on it');
    expect(await reviewRow(page, others.barcode)).toBe('Yes');
    expect(await page.locator(`tr[data-barcode="${own.barcode}"]`).getAttribute('class')).toContain('not-yours');
  });

  it('when a reviewer opens a sample, then each test shows technique, instrument, data reference, hits with scores, who and when; the signature names the version and warnings, chooses nothing, and counts the attempts left', async () => {
    const sample = await submitted(analyst);
    const page = await ui.signIn(reviewer);
    await page.goto(`${ui.h.url}/#/sample/${sample.id}`);
    const gcms = page.locator('table.tests tbody tr').nth(1);
    await gcms.waitFor();
    const cells = await gcms.locator('td').allTextContents();
    expect(cells.slice(0, 6)).toEqual(['GC-MS', 'positive', 'fentanyl 0.96 (96 %), acetyl fentanyl 0.71 (71 %) entered', 'S2', 'Agilent 5977B #2', 'gcms/2026/0415.d']);
    expect(cells[6]).toContain(await nameOf(analyst));
    expect(await gcms.locator('td').first().getAttribute('title')).toBe('GC-MS — Gas chromatography–mass spectrometry (SWGDRUG A)');

    const review = page.locator('.card:has(h2:text("Technical review"))');
    expect(await review.locator('[data-signs] strong').first().textContent()).toMatch(/^You sign classification version \d+: fentanyl \(identified\), from 2 tests\.$/);
    expect(await review.locator('input[type="radio"]:checked').count()).toBe(0);
    expect(await review.locator('.attempts').textContent()).toBe('5 password attempts left before your account locks.');
    await review.getByLabel('Electronic signature: your password').fill('not-the-password');
    await review.getByRole('button', { name: 'Sign review' }).click();
    await poll(() => review.locator('.error[data-for="decision"]').textContent()).toBe('choose Approve or Reject');
    await review.getByLabel('Approve and release').check();
    await review.getByRole('button', { name: 'Sign review' }).click();
    await poll(() => review.locator('.error.form').textContent()).toBe('Electronic signature failed: the password is not correct. 4 attempts left before your account locks for 10 minutes.');
    expect(await review.locator('.attempts').textContent()).toBe('4 password attempts left before your account locks.');
    await shot(page, 'reviewer-signs');
    await review.getByLabel('Electronic signature: your password').fill(reviewer.password);
    await review.getByRole('button', { name: 'Sign review' }).click();
    await page.waitForSelector('[data-status="RELEASED"], [data-status="ROUTED"]');
  });
});

describe('the investigator\'s inbox', BROWSER, () => {
  it('when a presumptive alert arrives, then the tab title counts it; once the result is released it says "superseded — released, identified" and links to the sample and the case', async () => {
    const agent = await ui.h.user('INVESTIGATOR', 'review-agent-password');
    const manager = await ui.h.user('MANAGER');
    await ui.h.http().put('/api/v1/ports/2604/duty').set(auth(manager.token)).send({ investigatorId: agent.id }).expect(200);
    const page = await ui.signIn(agent);
    await page.waitForSelector('h1:text("Inbox")');
    expect(await page.locator('li.empty').textContent()).toBe('Nothing in your inbox.');
    expect(await page.title()).toBe('fol-triage');

    const { sample } = await routedSample(ui.h, analyst, reviewer);
    await poll(() => page.title()).toBe('(1) fol-triage');
    await page.reload();
    const alert = page.locator('li[data-type="PRESUMPTIVE_ALERT"]');
    await alert.waitFor();
    expect(await alert.locator('[data-superseded]').textContent()).toBe('superseded — released, identified (fentanyl)');
    // The release brought more (result released, case assigned …): the title counts every unread one.
    const unreadItems = () => page.locator('.inbox > ul > li.unread').count();
    // Notifications may still be arriving live: wait until title and list agree.
    await poll(async () => `${await page.title()} / ${await unreadItems()}`).toMatch(/^\((\d+)\) fol-triage \/ \1$/);
    const unread = await unreadItems();
    expect(unread).toBeGreaterThan(1);
    await shot(page, 'investigator-inbox');
    await alert.getByRole('link', { name: 'Open the case' }).click();
    await page.waitForURL(new RegExp(`#/case/${sample.caseId}$`));
    await page.waitForSelector('h1:text-matches("^Case HSI-")');
    await page.goBack();
    await page.locator('li[data-type="PRESUMPTIVE_ALERT"]').getByRole('link', { name: 'Open the sample' }).click();
    await page.waitForSelector(`h1:has-text("${sample.barcode}")`);
    await page.goBack();
    await page.locator('li[data-type="PRESUMPTIVE_ALERT"]').getByRole('button', { name: 'Mark read' }).click();
    await poll(() => page.locator('li[data-type="PRESUMPTIVE_ALERT"]').getAttribute('class')).not.toContain('unread');
    // The title counts what is unread in the database (later notifications of this release may still arrive).
    const stillUnread = async () => (await ui.h.sql<{ n: number }>('SELECT count(*)::int AS n FROM "Notification" WHERE "recipientId" = $1 AND "readAt" IS NULL', [agent.id]))[0]!.n;
    await poll(async () => `${await page.title()} / ${await stillUnread()}`).toMatch(/^\((\d+)\) fol-triage \/ \1$/);
    expect(await ui.h.sql(`SELECT "readAt" IS NOT NULL AS read FROM "Notification" WHERE "recipientId" = $1 AND type = 'PRESUMPTIVE_ALERT'`, [agent.id])).toEqual([{ read: true }]);
  });
});
