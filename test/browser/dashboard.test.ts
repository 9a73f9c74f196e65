import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth } from '../support/harness.ts';
import { BROWSER, poll, queuedSample, routedSample, shot, startUi, type TUi, type TUser } from './support.ts';

/** The manager's dashboard: charts in the unit that fits, each with its table; empty lists say so; the CSV follows the form. */
let ui: TUi;
let manager: TUser;
let tech: TUser;
let reviewer: TUser;

beforeAll(async () => {
  ui = await startUi();
  manager = await ui.h.user('MANAGER', 'dashboard-manager-password');
  tech = await ui.h.user('TECHNICIAN');
  reviewer = await ui.h.user('TECHNICIAN');
});
afterAll(() => ui?.stop());

const cardOf = (page: Page, title: RegExp) => page.locator('.card', { has: page.locator('h2', { hasText: title }) });
/** The rows of a chart's data table, as text cells. */
const tableRows = (page: Page, name: string) => page.locator(`table[data-table="${name}"] tbody tr`).evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
const chartData = (page: Page, name: string) => page.evaluate((n) => {
  const c = (document.querySelector(`canvas[data-chart="${n}"]`) as HTMLCanvasElement & { chart?: { data: { labels: string[]; datasets: { data: (number | null)[] }[] } } }).chart;
  return c ? c.data.labels.map((l, i) => [l, ...c.data.datasets.map((d) => d.data[i] === null ? '—' : String(d.data[i]))]) : null;
}, name);

describe('dashboard', BROWSER, () => {
  it('when nothing has been released and nothing is overdue, then the charts and the overdue list say so instead of drawing nothing', async () => {
    const page = await ui.signIn(manager);
    await page.waitForSelector('h1:text("Lab dashboard")');
    expect(await page.locator('[data-empty="turnaround-by-port"]').textContent()).toBe('Nothing released in this period.');
    expect(await page.locator('canvas[data-chart="turnaround-by-port"]').count()).toBe(0);
    expect(await page.locator('[data-empty="overdue"]').textContent()).toBe('Nothing overdue and nothing at risk.');
  });

  it('when results come back within minutes, then turnaround is charted in minutes, later in hours when a sample took hours, and each chart\'s table holds its numbers', async () => {
    await routedSample(ui.h, tech, reviewer);
    const page = await ui.signIn(manager);
    const card = cardOf(page, /^Turnaround by port/);
    await poll(() => card.locator('h2').textContent()).toBe('Turnaround by port (minutes)');
    await poll(() => chartData(page, 'turnaround-by-port')).not.toBeNull();
    const rows = await tableRows(page, 'turnaround-by-port');
    expect(rows.map((r) => r[0])).toEqual(['2604']);
    expect(await chartData(page, 'turnaround-by-port')).toEqual(rows);
    expect(await page.locator('table[data-table="turnaround-by-port"] thead th').allTextContents()).toEqual(['', 'p50 min', 'p90 min']);
    for (const name of ['turnaround-by-priority', 'turnaround-by-stage', 'backlog-by-age', 'throughput']) {
      expect(await page.locator(`table[data-table="${name}"], [data-empty="${name}"]`).count(), name).toBe(1);
    }

    // One sample that took five hours: the port chart changes to hours.
    const { sample } = await routedSample(ui.h, tech, reviewer);
    await ui.h.sql(`UPDATE "Sample" SET "registeredAt" = "releasedAt" - interval '5 hours' WHERE id = $1`, [sample.id]);
    await page.reload();
    await poll(() => cardOf(page, /^Turnaround by port/).locator('h2').textContent()).toBe('Turnaround by port (hours)');
    const hours = await tableRows(page, 'turnaround-by-port');
    // p90 of two samples (minutes and five hours), in hours: well over the two hours that choose the unit.
    expect(Number(hours[0]![2])).toBeGreaterThan(2);
    expect(await chartData(page, 'turnaround-by-port')).toEqual(hours);
    await shot(page, 'manager-dashboard');
  });

  it('when a sample is overdue, then the list shows it; the operations CSV follows the form\'s period and port before Summarise and carries them with the seizure count', async () => {
    const { sample } = await queuedSample(ui.h, tech, { seizure: { portCode: '2503' } });
    await ui.h.sql(`UPDATE "Sample" SET "dueAt" = now() - interval '1 hour' WHERE id = $1`, [sample.id]);
    const page = await ui.signIn(manager);
    await poll(() => cardOf(page, /^Overdue/).locator('tbody tr a').allTextContents()).toEqual([sample.barcode]);

    const ops = cardOf(page, /^Summary for a period/);
    await ops.getByLabel('Port').selectOption('2503');
    const today = new Date().toISOString().slice(0, 10);
    await ops.getByLabel('From').fill('2026-01-01');
    const href = (await ops.getByRole('link', { name: /Download CSV/ }).getAttribute('href'))!;
    expect(href).toContain('portCode=2503');
    expect(href).toContain('from=2026-01-01');
    const [download] = await Promise.all([page.waitForEvent('download'), ops.getByRole('link', { name: /Download CSV/ }).click()]);
    const lines = readFileSync((await download.path())!, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe('category,samples,netWeightKg,periodFrom,periodTo,portCode,seizures');
    const total = lines.at(-1)!.split(',');
    expect(total.slice(0, 2)).toEqual(['TOTAL', '1']);
    expect(total.slice(3)).toEqual(['2026-01-01T00:00:00.000Z', `${new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString()}`, '2503', '1']);
    const json = (await ui.h.http().get('/api/v1/reports/operations?portCode=2503&from=2026-01-01').set(auth(manager.token))).body;
    expect(json.seizures).toBe(1);
  });
});
