import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, eventually } from '../support/harness.ts';
import { BROWSER, poll, queuedSample, shot, startUi, type TUi, type TUser } from './support.ts';

/** Signing in and out, for every role: nothing of one user stays on screen for the next. */
let ui: TUi;
let tech: TUser;
let reviewer: TUser;

beforeAll(async () => {
  ui = await startUi();
  tech = await ui.h.user('TECHNICIAN', 'session-tech-password');
  reviewer = await ui.h.user('TECHNICIAN', 'session-reviewer-password');
});
afterAll(() => ui?.stop());

/** What of a signed-in user the header and banner show. */
const leftovers = async (page: Page) => ({
  who: await page.locator('#who').isVisible(),
  name: await page.locator('#who-name').isVisible(),
  live: await page.locator('#live').isVisible(),
  nav: await page.locator('#nav').isVisible(),
  navLinks: await page.locator('#nav a').count(),
  signOut: await page.getByRole('button', { name: 'Sign out' }).isVisible(),
});
const nothingLeft = { who: false, name: false, live: false, nav: false, navLinks: 0, signOut: false };

describe('session', BROWSER, () => {
  it('when a reviewer signs a review and then signs out, then the sign-in page shows no name, navigation, live dot, old banner or Sign out', async () => {
    const { sample } = await queuedSample(ui.h, tech);
    await ui.h.http().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token)).send({ technique: 'FENTANYL_TEST_STRIP', outcome: 'POSITIVE' }).expect(201);
    await eventually(async () => (await ui.h.http().get(`/api/v1/samples/${sample.id}`).set(auth(tech.token))).body.classification, 'classification');
    await ui.h.http().post(`/api/v1/samples/${sample.id}/submit`).set(auth(tech.token)).expect(200);

    const page = await ui.signIn(reviewer);
    await page.waitForSelector('#live.on');
    expect(await page.locator('#who-name').textContent()).toContain(reviewer.email);
    await page.goto(`${ui.h.url}/#/sample/${sample.id}`);
    await page.getByLabel('Approve and release').check();
    await page.getByLabel('Electronic signature: your password').fill(reviewer.password);
    await page.getByRole('button', { name: 'Sign review' }).click();
    await poll(() => page.locator('#banner').textContent()).toContain('Review signed');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForSelector('h1:text("Sign in")');
    expect(await leftovers(page)).toEqual(nothingLeft);
    expect(await page.locator('#banner').textContent()).toBe('You have signed out.');
    expect(await page.getByText(reviewer.email).count()).toBe(0);
    await shot(page, 'signed-out');
  });

  it('when someone who is not signed in opens the application, then the sign-in page offers no Sign out and no navigation', async () => {
    const page = await ui.visit();
    await page.waitForSelector('h1:text("Sign in")');
    expect(await leftovers(page)).toEqual(nothingLeft);
  });
});
