import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, sampleBody, seizureBody, startHarness, type Harness } from '../support/harness.ts';

// pg warns once per process: listen from the start, so a warning during set-up counts too.
const warnings: Error[] = [];
process.on('warning', (w) => warnings.push(w));

let h: Harness;
let sampleId: string;
beforeAll(async () => {
  h = await startHarness({ kind: 'api' });
  const tech = await h.user('TECHNICIAN');
  const seizure = (await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody())).body;
  sampleId = (await h.http().post('/api/v1/samples').set(auth(tech.token)).send(sampleBody(seizure.id))).body.id;
});
afterAll(() => h?.stop());

describe('Prisma transactions on one pg client', () => {
  it('when a transaction reads a record with several relations at once, then the queries take turns and pg does not warn', async () => {
    const reads = await h.deps.db.$transaction(async (tx) =>
      Promise.all([
        tx.sample.findUniqueOrThrow({ where: { id: sampleId }, include: { tests: true, classifications: true, events: true } }),
        tx.seizure.findFirstOrThrow({ include: { samples: { include: { events: true, tests: true } } } }),
      ]),
    );

    expect(reads[0].events.length).toBeGreaterThan(0);
    expect(reads[1].samples[0]!.events.length).toBeGreaterThan(0);
    expect(warnings.map((w) => w.message)).not.toContainEqual(expect.stringMatching(/already executing a query/));
  });

  it('when a query in a transaction fails, then the next one still runs and the rollback goes through', async () => {
    await expect(
      h.deps.db.$transaction(async (tx) => {
        await expect(tx.$queryRawUnsafe('SELECT no_such_column FROM "Sample"')).rejects.toThrow();
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await h.deps.db.$transaction(async (tx) => tx.sample.count({ where: { id: sampleId } }))).toBe(1);
  });
});
