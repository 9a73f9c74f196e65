import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER, routedSample, startUi, type TUi, type TUser } from './support.ts';
import { auth } from '../support/harness.ts';

/** A clean browser console on every page, the sign-in page included: no 404 (a favicon), no 401 from probing for a session. */
let ui: TUi;
const people = {} as Record<'tech' | 'reviewer' | 'agent' | 'manager' | 'admin', TUser>;
let routed: Awaited<ReturnType<typeof routedSample>>;

beforeAll(async () => {
  ui = await startUi();
  people.tech = await ui.h.user('TECHNICIAN', 'console-tech-password');
  people.reviewer = await ui.h.user('TECHNICIAN', 'console-reviewer-password');
  people.agent = await ui.h.user('INVESTIGATOR', 'console-agent-password');
  people.manager = await ui.h.user('MANAGER', 'console-manager-password');
  people.admin = await ui.h.user('ADMIN', 'console-admin-password');
  await ui.h.http().put('/api/v1/ports/2604/duty').set(auth(people.manager.token)).send({ investigatorId: people.agent.id }).expect(200);
  routed = await routedSample(ui.h, people.tech, people.reviewer);
});
afterAll(() => ui?.stop());

/** Everything the console says at warning level or above, and every answer of 400 or more, for the page's life. */
function watch(page: Page) {
  const seen: string[] = [];
  page.on('console', (m) => ['error', 'warning'].includes(m.type()) && seen.push(`console ${m.type()}: ${m.text()}`));
  page.on('response', (r) => r.status() >= 400 && seen.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`));
  page.on('requestfailed', (r) => !/ERR_ABORTED/.test(r.failure()?.errorText ?? '') && seen.push(`failed ${new URL(r.url()).pathname}: ${r.failure()?.errorText}`));
  return seen;
}

/** Visits each page by its hash and waits until it has rendered its heading. */
async function visitAll(page: Page, hashes: string[]) {
  for (const hash of hashes) {
    await page.goto(`${ui.h.url}/${hash}`);
    await page.waitForFunction((h) => location.hash === h && !!document.querySelector('#view h1'), hash);
    await page.waitForLoadState('networkidle').catch(() => {});
  }
}

describe('browser console', BROWSER, () => {
  it('when nobody is signed in, then the sign-in page loads without a console message or a failed request', async () => {
    const page = await ui.visit();
    const seen = watch(page);
    await page.reload();
    await page.waitForSelector('h1:text("Sign in")');
    await page.waitForLoadState('networkidle');
    expect(seen).toEqual([]);
  });

  it.each([
    ['tech', () => ['#/worklist', '#/intake', '#/seizures', `#/seizure/${routed.seizure.id}`, '#/review', '#/inbox', `#/sample/${routed.sample.id}`]],
    ['agent', () => ['#/inbox', '#/cases', `#/case/${routed.sample.caseId}`, `#/sample/${routed.sample.id}`]],
    ['manager', () => ['#/dashboard', '#/worklist', '#/seizures', '#/review', '#/cases', `#/case/${routed.sample.caseId}`, '#/roster', '#/inbox']],
    ['admin', () => ['#/admin/users', '#/admin/webhooks', '#/dashboard']],
  ] as const)('when %s signs in and visits every page, then the console stays clean', async (who, hashes) => {
    const page = await ui.visit();
    const seen = watch(page);
    const user = people[who];
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('#who:not([hidden])');
    await visitAll(page, hashes());
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForSelector('h1:text("Sign in")');
    expect(seen).toEqual([]);
  });
});
