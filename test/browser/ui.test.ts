import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth } from '../support/harness.ts';
import { BROWSER, consoleProblems, poll, SHOTS, shot, startUi, type TUi, type TUser } from './support.ts';

/** Real headless Chromium (Debian) against the real app: each role's path through the UI. */
let ui: TUi;
const people = {} as Record<'tech' | 'tech2' | 'agent' | 'manager' | 'admin', TUser>;

beforeAll(async () => {
  // The administrator's screen registers a lab-internal webhook receiver: allowed explicitly.
  ui = await startUi({ env: { WEBHOOK_ALLOW_PRIVATE: '1' } });
  people.tech = await ui.h.user('TECHNICIAN', 'tech-one-password');
  people.tech2 = await ui.h.user('TECHNICIAN', 'tech-two-password');
  people.agent = await ui.h.user('INVESTIGATOR', 'agent-password-1');
  people.manager = await ui.h.user('MANAGER', 'manager-password-1');
  people.admin = await ui.h.user('ADMIN', 'admin-password-12');
  await ui.h.http().put('/api/v1/ports/2604/duty').set(auth(people.manager.token)).send({ investigatorId: people.agent.id }).expect(200);
});
afterAll(() => ui?.stop());

const signIn = (who: TUser, viewport?: { width: number; height: number }) => ui.signIn(who, viewport);

