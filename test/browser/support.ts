import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { auth, eventually, sampleBody, seizureBody, startHarness, type Harness } from '../support/harness.ts';

/** Real headless Chromium (Debian) against the real app on its own database. */

/**
 * A ceiling per browser test, for describe(): a path through the UI signs people in (a password
 * hash each) and waits on the queue, and on a 2-core machine shared with other suites that can pass
 * the default 60 s without anything being wrong. It only bounds a hang; nothing measures time.
 */
export const BROWSER = { timeout: 180_000 };
export const SHOTS = path.resolve('test-artifacts/screenshots');
export type TUser = Awaited<ReturnType<Harness['user']>>;

export type TUi = {
  h: Harness;
  signIn(who: TUser, viewport?: { width: number; height: number }): Promise<Page>;
  /** A fresh browser window with nobody signed in. */
  visit(viewport?: { width: number; height: number }): Promise<Page>;
  stop(): Promise<void>;
};

/** `env`: configuration for this file's app (a small IMPORT_SYNC_ROWS or FILE_MAX_MB). */
export async function startUi(opts: { env?: Record<string, string> } = {}): Promise<TUi> {
  mkdirSync(SHOTS, { recursive: true });
  const h = await startHarness({ kind: 'all', env: opts.env });
  const browser: Browser = await chromium.launch({
    executablePath: inject('chromiumPath'),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const contexts: BrowserContext[] = [];
  // Every page's console errors and warnings, checked at each screenshot and once more at the end.
  const problems: string[] = [];
  const visit = async (viewport = { width: 1280, height: 800 }) => {
    const context = await browser.newContext({ viewport, acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => {
      throw err;
    });
    const seen: string[] = [];
    consoleLogs.set(page, seen);
    page.on('console', (m) => {
      if (m.type() !== 'error' && m.type() !== 'warning') return;
      // A refusal from the API (4xx) is shown on the page next to its field; Chromium also logs it.
      if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text()) && new URL(m.location().url, h.url).pathname.startsWith('/api/v1/')) return;
      seen.push(`${m.type()}: ${m.text()} (${m.location().url})`);
      problems.push(seen.at(-1)!);
    });
    await page.goto(h.url!);
    return page;
  };
  return {
    h,
    visit,
    async signIn(who, viewport) {
      const page = await visit(viewport);
      await page.getByLabel('Email').fill(who.email);
      await page.getByLabel('Password').fill(who.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForSelector('#who:not([hidden])');
      return page;
    },
    async stop() {
      await browser?.close();
      await h?.stop();
      expect(problems, 'errors and warnings in the browser console of this file\'s pages').toEqual([]);
    },
  };
}

/** What each page wrote to its console as errors or warnings (API refusals it shows aside). */
const consoleLogs = new WeakMap<Page, string[]>();
export const consoleProblems = (page: Page) => consoleLogs.get(page) ?? [];

export const shot = async (page: Page, name: string) => {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  expect(await unlabelled(page), `unlabelled fields on ${name}`).toEqual([]);
  expect(consoleProblems(page), `console of ${name}`).toEqual([]);
};

/** Every visible form control must have an accessible name (a <label for>, a wrapping label or aria-label). */
const unlabelled = (page: Page) => page.evaluate(() => [...document.querySelectorAll('main input, main select, main textarea')]
  .filter((el) => (el as HTMLElement).offsetParent !== null)
  .filter((el) => !(el as HTMLInputElement).labels?.length && !el.getAttribute('aria-label'))
  .map((el) => el.outerHTML.slice(0, 80)));

/**
 * Waits until what `read` returns meets the assertion chained on it. The page answers after a round
 * trip to the server, which on a busy machine takes longer than expect.poll's one-second default.
 */
export const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 30_000, interval: 100 });

/** Whether the page fits the window's width (nothing cut off or needing a sideways scroll). */
export const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

/** Whether the element lies wholly inside the window as it is scrolled now. */
export const inViewport = (page: Page, selector: string) => page.locator(selector).evaluate((el) => {
  const r = el.getBoundingClientRect();
  return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
});

/** A registered sample, through the API, waiting until triage has queued it. */
export async function queuedSample(h: Harness, tech: TUser, over: { seizure?: Record<string, unknown>; sample?: Record<string, unknown> } = {}) {
  const seizure = (await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody(over.seizure)).expect(201)).body;
  const sample = (await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id, over.sample)).expect(201)).body;
  await eventually(async () => (await h.http().get(`/api/v1/samples/${sample.id}`).set(auth(tech.token))).body.status === 'QUEUED', 'triage to QUEUED');
  return { seizure, sample };
}

/**
 * A sample taken the whole way through the API: strip and GC-MS positive for fentanyl, reviewed by a
 * second technician, released and routed to a new case of the port's duty investigator.
 */
export async function routedSample(h: Harness, tech: TUser, reviewer: TUser) {
  const { seizure, sample } = await queuedSample(h, tech);
  const sampleOf = async () => (await h.http().get(`/api/v1/samples/${sample.id}`).set(auth(tech.token))).body;
  await h.http().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token)).send({ technique: 'FENTANYL_TEST_STRIP', outcome: 'POSITIVE' }).expect(201);
  await h.http().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token))
    .send({ technique: 'GC_MS', outcome: 'POSITIVE', hits: [{ substance: 'fentanyl', score: 0.96 }], dataRef: 'gcms/0001.d', samplingId: 'S2' }).expect(201);
  await eventually(async () => (await sampleOf()).classification?.testCount === 2, 'classification of both tests');
  await h.http().post(`/api/v1/samples/${sample.id}/submit`).set(auth(tech.token)).expect(200);
  await h.http().post(`/api/v1/samples/${sample.id}/review`).set(auth(reviewer.token)).send({ decision: 'APPROVE', password: reviewer.password }).expect(200);
  const routed = await eventually(async () => {
    const s = await sampleOf();
    return s.status === 'ROUTED' && s;
  }, 'ROUTED');
  return { seizure, sample: routed as { id: string; barcode: string; caseId: string } };
}
