import { recordTest } from '../analysis/tests.usecases.ts';
import { ZRecordTest } from '../analysis/tests.schemas.ts';
import { ZCreateSample, ZCreateSeizure } from '../intake/intake.schemas.ts';
import { createSample, createSeizure } from '../intake/intake.usecases.ts';
import { slaPolicy } from '../lib/config.ts';
import type { Db } from '../lib/db.ts';
import type { CoreDeps } from './deps.ts';

/**
 * A first morning's work for the demo, on a database with no seizures yet: two seizures and four
 * samples registered through the same use cases as the API (custody, audit, outbox, jobs), and a few
 * presumptive results, so every screen has something to show. Never runs without SEED_DEMO.
 */
export async function seedDemoWork({ db, engine, config, clock, log }: CoreDeps): Promise<void> {
  if ((await db.seizure.count()) > 0) return;
  const tech = await db.user.findUnique({ where: { email: 'tech@fol.example' } });
  if (!tech) return;
  const user = { id: tech.id, email: tech.email, name: tech.name, role: tech.role };
  const now = clock.now();
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
  const run = <T>(fn: (tx: Parameters<Parameters<Db['$transaction']>[0]>[0]) => Promise<T>) => db.$transaction(fn);

  const car = await run((tx) => createSeizure(tx, ZCreateSeizure.parse({ portCode: '2604', seizedAt: hoursAgo(1), conveyance: 'PASSENGER_VEHICLE', subjectInCustody: true, narrative: 'Demo: powder in the spare tyre of a northbound sedan' }), user, now));
  const truck = await run((tx) => createSeizure(tx, ZCreateSeizure.parse({ portCode: '2504', seizedAt: hoursAgo(3), conveyance: 'COMMERCIAL_TRUCK', subjectInCustody: false, narrative: 'Demo: drums declared as industrial solvent' }), user, now));
  const sample = (seizureId: string, over: Record<string, unknown>) =>
    run((tx) => createSample(tx, ZCreateSample.parse({ seizureId, form: 'POWDER', description: 'demo', grossWeightG: 60, sealNumber: 'DEMO-1', ...over }), user, now, slaPolicy(config)));
  const a = await sample(car.id, { description: 'off-white powder, vacuum-sealed brick', grossWeightG: 1062.4, netWeightG: 1001.8, netWeightUncertaintyG: 0.6, sealNumber: 'CBP-2604-0001' });
  const b = await sample(car.id, { form: 'TABLET', description: 'blue tablets marked "M 30"', grossWeightG: 58.2, netWeightG: 52.1, netWeightUncertaintyG: 0.1, unitCount: 480, markings: 'M 30', color: 'blue', sealNumber: 'CBP-2604-0002' });
  await sample(truck.id, { form: 'LIQUID', description: 'clear liquid, 200 L drum (aliquot)', grossWeightG: 250, netWeightG: 200, netWeightUncertaintyG: 0.5, sealNumber: 'CBP-2504-0001', priority: 'ROUTINE' });
  await sample(truck.id, { description: 'white crystalline powder, 25 kg bag (aliquot)', grossWeightG: 120, netWeightG: 100, netWeightUncertaintyG: 0.3, sealNumber: 'CBP-2504-0002', priority: 'PRIORITY' });
  await run((tx) => recordTest(tx, a.id, ZRecordTest.parse({ technique: 'FENTANYL_TEST_STRIP', outcome: 'POSITIVE' }), user, engine, now));
  await run((tx) => recordTest(tx, b.id, ZRecordTest.parse({ technique: 'COLOR_TEST', outcome: 'POSITIVE', substance: 'fentanyl', reagent: 'Marquis', observedColor: 'orange' }), user, engine, now));
  log.info('demo seizures and samples registered');
}
