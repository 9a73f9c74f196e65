import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, eventually, sampleBody, seizureBody } from '../support/harness.ts';
import { BROWSER, poll, shot, startUi, type TUi, type TUser } from './support.ts';

/** Related seizures, the network, deconfliction and arrests as investigators and managers see them. */
let ui: TUi;
let tech: TUser;
let manager: TUser;
let agentA: TUser;
let agentB: TUser;
beforeAll(async () => {
  ui = await startUi();
  [tech, manager, agentA, agentB] = await Promise.all([ui.h.user('TECHNICIAN'), ui.h.user('MANAGER'), ui.h.user('INVESTIGATOR'), ui.h.user('INVESTIGATOR')]);
});
afterAll(() => ui?.stop());

type TSeizure = { id: string; seizureNumber: string };
const nameOf = (u: TUser) => `INVESTIGATOR ${u.email}`;
// Each test its own phone number, and one VIN: values shared by two seizures only, so they weigh fully.
const VIN = '1M8GDM9AXKP042788';

const openCase = (assigneeId: string, port: string) => ui.h.deps.db.case.create({ data: { caseNumber: `HSI-${port}-2026-B${randomUUID().slice(0, 6)}`, portCode: port, assigneeId } });
async function seize(over: Record<string, unknown>): Promise<TSeizure> {
  return (await ui.h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody(over)).expect(201)).body;
}
const join = (caseId: string, s: TSeizure) => ui.h.http().post(`/api/v1/cases/${caseId}/seizures`).set(auth(manager.token)).send({ seizureId: s.id }).expect(200);
const relatedCount = async (s: TSeizure, n: number) => eventually(async () => (await ui.h.http().get(`/api/v1/seizures/${s.id}/related`).set(auth(manager.token))).body.items?.length === n, `${n} related`);
const item = (page: Page, text: string) => page.locator('li.related-item', { hasText: text });
const graph = (page: Page) => page.locator('.network').evaluate((el) => {
  const cy = (el as HTMLElement & { cy?: { nodes(): { map<T>(f: (n: { data(k: string): string }) => T): T[] }; edges(): { map<T>(f: (e: { data(k: string): string }) => T): T[] } } }).cy;
  return cy && { nodes: cy.nodes().map((n) => ({ id: n.data('id'), kind: n.data('kind'), label: n.data('label') })), edges: cy.edges().map((e) => ({ kind: e.data('kind'), status: e.data('status') })) };
});

