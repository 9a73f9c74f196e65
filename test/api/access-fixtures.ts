import { expect } from 'vitest';
import { auth, sampleBody, type Harness } from '../support/harness.ts';

/**
 * Samples in the state a route acts on, made fresh for each call of the access matrix (no call sees
 * another's writes). Registration, tests and submission go through the API as `registrar`; the
 * classification a worker would write is written directly (the matrix runs an API process only).
 */
export type TOwnership = 'owned' | 'foreign';
type TUser = { id: string; token: string; password: string };
export type TFixtureEnv = { h: Harness; registrar: TUser; reviewer: TUser; seizureId: string };
type TSample = { id: string; barcode: string };

async function registered({ h, registrar, seizureId }: TFixtureEnv): Promise<TSample> {
  const res = await h.http().post('/api/v1/samples').set(auth(registrar.token)).send(sampleBody(seizureId));
  expect(res.status).toBe(201);
  return res.body;
}

/** One test by the registrar, covered by classification version 1: ready to submit. */
async function classified(env: TFixtureEnv): Promise<TSample> {
  const s = await registered(env);
  await env.h.http().post(`/api/v1/samples/${s.id}/tests`).set(auth(env.registrar.token)).send({ technique: 'GC_MS', outcome: 'POSITIVE', substance: 'mannitol', dataRef: 'gcms/m' }).expect(201);
  await env.h.deps.db.classification.create({
    data: {
      sampleId: s.id, version: 1, testCount: 1, category: 'NO_CONTROLLED_SUBSTANCE_IDENTIFIED', level: 'NONE', components: [], thresholds: [], warnings: [],
      rationale: ['access matrix fixture'], rulesVersion: 'fixture', classifiedAt: env.h.deps.clock.now(),
    },
  });
  return s;
}

async function awaitingReview(env: TFixtureEnv): Promise<TSample> {
  const s = await classified(env);
  await env.h.http().post(`/api/v1/samples/${s.id}/submit`).set(auth(env.registrar.token)).expect(200);
  return s;
}

/** Reviewed and approved by someone who recorded no test: its lab report exists. */
async function released(env: TFixtureEnv): Promise<TSample> {
  const s = await awaitingReview(env);
  await env.h.http().post(`/api/v1/samples/${s.id}/review`).set(auth(env.reviewer.token)).send({ decision: 'APPROVE', password: env.reviewer.password }).expect(200);
  return s;
}

/** A step ran out of retries while the sample was REGISTERED. */
async function needingAttention(env: TFixtureEnv): Promise<TSample> {
  const s = await registered(env);
  await env.h.sql(`UPDATE "Sample" SET status = 'NEEDS_ATTENTION', "statusBeforeAttention" = 'REGISTERED' WHERE id = $1`, [s.id]);
  await env.h.sql(`INSERT INTO "DeadLetter" (id, "jobId", queue, "jobName", payload, error, attempts, "sampleId") VALUES (gen_random_uuid(), $2, 'intake', 'triage', $3::jsonb, 'fixture', 5, $1)`,
    [s.id, `matrix-${s.id}`, JSON.stringify({ sampleId: s.id })]);
  return s;
}

const STATE: Record<string, (env: TFixtureEnv) => Promise<TSample>> = {
  'POST /samples/:id/submit': classified,
  'POST /samples/:id/review': awaitingReview,
  'GET /samples/:id/report': released,
  'POST /samples/:id/attention': needingAttention,
};

/** A fresh sample in the state `routeKey` needs (a plain registered one for any other route). */
export const prepareSample = (env: TFixtureEnv, routeKey: string) => (STATE[routeKey] ?? registered)(env);
