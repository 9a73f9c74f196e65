import { z } from 'zod';
import { sendCsv, toCsv, wantsCsv } from '../http/csv.ts';
import { listPage } from '../http/cursor.ts';
import { defineRoute, ok } from '../http/route.ts';
import { ZIdParam } from '../http/params.ts';
import { notFound } from '../lib/errors.ts';
import { assertCanSeeCase } from '../samples/access.ts';
import { ZCreateOperation, ZOperationSeizuresQuery, ZRecordArrests, ZSummaryQuery, ZTagSeizure } from './operations.schemas.ts';
import { createOperation, operationSeizures, operationSummary, operationView, recordArrests, tagManually } from './operations.usecases.ts';
import { summaryPdf } from './summary.pdf.ts';

export const operationRoutes = [
  defineRoute({
    method: 'post', path: '/operations', tag: 'Operations', roles: ['MANAGER'], body: ZCreateOperation,
    summary: 'Open an operation; seizures at its ports within its dates are tagged to it (now and as they are registered)',
    handler: ({ body, user, write, deps }) => write(async (tx) => ok(await createOperation(tx, body, user, deps.clock.now()), 201)),
  }),
  defineRoute({
    method: 'get', path: '/operations', tag: 'Operations', roles: ['MANAGER', 'ADMIN'], summary: 'List operations, newest first, with their seizure counts',
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), cursor: z.string().max(100).optional() }),
    handler: async ({ query, deps }) => {
      const page = await listPage(
        query.limit, query.cursor,
        (args) => deps.db.operation.findMany({ orderBy: [{ startsOn: 'desc' }, { id: 'desc' }], include: { _count: { select: { seizures: true } } }, ...args }),
        async (id) => !!(await deps.db.operation.findUnique({ where: { id }, select: { id: true } })),
      );
      return ok({ items: page.items.map((o) => operationView(o, o._count.seizures)), nextCursor: page.nextCursor });
    },
  }),
  defineRoute({
    method: 'get', path: '/operations/:id', tag: 'Operations', roles: ['MANAGER', 'ADMIN'], params: ZIdParam, summary: 'Read an operation',
    handler: async ({ params, deps }) => {
      const o = await deps.db.operation.findUnique({ where: { id: params.id }, include: { _count: { select: { seizures: true } } } });
      if (!o) throw notFound('Operation');
      return ok(operationView(o, o._count.seizures));
    },
  }),
  defineRoute({
    method: 'post', path: '/operations/:id/seizures', tag: 'Operations', roles: ['TECHNICIAN', 'MANAGER'], params: ZIdParam, body: ZTagSeizure,
    summary: 'Tag a seizure (by id or by number) to an operation by hand (audited; tagging twice changes nothing)',
    handler: ({ params, body, user, write, deps }) => write(async (tx) => ok(await tagManually(tx, params.id, body, user, deps.clock.now()))),
  }),
  defineRoute({
    method: 'get', path: '/operations/:id/seizures', tag: 'Operations', roles: ['MANAGER', 'ADMIN'], params: ZIdParam, query: ZOperationSeizuresQuery,
    summary: 'The seizures tagged to an operation, newest first, with how each was tagged (RULE, REGISTRATION, MANUAL) and the total',
    handler: async ({ params, query, deps }) => ok(await operationSeizures(deps.db, params.id, query.limit)),
  }),
  defineRoute({
    method: 'get', path: '/operations/:id/summary', tag: 'Operations', roles: ['MANAGER', 'ADMIN'], params: ZIdParam, query: ZSummaryQuery,
    produces: ['application/json', 'text/csv', 'application/pdf'],
    summary: 'The tally as of a date: seizures, arrests by jurisdiction, net weight by category in kg and lb, pending analysis, ports, the press sentence (CSV, one-page PDF)',
    handler: async ({ params, query, req, res, deps }) => {
      const asOf = query.asOf ? new Date(query.asOf.length === 10 ? `${query.asOf}T23:59:59.999Z` : query.asOf) : deps.clock.now();
      const s = await operationSummary(deps.db, params.id, asOf);
      const name = `operation-${s.operation.name.replace(/[^A-Za-z0-9]+/g, '-')}-${asOf.toISOString().slice(0, 10)}`;
      if (query.format === 'pdf') {
        res.status(200).setHeader('Content-Type', 'application/pdf').setHeader('Content-Disposition', `inline; filename="${name}.pdf"`).setHeader('Cache-Control', 'private, no-store')
          .end(await summaryPdf(s, deps.config.LAB_NAME));
        return undefined;
      }
      if (!wantsCsv(req, query.format)) return ok(s);
      const w = (k: string, l: { exhibits: number; netWeightKg: number; netWeightLb: number }, kind: string) => [kind, k, l.exhibits, l.netWeightKg, l.netWeightLb];
      return sendCsv(res, `${name}.csv`, toCsv(['kind', 'key', 'count', 'netWeightKg', 'netWeightLb'], [
        ['seizures', '', s.seizures, '', ''],
        ...s.arrests.byJurisdiction.map((a) => ['arrests', a.jurisdiction, a.count, '', '']),
        ...s.byCategory.map((c) => w(c.category, c, 'category')),
        ...s.bySubstance.map((c) => w(c.substance, c, 'substance')),
        w('PENDING_ANALYSIS', s.pendingAnalysis, 'pending'),
        ...s.ports.map((p) => ['port', p.portCode, p.seizures, '', '']),
        ['sentence', s.sentence, '', '', ''],
      ]));
    },
  }),
  defineRoute({
    method: 'post', path: '/cases/:id/arrests', tag: 'Cases', roles: ['INVESTIGATOR', 'MANAGER'], params: ZIdParam, body: ZRecordArrests,
    summary: 'Record arrests on a case (jurisdiction, count, when); audited',
    handler: ({ params, body, user, write, deps }) => write(async (tx) => ok(await recordArrests(tx, params.id, body, user, deps.clock.now()), 201)),
  }),
  defineRoute({
    method: 'get', path: '/cases/:id/arrests', tag: 'Cases', roles: ['INVESTIGATOR', 'MANAGER', 'ADMIN'], params: ZIdParam, summary: 'List the arrests recorded on a case',
    handler: async ({ params, user, deps }) => {
      const kase = await deps.db.case.findUnique({ where: { id: params.id } });
      assertCanSeeCase(user, kase);
      const rows = await deps.db.arrest.findMany({ where: { caseId: kase.id }, orderBy: { at: 'asc' } });
      return ok({ items: rows.map((a) => ({ id: a.id, jurisdiction: a.jurisdiction, count: a.count, at: a.at, note: a.note, recordedAt: a.recordedAt })), nextCursor: null });
    },
  }),
];
