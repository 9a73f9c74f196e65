import { createHash } from 'node:crypto';
import { z } from 'zod';
import { labelsPdf } from '../documents/label.ts';
import { isFentanylClass } from '../domain/categories.rules.ts';
import { defineRoute, ok } from '../http/route.ts';
import { ZIdParam } from '../http/params.ts';
import { slaPolicy } from '../lib/config.ts';
import { conflict, notFound } from '../lib/errors.ts';
import { appendAudit } from '../audit/audit.ts';
import { enqueue } from '../queue/outbox.ts';
import { executeImport } from './execute.ts';
import { readSheet } from './parse.ts';
import { planImport } from './plan.ts';

const importView = (i: { id: string; filename: string; format: string; status: string; rowCount: number; createdCount: number; seizureIds: string[]; sampleIds: string[]; error: string | null; createdAt: Date; finishedAt: Date | null }) => ({
  id: i.id, filename: i.filename, format: i.format, status: i.status, rows: i.rowCount, created: i.createdCount,
  seizures: i.seizureIds.length, samples: i.sampleIds.length, error: i.error, createdAt: i.createdAt, finishedAt: i.finishedAt,
});

export const importRoutes = [
  defineRoute({
    method: 'post', path: '/imports', tag: 'Imports', roles: ['TECHNICIAN'], produces: ['application/json'],
    query: z.strictObject({ dryRun: z.enum(['true', 'false']).optional() }),
    summary: 'Import a manifest (multipart field "file", CSV or XLSX, one row per exhibit): every bad cell as {row, column, message}, nothing created when any; ?dryRun=true checks only; the same file twice creates nothing',
    upload: { fields: z.strictObject({}), file: 'the manifest: CSV or XLSX (at most IMPORT_MAX_BYTES)', maxBytes: (c) => c.IMPORT_MAX_BYTES },
    handler: async ({ query, res, user, write, deps, upload }) => {
      const { filename, bytes } = await upload();
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const earlier = await deps.db.manifestImport.findUnique({ where: { sha256 } });
      if (earlier) return ok({ ...importView(earlier), created: 0, errors: [], duplicateOf: earlier.id });
      const sheet = await readSheet(bytes, filename);
      const now = deps.clock.now();
      const plan = await planImport(deps.db, sheet, now);
      const would = { seizures: plan.seizures.filter((s) => !s.existingId).length, exhibits: plan.seizures.reduce((n, s) => n + s.exhibits.length, 0), samples: plan.seizures.reduce((n, s) => n + s.exhibits.filter((e) => e.sample).length, 0) };
      if (query.dryRun === 'true') return ok({ dryRun: true, rows: plan.rows, created: 0, skipped: plan.skipped, wouldCreate: would, errors: plan.errors });
      if (plan.errors.length) {
        res.status(400).json({ error: { code: 'VALIDATION_FAILED', message: `${plan.errors.length} bad cell(s): nothing was imported`, details: plan.errors }, rows: plan.rows, created: 0, errors: plan.errors });
        return undefined;
      }
      const base = { sha256, filename: filename.slice(0, 200), format: sheet.format, rowCount: plan.rows, createdById: user.id, createdAt: now };
      if (plan.rows > deps.config.IMPORT_SYNC_ROWS) {
        return write(async (tx) => {
          const imp = await tx.manifestImport.create({ data: { ...base, status: 'QUEUED', rows: plan.seizures } });
          await appendAudit(tx, { actor: { id: user.id, role: user.role }, action: 'import.queue', entityType: 'ManifestImport', entityId: imp.id, after: { filename: imp.filename, sha256, rows: plan.rows } }, now);
          await enqueue(tx, 'importManifest', { importId: imp.id });
          return ok({ ...importView(imp), skipped: plan.skipped, wouldCreate: would, errors: [] }, 202);
        });
      }
      return write(async (tx) => {
        if (await tx.manifestImport.findUnique({ where: { sha256 } })) throw conflict('This file is being imported by another request');
        const r = await executeImport(tx, plan.seizures, user, now, slaPolicy(deps.config));
        const imp = await tx.manifestImport.create({ data: { ...base, status: 'COMPLETED', createdCount: r.exhibits, seizureIds: r.seizureIds, sampleIds: r.sampleIds, finishedAt: now } });
        await appendAudit(tx, { actor: { id: user.id, role: user.role }, action: 'import.complete', entityType: 'ManifestImport', entityId: imp.id, after: { filename: imp.filename, sha256, rows: plan.rows, exhibits: r.exhibits, seizures: r.seizureIds.length, samples: r.sampleIds.length } }, now);
        return ok({ ...importView(imp), skipped: plan.skipped, errors: [] }, 201);
      });
    },
  }),
  defineRoute({
    method: 'get', path: '/imports/:id', tag: 'Imports', roles: ['TECHNICIAN', 'MANAGER', 'ADMIN'], params: ZIdParam, summary: 'An import\'s status and what it created',
    handler: async ({ params, deps }) => {
      const imp = await deps.db.manifestImport.findUnique({ where: { id: params.id } });
      if (!imp) throw notFound('Import');
      return ok({ ...importView(imp), seizureIds: imp.seizureIds, sampleIds: imp.sampleIds });
    },
  }),
  defineRoute({
    method: 'get', path: '/imports/:id/labels', tag: 'Imports', roles: ['TECHNICIAN', 'MANAGER', 'ADMIN'], params: ZIdParam, produces: ['application/pdf'],
    summary: 'Every label of the samples an import created, one 4 × 2 in page each, as one printable PDF (409 while it runs)',
    handler: async ({ params, res, deps }) => {
      const imp = await deps.db.manifestImport.findUnique({ where: { id: params.id } });
      if (!imp) throw notFound('Import');
      if (imp.status !== 'COMPLETED') throw conflict(`The import is ${imp.status.toLowerCase()}: labels exist once it completes`);
      if (!imp.sampleIds.length) throw conflict('The import created no samples');
      const samples = await deps.db.sample.findMany({ where: { id: { in: imp.sampleIds } }, include: { seizure: { select: { seizureNumber: true } } }, orderBy: [{ registeredAt: 'asc' }, { barcode: 'asc' }] });
      const ports = new Map((await deps.db.port.findMany()).map((p) => [p.code, p.name]));
      const strips = new Set((await deps.db.test.findMany({ where: { sampleId: { in: imp.sampleIds }, technique: 'FENTANYL_TEST_STRIP', outcome: 'POSITIVE' }, select: { sampleId: true } })).map((t) => t.sampleId));
      const pdf = await labelsPdf(samples.map((s) => ({
        barcode: s.barcode, seizureNumber: s.seizure.seizureNumber, itemNumber: s.itemNumber, portCode: s.portCode, portName: ports.get(s.portCode) ?? '',
        registeredAt: s.registeredAt, form: s.form, priority: s.priority, hazard: isFentanylClass(s.category) || strips.has(s.id),
      })), `Labels of import ${imp.filename}`);
      res.status(200).setHeader('Content-Type', 'application/pdf').setHeader('Content-Disposition', `inline; filename="labels-${imp.id}.pdf"`).setHeader('Cache-Control', 'private, no-store').end(pdf);
      return undefined;
    },
  }),
];
