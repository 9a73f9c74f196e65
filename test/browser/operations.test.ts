import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, eventually, sampleBody, seizureBody } from '../support/harness.ts';
import { BROWSER, fitsWidth, poll, shot, startUi, type TUi, type TUser } from './support.ts';

/** The manager's operations: opening one, its tally as of a date with charts, CSV and PDF, seizures added by number. */
let ui: TUi;
let tech: TUser;
let reviewer: TUser;
let manager: TUser;
let agent: TUser;
beforeAll(async () => {
  ui = await startUi();
  [tech, reviewer, manager, agent] = await Promise.all([ui.h.user('TECHNICIAN'), ui.h.user('TECHNICIAN', 'reviewer-password-1'), ui.h.user('MANAGER'), ui.h.user('INVESTIGATOR')]);
  await ui.h.http().put('/api/v1/ports/2604/duty').set(auth(manager.token)).send({ investigatorId: agent.id }).expect(200);
});
afterAll(() => ui?.stop());

const api = () => ui.h.http();
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000);
const longDate = (d: Date) => `${d.getUTCDate()} ${d.toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' })} ${d.getUTCFullYear()}`;

/** Strip and GC-MS positive for fentanyl, approved by a second technician: released and routed to a case. */
async function releaseFentanyl(sampleId: string) {
  for (const t of [{ technique: 'GC_MS', dataRef: 'gcms/1' }, { technique: 'FTIR', dataRef: 'ftir/1' }]) {
    await api().post(`/api/v1/samples/${sampleId}/tests`).set(auth(tech.token)).send({ ...t, outcome: 'POSITIVE', substance: 'fentanyl' }).expect(201);
  }
  await eventually(async () => (await api().get(`/api/v1/samples/${sampleId}`).set(auth(tech.token))).body.classification?.testCount === 2, 'classified');
  await api().post(`/api/v1/samples/${sampleId}/submit`).set(auth(tech.token)).expect(200);
  await api().post(`/api/v1/samples/${sampleId}/review`).set(auth(reviewer.token)).send({ decision: 'APPROVE', password: 'reviewer-password-1' }).expect(200);
  return eventually(async () => {
    const s = (await api().get(`/api/v1/samples/${sampleId}`).set(auth(tech.token))).body;
    return s.status === 'ROUTED' && (s as { caseId: string });
  }, 'routed');
}

const cells = (page: Page, selector: string) => page.locator(`${selector} tbody tr`).evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
const drawn = (page: Page, name: string) => page.locator(`canvas[data-chart="${name}"]`).evaluate((c) => {
  const chart = (c as HTMLCanvasElement & { chart?: { data: { labels: string[]; datasets: { label: string; data: number[] }[] } } }).chart;
  return chart && { labels: chart.data.labels, datasets: chart.data.datasets.map((d) => ({ label: d.label, data: d.data })) };
});

