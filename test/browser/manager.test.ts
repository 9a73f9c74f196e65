import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth } from '../support/harness.ts';
import { BROWSER, poll, routedSample, shot, startUi, type TUi, type TUser } from './support.ts';

/** The manager's screens: duty roster and case assignment save only when asked, and say what they saved. */
let ui: TUi;
let manager: TUser;
const investigators: TUser[] = [];
const nameOf = async (u: TUser) => (await ui.h.sql<{ name: string }>('SELECT name FROM "User" WHERE id = $1', [u.id]))[0]!.name;

beforeAll(async () => {
  ui = await startUi();
  manager = await ui.h.user('MANAGER', 'manager-password-1');
  for (let i = 0; i < 3; i++) investigators.push(await ui.h.user('INVESTIGATOR'));
});
afterAll(() => ui?.stop());

/** Requests the page sends that change something (anything but GET). */
const writes = (page: Page) => {
  const seen: string[] = [];
  page.on('request', (r: Request) => r.method() !== 'GET' && seen.push(`${r.method()} ${new URL(r.url()).pathname}`));
  return seen;
};

describe('manager', BROWSER, () => {
  it('when the manager moves through a port\'s duty menu with the arrow keys, then nothing is saved until Save, and the page says who is now on duty', async () => {
    const page = await ui.signIn(manager);
    await page.getByRole('link', { name: 'Duty roster' }).click();
    const menu = page.getByRole('combobox', { name: 'On duty at 2503 Calexico', exact: true });
    await menu.waitFor();
    const sent = writes(page);
    await menu.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    const chosen = await menu.inputValue();
    expect(investigators.map((u) => u.id)).toContain(chosen);
    const person = await nameOf(investigators.find((u) => u.id === chosen)!);

    await page.getByRole('button', { name: 'Save duty at 2503' }).click();
    await poll(() => page.locator('tr:has-text("2503 Calexico") [role="status"]').textContent()).toBe(`Saved: ${person} is on duty at 2503 Calexico (before: nobody).`);
    expect(sent).toEqual(['PUT /api/v1/ports/2503/duty']);
    expect((await ui.h.sql<{ d: string }>('SELECT "dutyInvestigatorId" AS d FROM "Port" WHERE code = $1', ['2503']))[0]!.d).toBe(chosen);
    await shot(page, 'manager-roster');
  });

  it('when the manager changes a case\'s assignee with the keyboard, then it is assigned once, on Save, and the page names both investigators', async () => {
    const tech = await ui.h.user('TECHNICIAN');
    const reviewer = await ui.h.user('TECHNICIAN');
    await ui.h.http().put('/api/v1/ports/2604/duty').set(auth(manager.token)).send({ investigatorId: investigators[0]!.id }).expect(200);
    const { sample } = await routedSample(ui.h, tech, reviewer);
    const caseNumber = (await ui.h.sql<{ n: string }>('SELECT "caseNumber" AS n FROM "Case" WHERE id = $1', [sample.caseId]))[0]!.n;

    const page = await ui.signIn(manager);
    await page.getByRole('link', { name: 'Cases' }).click();
    const menu = page.getByRole('combobox', { name: `Assignee of ${caseNumber}` });
    await menu.waitFor();
    expect(await menu.inputValue()).toBe(investigators[0]!.id);
    const sent = writes(page);
    // Several steps through the menu, each one a change event, ending next to where it started.
    const options = await menu.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    const last = options.indexOf(investigators[0]!.id) === options.length - 1;
    await menu.focus();
    for (const key of last ? ['ArrowUp', 'ArrowDown', 'ArrowUp'] : ['ArrowDown', 'ArrowUp', 'ArrowDown']) await page.keyboard.press(key);
    const chosen = await menu.inputValue();
    expect(investigators.slice(1).map((u) => u.id)).toContain(chosen);
    await page.getByRole('button', { name: `Save assignee of ${caseNumber}` }).click();
    const [before, after] = [await nameOf(investigators[0]!), await nameOf(investigators.find((u) => u.id === chosen)!)];
    await poll(() => page.locator(`tr:has-text("${caseNumber}") [role="status"]`).textContent()).toBe(`Saved: ${caseNumber} assigned to ${after} (before: ${before}).`);
    expect(sent).toEqual([`POST /api/v1/cases/${sample.caseId}/assign`]);
    expect((await ui.h.sql<{ a: string }>('SELECT "assigneeId" AS a FROM "Case" WHERE id = $1', [sample.caseId]))[0]!.a).toBe(chosen);
  });
});