describe('intelligence screens', BROWSER, () => {
  it('when an investigator\'s seizure relates to one of their own and to one in a colleague\'s case, then the inbox and case page say whom to call without showing the other case, the pairs are confirmed and dismissed with a note, and the network shows what is left', async () => {
    const shared = '(520) 555-0142';
    const caseA = await openCase(agentA.id, '2604');
    const caseB = await openCase(agentB.id, '2504');
    const s1 = await seize({ narrative: 'A-side', observables: [{ kind: 'PHONE', value: shared }, { kind: 'VIN', value: VIN }] });
    const s3 = await seize({ observables: [{ kind: 'VIN', value: VIN.toLowerCase() }] });
    const s2 = await seize({ portCode: '2504', narrative: 'SECRET B-side narrative', observables: [{ kind: 'PHONE', value: shared.replace(/\D/g, '') }, { kind: 'PERSON', value: 'Pedro Infante' }] });
    await join(caseA.id, s1);
    await join(caseA.id, s3);
    await join(caseB.id, s2);
    await relatedCount(s1, 2);

    const page = await ui.signIn(agentA);
    const notice = page.locator('li[data-type="RELATED_SEIZURE"]');
    await poll(() => notice.count()).toBe(1);
    const told = await notice.textContent();
    expect(told).toContain(`Your seizure ${s1.seizureNumber} relates to a seizure in case ${caseB.caseNumber} — investigator ${nameOf(agentB)}, port 2504`);
    expect(await notice.locator('[data-reason="PHONE"]').textContent()).toBe('Phone number: +15205550142 (on 2 seizures) (weight 0.90)');
    for (const secret of [s2.seizureNumber, 'SECRET', 'Pedro']) expect(await page.locator('main').textContent()).not.toContain(secret);
    await shot(page, 'investigator-deconfliction');

    await notice.getByRole('link', { name: 'case' }).click();
    await page.waitForSelector(`h1:text("Case ${caseA.caseNumber}")`);
    expect(await page.locator(`li[data-seizure="${s1.id}"] [data-observable="PHONE"]`).textContent()).toBe('Phone number: (520) 555-0142 → +15205550142');
    const related = page.locator(`section.related[data-seizure="${s1.id}"]`);
    await related.waitFor();
    const own = related.locator('li.related-item', { hasText: s3.seizureNumber });
    expect(await own.locator('[data-reason="VIN"]').textContent()).toBe(`VIN: ${VIN} (on 2 seizures) (weight 0.95)`);
    expect(await own.locator('[data-status]').textContent()).toBe('suggested');
    const theirs = related.locator('li.related-item', { hasText: caseB.caseNumber });
    expect(await theirs.textContent()).toContain(`another investigator's case: ${nameOf(agentB)}, port 2504`);
    expect(await related.textContent()).not.toContain(s2.seizureNumber);
    // The chart stops at the colleague's case: one dashed node naming it, nothing of its seizure.
    await poll(async () => (await graph(page))?.nodes.length).toBeGreaterThan(0);
    const before = (await graph(page))!;
    expect(before.nodes.filter((n) => n.kind === 'RESTRICTED_SEIZURE').map((n) => n.label)).toEqual([`Case ${caseB.caseNumber} · ${nameOf(agentB)} · port 2504`]);
    expect(JSON.stringify(before)).not.toContain(s2.id);
    expect(before.nodes.filter((n) => n.kind === 'SEIZURE').map((n) => n.id).sort()).toEqual([s1.id, s3.id].sort());
    await shot(page, 'investigator-case-related');

    await own.getByLabel('Note (why)').fill('same sedan, seen twice at the port');
    await own.getByRole('button', { name: 'Confirm' }).click();
    await poll(() => item(page, s3.seizureNumber).first().locator('[role="status"]').textContent()).toBe(`Confirmed: ${s1.seizureNumber} and seizure ${s3.seizureNumber} are related.`);
    expect(await item(page, s3.seizureNumber).first().locator('[data-status]').textContent()).toBe('confirmed');
    await item(page, caseB.caseNumber).getByRole('button', { name: 'Dismiss' }).click();
    await poll(() => item(page, caseB.caseNumber).locator('[role="status"]').textContent()).toBe(`Dismissed: case ${caseB.caseNumber} (${nameOf(agentB)}, port 2504) is not suggested again unless new evidence raises the score.`);
    const links = await ui.h.sql<{ other: string; status: string; note: string | null }>(
      `SELECT CASE WHEN "seizureAId" = $1::uuid THEN "seizureBId" ELSE "seizureAId" END::text AS other, status, note FROM "SeizureLink" WHERE $1::uuid IN ("seizureAId", "seizureBId") ORDER BY status`, [s1.id]);
    expect(links).toEqual([{ other: s3.id, status: 'CONFIRMED', note: 'same sedan, seen twice at the port' }, { other: s2.id, status: 'DISMISSED', note: null }]);

    await page.reload();
    await poll(async () => (await graph(page))?.edges.length).toBeGreaterThan(0);
    const after = (await graph(page))!;
    expect(after.nodes.map((n) => n.kind)).not.toContain('RESTRICTED_SEIZURE');
    expect(after.edges.filter((e) => e.kind === 'RELATED')).toEqual([{ kind: 'RELATED', status: 'CONFIRMED' }]);
    expect(after.nodes.find((n) => n.kind === 'OBSERVABLE')!.id).toBe(`obs:VIN|${VIN}`);
    // The pair is drawn from whichever of the case's seizures the chart started with.
    const [from, to, ...rest] = await page.locator('table.network-links tbody tr').first().locator('td').allTextContents();
    expect([from, to].map((x) => x!.split(' · ')[0]).sort()).toEqual([s1.seizureNumber, s3.seizureNumber].sort());
    expect(rest).toEqual(['related seizure', expect.stringMatching(/^0\.9\d$/), 'confirmed']);
    await shot(page, 'investigator-network');
  });

  it('when the investigator records arrests, then a count that is not whole is refused next to it, and the recorded ones are listed with their total', async () => {
    const kase = await openCase(agentA.id, '2604');
    await join(kase.id, await seize({}));
    const page = await ui.signIn(agentA);
    await page.goto(`${ui.h.url}/#/case/${kase.id}`);
    const form = page.locator('form:has(button:text("Record arrests"))');
    await form.getByLabel('Jurisdiction').selectOption('FEDERAL');
    await form.getByLabel('Number of people arrested').fill('2.5');
    await form.getByRole('button', { name: 'Record arrests' }).click();
    await poll(() => form.locator('.error[data-for="count"]').textContent()).toBe('"2.5" is not a whole number: count whole units, e.g. 12');
    await form.getByLabel('Number of people arrested').fill('2');
    await form.getByRole('button', { name: 'Record arrests' }).click();
    await poll(() => form.locator('[role="status"]').textContent()).toMatch(/^Recorded: 2 federal arrests on .+\.$/);
    await form.getByLabel('Jurisdiction').selectOption('STATE');
    await form.getByLabel('Number of people arrested').fill('1');
    await form.getByLabel('Note').fill('driver, state warrant');
    await form.getByRole('button', { name: 'Record arrests' }).click();
    await poll(() => form.locator('[role="status"]').textContent()).toMatch(/^Recorded: 1 state arrest on /);
    expect(await page.locator('table.arrests tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent))))
      .toEqual([['federal', '2', ''], ['state', '1', 'driver, state warrant']]);
    expect(await page.locator('table.arrests tfoot td').nth(2).textContent()).toBe('3');
    expect(await ui.h.sql('SELECT jurisdiction, count FROM "Arrest" WHERE "caseId" = $1 ORDER BY "recordedAt"', [kase.id])).toEqual([{ jurisdiction: 'FEDERAL', count: 2 }, { jurisdiction: 'STATE', count: 1 }]);
  });

  it('when a manager opens a sample, then its seizure\'s related seizures are shown in full; a technician adds an observable seen on the sample and is refused an exhibit number the seizure has', async () => {
    const shared = '(520) 555-0177';
    const s1 = await seize({ observables: [{ kind: 'PHONE', value: shared }], exhibits: [{ exhibitNumber: 'E1', description: 'bricks in the spare tyre', netWeightKg: 13.6 }] });
    const s2 = await seize({ portCode: '2504', observables: [{ kind: 'PHONE', value: shared }] });
    await relatedCount(s1, 1);
    const sample = (await ui.h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(s1.id)).expect(201)).body;

    const boss = await ui.signIn(manager);
    await boss.goto(`${ui.h.url}/#/sample/${sample.id}`);
    const other = boss.locator('li.related-item');
    await other.waitFor();
    expect(await other.textContent()).toContain(`${s2.seizureNumber} — port 2504`);
    expect(await other.locator('[data-reason="PHONE"]').count()).toBe(1);

    const page = await ui.signIn(tech);
    await page.goto(`${ui.h.url}/#/sample/${sample.id}`);
    await page.waitForSelector(`h2:text("Seizure ${s1.seizureNumber}")`);
    expect(await page.locator('li.related-item').count()).toBe(0);
    const add = page.locator('form[aria-label="Add an observable"]');
    await add.getByLabel('Observable kind').selectOption('PILL_IMPRINT');
    await add.getByLabel('Value').fill('m-30');
    await add.getByLabel('Seen on this sample only').check();
    await add.getByRole('button', { name: 'Add observable' }).click();
    await poll(() => page.locator('form[aria-label="Add an observable"] [role="status"]').textContent()).toBe('Added: Pill imprint: m-30 → M30.');
    expect(await page.locator('[data-observable="PILL_IMPRINT"]').textContent()).toBe('Pill imprint: m-30 → M30');
    expect(await ui.h.sql('SELECT "sampleId"::text FROM "Observable" WHERE "seizureId" = $1 AND kind = $2', [s1.id, 'PILL_IMPRINT'])).toEqual([{ sampleId: sample.id }]);

    const exhibit = page.locator('form[aria-label="Add an exhibit"]');
    await exhibit.getByLabel('Exhibit number').fill('E1');
    await exhibit.getByLabel('Exhibit description').fill('a second bag');
    await exhibit.getByRole('button', { name: 'Add exhibit' }).click();
    await poll(() => exhibit.locator('.error[data-for="exhibitNumber"]').textContent()).toBe('Exhibit E1 already exists on this seizure');
    await exhibit.getByLabel('Exhibit number').fill('E2');
    await exhibit.getByLabel('Net weight (kg)').fill('0.54');
    await exhibit.getByRole('button', { name: 'Add exhibit' }).click();
    await poll(() => page.locator('form[aria-label="Add an exhibit"] [role="status"]').textContent()).toBe('Added exhibit E2: a second bag, 0.54 kg.');
    expect(await page.locator('[data-exhibit]').allTextContents()).toEqual(['E1: bricks in the spare tyre, 13.6 kg', 'E2: a second bag, 0.54 kg']);
    await shot(page, 'technician-seizure-intel-later');
  });
});
