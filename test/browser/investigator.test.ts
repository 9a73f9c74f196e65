import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth } from '../support/harness.ts';
import { BROWSER, routedSample, shot, startUi, type TUi, type TUser } from './support.ts';

/** The investigator's screens: the case and the evidence behind it, in people's names. */
let ui: TUi;
let tech: TUser;
let courier: TUser;
let agent: TUser;
let routed: Awaited<ReturnType<typeof routedSample>>;
const nameOf = async (u: TUser) => (await ui.h.sql<{ name: string }>('SELECT name FROM "User" WHERE id = $1', [u.id]))[0]!.name;

beforeAll(async () => {
  ui = await startUi();
  tech = await ui.h.user('TECHNICIAN');
  courier = await ui.h.user('TECHNICIAN');
  agent = await ui.h.user('INVESTIGATOR');
  const manager = await ui.h.user('MANAGER');
  await ui.h.http().put('/api/v1/ports/2604/duty').set(auth(manager.token)).send({ investigatorId: agent.id }).expect(200);
  routed = await routedSample(ui.h, tech, await ui.h.user('TECHNICIAN'));
  const custody = (body: object, who: TUser) => ui.h.http().post(`/api/v1/samples/${routed.sample.id}/custody`).set(auth(who.token)).send(body).expect(201);
  await custody({ action: 'TRANSFERRED', toUserId: courier.id, location: '2604 vault', sealNumber: 'B-1' }, tech);
  await custody({ action: 'RECEIVED', sealIntact: true }, courier);
});
afterAll(() => ui?.stop());

/** The From and To columns of the custody table, row by row. */
const custodyPeople = async (page: import('playwright-core').Page) => {
  const rows = page.locator('.card:has(h2:text("Chain of custody")) tbody tr');
  await rows.first().waitFor();
  return Promise.all((await rows.all()).map(async (r) => (await r.locator('td').allTextContents()).slice(1, 4)));
};

describe('investigator', BROWSER, () => {
  it('when an investigator opens their case, then each sample shows its classification version with the number of tests it considered', async () => {
    const c = (await ui.h.http().get(`/api/v1/samples/${routed.sample.id}`).set(auth(agent.token)).expect(200)).body.classification;
    expect(c.testCount).toBe(2);
    const page = await ui.signIn(agent);
    await page.goto(`${ui.h.url}/#/case/${routed.sample.caseId}`);
    const verdict = page.locator('.verdict[data-level="IDENTIFIED"]');
    await verdict.waitFor();
    expect(await verdict.textContent()).toContain(`fentanyl · version ${c.version} · 2 tests`);
    await shot(page, 'investigator-case');
  });

  it('when an investigator opens a sample of their case, then the chain of custody names the people who held it', async () => {
    const page = await ui.signIn(agent);
    await page.goto(`${ui.h.url}/#/sample/${routed.sample.id}`);
    const [techName, courierName] = [await nameOf(tech), await nameOf(courier)];
    expect(await custodyPeople(page)).toEqual([
      ['received', '—', techName],
      ['transferred', techName, courierName],
      ['received', courierName, courierName],
    ]);
  });

  it('when someone who held the item has since been disabled, then the custody table still names them', async () => {
    const admin = await ui.h.user('ADMIN');
    await ui.h.http().post(`/api/v1/users/${courier.id}/disable`).set(auth(admin.token)).expect(200);
    const page = await ui.signIn(tech);
    await page.goto(`${ui.h.url}/#/sample/${routed.sample.id}`);
    const [techName, courierName] = [await nameOf(tech), await nameOf(courier)];
    expect(await custodyPeople(page)).toEqual([
      ['received', '—', techName],
      ['transferred', techName, courierName],
      ['received', courierName, courierName],
    ]);
  });
});
