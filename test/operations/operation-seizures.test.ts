import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weekStart } from '../../src/domain/tally.rules.ts';
import { auth, seizureBody, startHarness, type Harness } from '../support/harness.ts';

type TUser = Awaited<ReturnType<Harness['user']>>;

/** What an operation's page reads: its seizures, a seizure tagged by its number, the tally week by week. */
describe('an operation\'s seizures and weeks', () => {
  let h: Harness;
  let tech: TUser;
  let manager: TUser;
  beforeAll(async () => {
    h = await startHarness({ kind: 'api' });
    [tech, manager] = await Promise.all([h.user('TECHNICIAN'), h.user('MANAGER')]);
  });
  afterAll(() => h?.stop());

  const api = () => h.http();
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
  const seize = async (over: Record<string, unknown>) => (await api().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody(over)).expect(201)).body as { id: string; seizureNumber: string };

  it('when a seizure is tagged by its number, then it is listed with how it was tagged; an unknown number is refused on that field and both ids and numbers at once are refused', async () => {
    const port = '2305';
    const op = (await api().post('/api/v1/operations').set(auth(manager.token)).send({ name: `Laredo ${randomUUID().slice(0, 6)}`, startsOn: daysAgo(3).toISOString().slice(0, 10), portCodes: [port], description: 'surge' }).expect(201)).body;
    const byRule = await seize({ portCode: port, seizedAt: daysAgo(1).toISOString() });
    const byHand = await seize({ portCode: '2604', seizedAt: daysAgo(2).toISOString(), seizureNumber: `PORT-${randomUUID().slice(0, 8)}` });

    const tagged = await api().post(`/api/v1/operations/${op.id}/seizures`).set(auth(manager.token)).send({ seizureNumber: byHand.seizureNumber });
    expect(tagged.status).toBe(200);
    expect(tagged.body).toEqual({ operationId: op.id, seizureId: byHand.id, seizureNumber: byHand.seizureNumber, tagged: true });
    const unknown = await api().post(`/api/v1/operations/${op.id}/seizures`).set(auth(manager.token)).send({ seizureNumber: 'SZ-NOPE' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([{ path: 'body.seizureNumber', message: 'no seizure numbered SZ-NOPE', label: 'seizure number' }]);
    expect((await api().post(`/api/v1/operations/${op.id}/seizures`).set(auth(manager.token)).send({ seizureNumber: byHand.seizureNumber, seizureId: byHand.id })).status).toBe(400);

    const list = await api().get(`/api/v1/operations/${op.id}/seizures`).set(auth(manager.token));
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(2);
    expect(list.body.items.map((s: { seizureNumber: string; taggedBy: string; portCode: string }) => [s.seizureNumber, s.taggedBy, s.portCode]))
      .toEqual([[byRule.seizureNumber, 'RULE', port], [byHand.seizureNumber, 'MANUAL', '2604']]);
    expect((await api().get(`/api/v1/operations/${op.id}/seizures?limit=1`).set(auth(manager.token))).body).toMatchObject({ total: 2, items: [{ seizureId: byRule.id }] });
    expect((await api().get(`/api/v1/operations/${op.id}/seizures`).set(auth(tech.token))).status).toBe(403);
    expect((await api().get(`/api/v1/operations/${randomUUID()}/seizures`).set(auth(manager.token))).status).toBe(404);
  });

  it('when the summary is read, then byWeek runs from the launch week to the current week, each seizure and its exhibits in the week it was made', async () => {
    const port = '2304';
    const launch = daysAgo(15);
    const op = (await api().post('/api/v1/operations').set(auth(manager.token)).send({ name: `Weeks ${randomUUID().slice(0, 6)}`, startsOn: launch.toISOString().slice(0, 10), portCodes: [port], description: 'weeks' }).expect(201)).body;
    const early = daysAgo(14);
    const recent = daysAgo(0.01);
    await seize({ portCode: port, seizedAt: early.toISOString(), exhibits: [{ exhibitNumber: '1', description: 'bricks', netWeightKg: 4.5 }] });
    await seize({ portCode: port, seizedAt: recent.toISOString(), exhibits: [{ exhibitNumber: '1', description: 'bag', netWeightKg: 0.5 }, { exhibitNumber: '2', description: 'bag', netWeightKg: 1 }] });

    const s = (await api().get(`/api/v1/operations/${op.id}/summary`).set(auth(manager.token)).expect(200)).body;
    const now = new Date();
    const weeks = s.byWeek as { weekStart: string; seizures: number; byCategory: unknown[]; pendingAnalysis: { exhibits: number; netWeightKg: number } }[];
    const iso = (d: Date) => weekStart(d).toISOString().slice(0, 10);
    expect(weeks[0]!.weekStart).toBe(iso(launch));
    expect(weeks.at(-1)!.weekStart).toBe(iso(now));
    expect(weeks.length).toBe((weekStart(now).getTime() - weekStart(launch).getTime()) / (7 * 86_400_000) + 1);
    const at = (d: Date) => weeks.find((w) => w.weekStart === iso(d))!;
    // Fourteen days apart: never the same ISO week.
    expect([at(early).seizures, at(recent).seizures]).toEqual([1, 1]);
    expect(at(early).pendingAnalysis).toMatchObject({ exhibits: 1, netWeightKg: 4.5 });
    expect(at(recent).pendingAnalysis).toMatchObject({ exhibits: 2, netWeightKg: 1.5 });
    expect(weeks.reduce((n, w) => n + w.seizures, 0)).toBe(s.seizures);
    expect(weeks.every((w) => w.byCategory.length === 0)).toBe(true);
  });
});
