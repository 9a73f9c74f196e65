import { findVisibleSample } from '../samples/access.ts';
import { ZIdParam } from '../http/params.ts';
import { defineRoute, ok } from '../http/route.ts';
import { ZRecordTest } from './tests.schemas.ts';
import { recordTest } from './tests.usecases.ts';
import { testView } from '../samples/view.ts';
import { warmCurrentLibrary } from '../spectral-libraries/search.usecases.ts';

export const analysisRoutes = [
  defineRoute({
    method: 'post', path: '/samples/:id/tests', tag: 'Analysis', summary: 'Record a test result', roles: ['TECHNICIAN'],
    params: ZIdParam, body: ZRecordTest, idempotent: true,
    handler: async ({ params, body, user, write, deps }) => {
      if (body.fileId) await warmCurrentLibrary(deps.db, deps.engine);
      return write(async (tx) => ok(await recordTest(tx, params.id, body, user, deps.engine, deps.clock.now()), 201));
    },
  }),
  defineRoute({
    method: 'get', path: '/samples/:id/classifications', tag: 'Analysis', summary: 'List every classification version', roles: 'any', params: ZIdParam,
    handler: async ({ params, user, deps }) => {
      await findVisibleSample(deps.db, user, params.id);
      const items = await deps.db.classification.findMany({ where: { sampleId: params.id }, orderBy: { version: 'asc' } });
      return ok({ items: items.map(({ id: _id, sampleId: _s, ...c }) => c), nextCursor: null });
    },
  }),
  defineRoute({
    method: 'get', path: '/samples/:id/tests', tag: 'Analysis', summary: 'List the tests of a sample', roles: 'any', params: ZIdParam,
    handler: async ({ params, user, deps }) => {
      await findVisibleSample(deps.db, user, params.id);
      const tests = await deps.db.test.findMany({ where: { sampleId: params.id }, orderBy: { recordedAt: 'asc' } });
      return ok({ items: tests.map(testView), nextCursor: null });
    },
  }),
];