describe('operations', BROWSER, () => {
  it('when a manager opens an operation and adds a seizure by its number, then its tally shows kg and lb, pending analysis, arrests, the sentence, charts by category and week, and as of an earlier day the figures of that day', async () => {
    const name = `Blue Lotus ${randomUUID().slice(0, 6)}`;
    const launch = day(10);
    const atPort = (await api().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody({ seizedAt: day(8).toISOString(), exhibits: [
      { exhibitNumber: 'E1', description: 'bricks in a spare tyre', netWeightKg: 406 }, { exhibitNumber: 'E2', description: 'loose powder', netWeightKg: 2.5 }] })).expect(201)).body;
    const elsewhere = (await api().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody({ portCode: '2504', seizedAt: day(2).toISOString(), exhibits: [{ exhibitNumber: '1', description: 'bricks', netWeightKg: 10 }] })).expect(201)).body;
    const sample = (await api().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(atPort.id, { exhibitId: atPort.exhibits[0].id })).expect(201)).body;
    const { caseId } = await releaseFentanyl(sample.id);
    await api().post(`/api/v1/cases/${caseId}/arrests`).set(auth(agent.token)).send({ jurisdiction: 'FEDERAL', count: 3, at: new Date().toISOString() }).expect(201);

    const page = await ui.signIn(manager);
    await page.getByRole('link', { name: 'Operations' }).click();
    await page.waitForSelector('h1:text("Operations")');
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Starts on').fill(launch.toISOString().slice(0, 10));
    await page.getByLabel('Description').fill('surge at Nogales');
    await page.getByRole('button', { name: 'Open operation' }).click();
    await poll(() => page.locator('.error[data-for="portCodes"]').textContent()).toBe('choose at least one port');
    await page.getByRole('checkbox', { name: /^2604 / }).check();
    await page.getByRole('button', { name: 'Open operation' }).click();
    await page.waitForSelector(`h1:text("${name}")`);
    const [op] = await ui.h.sql<{ id: string; portCodes: string[] }>('SELECT id::text, "portCodes" FROM "Operation" WHERE name = $1', [name]);
    expect(op!.portCodes).toEqual(['2604']);

    // Taken by its rule when opened: the seizure at its port. The other is added by hand, by number.
    expect(await cells(page, 'table.operation-seizures')).toEqual([[atPort.seizureNumber, '2604', expect.any(String), expect.stringMatching(/^HSI-2604-/), 'by its ports and dates']]);
    const tag = page.locator('form:has(button:text("Add to the operation"))');
    await tag.getByLabel('Seizure number').fill('SZ-NOPE');
    await tag.getByRole('button', { name: 'Add to the operation' }).click();
    await poll(() => tag.locator('.error[data-for="seizureNumber"]').textContent()).toBe('no seizure numbered SZ-NOPE');
    await tag.getByLabel('Seizure number').fill(elsewhere.seizureNumber);
    await tag.getByRole('button', { name: 'Add to the operation' }).click();
    await poll(() => tag.locator('[role="status"]').textContent()).toBe(`Added: seizure ${elsewhere.seizureNumber} now counts in ${name}.`);
    expect((await cells(page, 'table.operation-seizures')).map((r) => [r[0], r[4]])).toEqual([[elsewhere.seizureNumber, 'added by hand'], [atPort.seizureNumber, 'by its ports and dates']]);

    // By hand: 406 kg fentanyl released = 895.077 lb; 2.5 + 10 kg not released = 12.5 kg = 27.558 lb.
    await poll(() => page.locator('[data-sentence]').textContent()).toBe(`Since its launch on ${longDate(launch)}, Operation ${name} has led to 2 seizures and 3 federal arrests, `
      + 'and the seizure of 895 pounds of fentanyl. A further 28 pounds are awaiting laboratory analysis.');
    expect(await cells(page, 'table[data-tally="category"]')).toEqual([['fentanyl', '1', '406', '895.1'], ['pending analysis', '2', '12.5', '27.6']]);
    expect(await page.locator('p.figures').textContent()).toBe('2 seizures · 3 arrests (federal 3, state 0, tribal 0, local 0) · ports 2504 (1), 2604 (1)');
    await poll(() => drawn(page, 'Net weight by category (kg)')).toEqual({ labels: ['fentanyl', 'pending analysis'], datasets: [{ label: 'net kg', data: [406, 12.5] }] });
    const weeks = (await drawn(page, 'Week by week: net weight by category (kg) and seizures'))!;
    expect(weeks.datasets.map((d) => d.label)).toEqual(['fentanyl (kg)', 'pending analysis (kg)', 'seizures']);
    expect(weeks.datasets[2]!.data.reduce((a, b) => a + b, 0)).toBe(2);
    expect(weeks.datasets[0]!.data.reduce((a, b) => a + b, 0)).toBe(406);
    expect(weeks.datasets[1]!.data.reduce((a, b) => a + b, 0)).toBe(12.5);
    expect(weeks.labels.length).toBeGreaterThanOrEqual(2);
    await shot(page, 'manager-operation');

    // Yesterday: nothing was released and no arrest recorded yet; 418.5 kg awaited analysis (922.635 lb).
    const yesterday = day(1).toISOString().slice(0, 10);
    await page.getByLabel('Tally as of (end of that day, UTC)').fill(yesterday);
    await page.getByRole('button', { name: 'Show tally' }).click();
    await poll(() => page.locator('[data-sentence]').textContent()).toBe(`Since its launch on ${longDate(launch)}, Operation ${name} has led to 2 seizures. A further 923 pounds are awaiting laboratory analysis.`);
    expect(await cells(page, 'table[data-tally="category"]')).toEqual([['pending analysis', '3', '418.5', '922.6']]);
    const csvHref = await page.locator('a[data-download="csv"]').getAttribute('href');
    expect(csvHref).toBe(`/api/v1/operations/${op!.id}/summary?asOf=${yesterday}&format=csv`);
    const files = await page.evaluate(async ([csv, pdf]) => {
      const [c, p] = await Promise.all([fetch(csv!), fetch(pdf!)]);
      return { csv: await c.text(), pdf: { type: p.headers.get('content-type'), head: new TextDecoder().decode((await p.arrayBuffer()).slice(0, 5)) } };
    }, [csvHref, await page.locator('a[data-download="pdf"]').getAttribute('href')]);
    expect(files.csv).toContain('pending,PENDING_ANALYSIS,3,418.5,922.635');
    expect(files.pdf).toEqual({ type: 'application/pdf', head: '%PDF-' });

    const tablet = await ui.signIn(manager, { width: 820, height: 1180 });
    await tablet.goto(`${ui.h.url}/#/operation/${op!.id}`);
    await tablet.locator('[data-sentence]').waitFor();
    expect(await fitsWidth(tablet)).toBe(true);
  });

  it('when an operation is opened with a name already used, then the name is refused next to it and the list shows the first one with its seizure count', async () => {
    const name = `Apollo ${randomUUID().slice(0, 6)}`;
    await api().post('/api/v1/operations').set(auth(manager.token)).send({ name, startsOn: '2026-01-01', portCodes: ['2504'], description: 'first' }).expect(201);
    const page = await ui.signIn(manager);
    await page.goto(`${ui.h.url}/#/operations`);
    const row = page.locator('table.operations tr', { hasText: name });
    await row.waitFor();
    expect((await row.locator('td').allTextContents()).slice(0, 3)).toEqual([name, '2026-01-01 – ongoing', '2504']);
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Description').fill('second');
    await page.getByRole('checkbox', { name: /^2504 / }).check();
    await page.getByRole('button', { name: 'Open operation' }).click();
    await poll(() => page.locator('.error[data-for="name"]').textContent()).toBe(`An operation named ${name} exists`);
    expect(await ui.h.sql('SELECT count(*)::int AS n FROM "Operation" WHERE name = $1', [name])).toEqual([{ n: 1 }]);
    await shot(page, 'manager-operations');
  });
});
