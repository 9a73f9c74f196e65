import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/lib/clock.ts';
import { auth, startHarness, type Harness } from '../support/harness.ts';

/**
 * Report figures against fixtures computed by hand. Times are UTC; "now" is 2026-06-30T00:00Z.
 * TAT hours per released sample: S1 1 (URGENT), S2 2 (URGENT, released exactly at due), S3 3 (URGENT,
 * late), S4 4 (ROUTINE) at port 2604; S5 10 (PRIORITY, late) at 2504; S6 released in May (outside).
 * Stages: triage 0.1 h, queue 0.2 h, review 0.2 h, routing 0.5 h each; analysis = TAT − 0.5 h, i.e.
 * 0.5, 1.5, 2.5, 3.5, 9.5 → p50 2.5, p90 3.5 + 0.6 × 6 = 7.1.
 */
const clock = fixedClock(new Date('2026-06-30T00:00:00Z'));
let h: Harness;
let manager: string;
const H = 3_600_000;
const at = (iso: string, plusHours = 0) => new Date(Date.parse(iso) + plusHours * H).toISOString();

async function seizure(port: string, seizedAt: string, by: string) {
  const id = randomUUID();
  await h.sql(`INSERT INTO "Seizure" (id, "seizureNumber", "portCode", "seizedAt", "subjectInCustody", "createdById") VALUES ($1, $2, $3, $4, false, $5)`,
    [id, `SZ-${id.slice(0, 8)}`, port, seizedAt, by]);
  return id;
}

async function sample(o: { seizureId: string; port: string; priority: string; status: string; reg: string; slaH: number; tat?: number; category: string | null; netG: number; by: string; item: number }) {
  const stamps = o.tat === undefined ? {} : {
    queuedAt: at(o.reg, 0.1), firstTestAt: at(o.reg, 0.3), submittedAt: at(o.reg, o.tat - 0.2), releasedAt: at(o.reg, o.tat), routedAt: at(o.reg, o.tat + 0.5),
  };
  const cols = { id: randomUUID(), barcode: `FIX${randomUUID().slice(0, 10)}`, seizureId: o.seizureId, portCode: o.port, itemNumber: o.item, form: 'POWDER', description: 'fixture',
    grossWeightG: o.netG + 5, netWeightG: o.netG, sealNumber: 'S', priority: o.priority, status: o.status, registeredById: o.by, registeredAt: o.reg,
    dueAt: at(o.reg, o.slaH), updatedAt: o.reg, category: o.category, ...stamps };
  const names = Object.keys(cols);
  await h.sql(`INSERT INTO "Sample" (${names.map((n) => `"${n}"`).join(', ')}) VALUES (${names.map((n, i) => `$${i + 1}${n === 'form' ? '::"SampleForm"' : n === 'priority' ? '::"Priority"' : n === 'status' ? '::"SampleStatus"' : ''}`).join(', ')})`, Object.values(cols));
}

beforeAll(async () => {
  h = await startHarness({ kind: 'api', clock });
  const m = await h.user('MANAGER');
  manager = m.token;
  const by = m.id;
  const z1 = await seizure('2604', '2026-06-09T12:00:00Z', by);
  const z2 = await seizure('2504', '2026-06-09T13:00:00Z', by);
  const z3 = await seizure('2604', '2026-05-19T00:00:00Z', by);
  const z4 = await seizure('2604', '2026-04-30T00:00:00Z', by);
  const base = { by, status: 'ROUTED' };
  await sample({ ...base, seizureId: z1, port: '2604', item: 1, priority: 'URGENT', reg: '2026-06-10T00:00:00Z', slaH: 2, tat: 1, category: 'FENTANYL', netG: 100 });
  await sample({ ...base, seizureId: z1, port: '2604', item: 2, priority: 'URGENT', reg: '2026-06-11T00:00:00Z', slaH: 2, tat: 2, category: 'FENTANYL', netG: 250.5 });
  await sample({ ...base, seizureId: z1, port: '2604', item: 3, priority: 'URGENT', reg: '2026-06-12T00:00:00Z', slaH: 2, tat: 3, category: 'OTHER_CONTROLLED', netG: 1000 });
  await sample({ ...base, seizureId: z1, port: '2604', item: 4, priority: 'ROUTINE', reg: '2026-06-13T00:00:00Z', slaH: 48, tat: 4, category: 'NO_CONTROLLED_SUBSTANCE_IDENTIFIED', netG: 20 });
  await sample({ ...base, seizureId: z2, port: '2504', item: 1, priority: 'PRIORITY', reg: '2026-06-14T00:00:00Z', slaH: 8, tat: 10, category: 'FENTANYL_PRECURSOR', netG: 5000 });
  await sample({ ...base, seizureId: z3, port: '2604', item: 1, priority: 'URGENT', reg: '2026-05-20T00:00:00Z', slaH: 2, tat: 1, category: 'FENTANYL', netG: 999 });
  await sample({ by, seizureId: z1, port: '2604', item: 5, priority: 'ROUTINE', status: 'QUEUED', reg: '2026-06-29T12:00:00Z', slaH: 48, category: null, netG: 10 });
  await sample({ by, seizureId: z1, port: '2604', item: 6, priority: 'URGENT', status: 'IN_ANALYSIS', reg: '2026-06-25T00:00:00Z', slaH: 2, category: 'FENTANYL', netG: 0.5 });
  await sample({ by, seizureId: z4, port: '2604', item: 1, priority: 'ROUTINE', status: 'NEEDS_ATTENTION', reg: '2026-05-01T00:00:00Z', slaH: 48, category: null, netG: 1 });
});
afterAll(() => h?.stop());