describe('web UI in a real browser', BROWSER, () => {
  let barcode: string;
  let sampleId: string;
  let agentPage: Page;

  it('a technician opens a seizure, sees field errors, registers a sample and gets its label', async () => {
    agentPage = await signIn(people.agent);
    await agentPage.waitForSelector('h1:text("Inbox")');
    const page = await signIn(people.tech);
    await page.waitForSelector('h1:text("Worklist")');
    await page.getByRole('link', { name: 'New seizure' }).click();
    await page.getByLabel('Port of entry').selectOption('2604');
    await page.getByLabel('Subject in custody').check();
    await page.getByRole('button', { name: 'Open seizure' }).click();
    await page.waitForSelector('h2:text-matches("Samples of seizure")');
    await page.getByRole('button', { name: 'Register sample' }).click();
    await poll(() => page.locator('.error[data-for="description"]').textContent()).not.toBe('');
    expect(await page.getByLabel('Description').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Description').fill('white powder, knotted bag');
    await page.getByLabel('Gross weight (g)').fill('61.2');
    await page.getByLabel('Net weight (g)').fill('55.4');
    await page.getByLabel('Net weight uncertainty ± (g)').fill('0.2');
    await page.getByLabel('Seal number').fill('CBP-7781');
    await page.getByRole('button', { name: 'Register sample' }).click();
    const created = page.locator('li a.mono').first();
    await created.waitFor();
    barcode = (await created.textContent())!;
    expect(barcode).toMatch(/^FOL2604/);
    const labelHref = await page.getByRole('link', { name: 'Print label' }).first().getAttribute('href');
    const label = await page.request.get(new URL(labelHref!, ui.h.url).toString());
    expect(label.headers()['content-type']).toBe('application/pdf');
    expect((await label.body()).subarray(0, 5).toString()).toBe('%PDF-');
    sampleId = (await created.getAttribute('href'))!.split('/').pop()!;
    await page.getByRole('link', { name: 'Worklist' }).click();
    await page.waitForSelector(`tr[data-barcode="${barcode}"]`);
    await shot(page, 'technician-worklist');
    await page.getByRole('link', { name: barcode }).click();
    await page.waitForSelector('h2:text("Record a test")');

    await page.getByLabel('Technique').selectOption('FENTANYL_TEST_STRIP');
    await page.getByLabel('Outcome').selectOption('POSITIVE');
    await page.getByRole('button', { name: 'Record test' }).click();
    await page.waitForSelector('.verdict[data-level="PRESUMPTIVE"]');
    expect(await page.locator('.verdict .level').textContent()).toBe('PRESUMPTIVE — not confirmed');
    expect(await page.locator('.verdict .warnings li').count()).toBeGreaterThan(0);
    await shot(page, 'technician-sample');
  });

  it('the duty investigator\'s inbox shows the alert without a reload, and it can be marked read', async () => {
    const alert = agentPage.locator('li[data-type="PRESUMPTIVE_ALERT"]').first();
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.textContent()).toContain('PRESUMPTIVE fentanyl');
    await poll(() => agentPage.locator('#inbox-count').textContent()).toBe('1');
    await shot(agentPage, 'investigator-inbox');
    await alert.getByRole('button', { name: 'Mark read' }).click();
    await poll(() => agentPage.locator('#inbox-count').textContent()).toBe('');
  });

  it('the technician confirms and submits; a second technician signs the review with the password', async () => {
    const page = await signIn(people.tech);
    await page.goto(`${ui.h.url}/#/sample/${sampleId}`);
    await page.getByLabel('Technique').selectOption('GC_MS');
    await page.getByLabel('Outcome').selectOption('POSITIVE');
    await page.getByLabel('Sampling').fill('S2');
    await page.getByLabel('Data file / spectrum ref.').fill('gcms/2026/114.d');
    await page.getByLabel('Library hit substance').fill('fentanyl');
    await page.getByLabel('Match score 0–1').fill('0.97');
    await page.getByRole('button', { name: 'Record test' }).click();
    await page.waitForSelector('.verdict[data-level="IDENTIFIED"]');
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.waitForSelector('[data-status="AWAITING_REVIEW"]');
    expect(await page.locator('h2:text("Technical review")').count()).toBe(0); // the analyst cannot review

    const reviewer = await signIn(people.tech2);
    await reviewer.getByRole('link', { name: 'Review' }).click();
    await reviewer.getByRole('link', { name: barcode }).click();
    await reviewer.getByLabel('Electronic signature: your password').fill('wrong-password');
    await reviewer.getByRole('button', { name: 'Sign review' }).click();
    await poll(() => reviewer.locator('form:has(button:text("Sign review")) .error.form').textContent()).toContain('Electronic signature failed');
    await reviewer.getByLabel('Electronic signature: your password').fill('tech-two-password');
    await reviewer.getByRole('button', { name: 'Sign review' }).click();
    await reviewer.waitForSelector('[data-status="RELEASED"], [data-status="ROUTED"]');
    await reviewer.getByRole('link', { name: 'Worklist' }).click();
    await reviewer.waitForSelector('h1:text("Worklist")');
    // A keyboard-wedge scanner types the code and Enter.
    await reviewer.getByLabel('Scan or type barcode').pressSequentially(barcode.toLowerCase());
    await reviewer.keyboard.press('Enter');
    await reviewer.waitForSelector(`h1:has-text("${barcode}")`);
  });

  it('the manager\'s dashboard charts the released sample and the operations CSV downloads', async () => {
    await expect.poll(async () => (await ui.h.sql<{ s: string }>('SELECT status::text AS s FROM "Sample" WHERE id = $1', [sampleId]))[0]!.s, { timeout: 15_000 }).toBe('ROUTED');
    const page = await signIn(people.manager);
    await page.waitForSelector('canvas[data-chart="turnaround-by-port"]');
    await poll(() => page.evaluate(() => (document.querySelector('canvas[data-chart="turnaround-by-port"]') as HTMLCanvasElement & { chart?: { data: { labels: string[] } } }).chart?.data.labels)).toEqual(['2604']);
    const flow = await page.evaluate(() => (document.querySelector('canvas[data-chart="throughput"]') as HTMLCanvasElement & { chart: { data: { datasets: { data: number[] }[] } } }).chart.data.datasets.map((d) => d.data.reduce((a, b) => a + b, 0)));
    expect(flow).toEqual([1, 1]);
    await shot(page, 'manager-dashboard');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('category,samples,netWeightKg');
    expect(csv).toContain('FENTANYL,1,0.055');
  });

  it('the administrator sees users, registers a webhook and sees the queue dashboard; others get no queue dashboard', async () => {
    const page = await signIn(people.admin);
    await page.waitForSelector('h1:text("Users")');
    await shot(page, 'admin-users');
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByLabel('URL').fill('http://127.0.0.1:9/fol');
    await page.getByLabel('Shared secret (16+ characters)').fill('admin-secret-0123456789');
    await page.getByLabel('sla breached').check();
    await page.getByRole('button', { name: 'Register webhook' }).click();
    await page.waitForSelector('td.mono:text("http://127.0.0.1:9/fol")');
    expect(await page.locator('tr:has(td.mono:text("http://127.0.0.1:9/fol")) td').nth(1).textContent()).toBe('sla breached');
    await page.goto(`${ui.h.url}/admin/queues`);
    await page.waitForSelector('text=fol-triage queues', { timeout: 15_000 });
    await page.waitForSelector('text=/-intake$/', { timeout: 15_000 });
    await page.screenshot({ path: path.join(SHOTS, 'admin-queues.png'), fullPage: true });
    // Nothing is fetched from the internet (the board's web font is left out): its console stays clean.
    expect(consoleProblems(page)).toEqual([]);
    const tech = await signIn(people.tech);
    expect((await tech.request.get(`${ui.h.url}/admin/queues`)).status()).toBe(404);
  });

  it('at tablet width the worklist still works, and an ended session returns to sign-in with a message', async () => {
    const page = await signIn(people.tech, { width: 820, height: 1180 });
    await page.waitForSelector('h1:text("Worklist")');
    await shot(page, 'technician-worklist-tablet');
    await ui.h.sql(`UPDATE "Session" SET "revokedAt" = now() WHERE "userId" = $1`, [people.tech.id]);
    await page.getByRole('link', { name: 'Review' }).click();
    await page.waitForSelector('h1:text("Sign in")');
    expect(await page.locator('#banner').textContent()).toMatch(/session ended/);
  });
});