const get = (path: string) => h.http().get(`/api/v1${path}`).set(auth(manager));
const JUNE = 'from=2026-06-01T00:00:00Z&to=2026-06-30T00:00:00Z';

describe('manager reports', () => {
  it('turnaround by port: p50/p90 by linear interpolation, mean, and releases later than due', async () => {
    const res = await get(`/reports/turnaround?${JUNE}&groupBy=port`);
    expect(res.status).toBe(200);
    expect(res.body.groups).toEqual([
      { key: '2504', count: 1, p50Hours: 10, p90Hours: 10, meanHours: 10, breached: 1 },
      { key: '2604', count: 4, p50Hours: 2.5, p90Hours: 3.7, meanHours: 2.5, breached: 1 },
    ]);
    expect(res.body.stages).toEqual([
      { stage: 'triage', label: 'registered → queued', count: 5, p50Hours: 0.1, p90Hours: 0.1 },
      { stage: 'queue', label: 'queued → first test', count: 5, p50Hours: 0.2, p90Hours: 0.2 },
      { stage: 'analysis', label: 'first test → submitted', count: 5, p50Hours: 2.5, p90Hours: 7.1 },
      { stage: 'review', label: 'submitted → released', count: 5, p50Hours: 0.2, p90Hours: 0.2 },
      { stage: 'routing', label: 'released → routed', count: 5, p50Hours: 0.5, p90Hours: 0.5 },
    ]);
  });

  it('turnaround by priority and by category, and for one port', async () => {
    expect((await get(`/reports/turnaround?${JUNE}&groupBy=priority`)).body.groups).toEqual([
      { key: 'PRIORITY', count: 1, p50Hours: 10, p90Hours: 10, meanHours: 10, breached: 1 },
      { key: 'ROUTINE', count: 1, p50Hours: 4, p90Hours: 4, meanHours: 4, breached: 0 },
      { key: 'URGENT', count: 3, p50Hours: 2, p90Hours: 2.8, meanHours: 2, breached: 1 },
    ]);
    expect((await get(`/reports/turnaround?${JUNE}&groupBy=category`)).body.groups.map((g: { key: string; count: number }) => [g.key, g.count])).toEqual([
      ['FENTANYL', 2], ['FENTANYL_PRECURSOR', 1], ['NO_CONTROLLED_SUBSTANCE_IDENTIFIED', 1], ['OTHER_CONTROLLED', 1],
    ]);
    expect((await get(`/reports/turnaround?${JUNE}&portCode=2504`)).body.groups).toEqual([{ key: '2504', count: 1, p50Hours: 10, p90Hours: 10, meanHours: 10, breached: 1 }]);
  });

  it('backlog: open samples by status and age, overdue, older than 30 days, and the oldest', async () => {
    const res = await get('/reports/backlog');
    expect(res.body).toMatchObject({ backlogDays: 30, open: 3, overdue: 2, backlog: 1, oldest: { registeredAt: '2026-05-01T00:00:00.000Z', ageDays: 60 } });
    expect(res.body.byStatus).toEqual([
      { status: 'IN_ANALYSIS', bucket: '1-7d', count: 1 },
      { status: 'NEEDS_ATTENTION', bucket: '>30d', count: 1 },
      { status: 'QUEUED', bucket: '<1d', count: 1 },
    ]);
  });

  it('operations: seizures, samples and kilograms by category for a period, for all ports and for one', async () => {
    const all = await get(`/reports/operations?${JUNE}`);
    expect(all.body).toMatchObject({ seizures: 2, samples: 7 });
    expect(all.body.byCategory).toEqual([
      { category: 'FENTANYL', samples: 3, netWeightKg: 0.351 },
      { category: 'FENTANYL_PRECURSOR', samples: 1, netWeightKg: 5 },
      { category: 'NO_CONTROLLED_SUBSTANCE_IDENTIFIED', samples: 1, netWeightKg: 0.02 },
      { category: 'OTHER_CONTROLLED', samples: 1, netWeightKg: 1 },
      { category: 'UNCLASSIFIED', samples: 1, netWeightKg: 0.01 },
    ]);
    const nogales = await get(`/reports/operations?${JUNE}&portCode=2604`);
    expect(nogales.body).toMatchObject({ seizures: 1, samples: 6 });
  });

  it('throughput: registered and released per day, every day of the period listed', async () => {
    const res = await get('/reports/throughput?from=2026-06-10T00:00:00Z&to=2026-06-15T00:00:00Z');
    expect(res.body.days).toEqual([
      { day: '2026-06-10', registered: 1, released: 1 },
      { day: '2026-06-11', registered: 1, released: 1 },
      { day: '2026-06-12', registered: 1, released: 1 },
      { day: '2026-06-13', registered: 1, released: 1 },
      { day: '2026-06-14', registered: 1, released: 1 },
    ]);
    const may = await get('/reports/throughput?from=2026-05-19T00:00:00Z&to=2026-05-21T00:00:00Z&portCode=2604');
    expect(may.body.days).toEqual([{ day: '2026-05-19', registered: 0, released: 0 }, { day: '2026-05-20', registered: 1, released: 1 }]);
  });

  it('CSV on ?format=csv or Accept: text/csv, as a download', async () => {
    const csv = await get(`/reports/operations?${JUNE}&format=csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="operations-all-2026-06-01-2026-06-30.csv"');
    const json = (await get(`/reports/operations?${JUNE}`)).body;
    const tail = `${json.from},${json.to},all,${json.seizures}`;
    expect(json.seizures).toBeGreaterThan(0);
    expect(csv.text).toBe(['category,samples,netWeightKg,periodFrom,periodTo,portCode,seizures', `FENTANYL,3,0.351,${tail}`, `FENTANYL_PRECURSOR,1,5,${tail}`,
      `NO_CONTROLLED_SUBSTANCE_IDENTIFIED,1,0.02,${tail}`, `OTHER_CONTROLLED,1,1,${tail}`, `UNCLASSIFIED,1,0.01,${tail}`, `TOTAL,7,6.381,${tail}`, ''].join('\r\n'));
    const port = await get(`/reports/operations?${JUNE}&portCode=2604&format=csv`);
    expect(port.text.split('\r\n')[1]).toMatch(/,2604,\d+$/);
    const tat = await h.http().get(`/api/v1/reports/turnaround?${JUNE}`).set(auth(manager)).set('Accept', 'text/csv');
    expect(tat.text.split('\r\n').slice(0, 3)).toEqual(['kind,key,count,p50Hours,p90Hours,meanHours,breached', 'group,port:2504,1,10,10,10,1', 'group,port:2604,4,2.5,3.7,2.5,1']);
    expect((await get('/reports/backlog?format=csv')).text).toContain('NEEDS_ATTENTION,>30d,1');
  });

  it('rejects an empty period and unknown parameters with 400, and other roles with 403', async () => {
    expect((await get('/reports/operations?from=2026-06-30&to=2026-06-01')).status).toBe(400);
    expect((await get('/reports/turnaround?groupBy=colour')).status).toBe(400);
    const tech = await h.user('TECHNICIAN');
    expect((await h.http().get('/api/v1/reports/backlog').set(auth(tech.token))).status).toBe(403);
  });
});
