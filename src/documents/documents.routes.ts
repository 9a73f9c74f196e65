import type { Response } from 'express';
import { ZIdParam } from '../http/params.ts';
import { defineRoute } from '../http/route.ts';
import { findVisibleSample } from '../samples/access.ts';
import { labelOf, reportOf } from './documents.usecases.ts';
import { labelPdf } from './label.ts';
import { reportPdf } from './report.ts';

function sendPdf(res: Response, filename: string, pdf: Buffer, inline = true): undefined {
  res.status(200)
    .setHeader('Content-Type', 'application/pdf')
    .setHeader('Content-Disposition', `${inline ? 'inline' : 'attachment'}; filename="${filename}"`)
    .setHeader('Cache-Control', 'private, no-store')
    .end(pdf);
  return undefined;
}

export const documentRoutes = [
  defineRoute({
    method: 'get', path: '/samples/:id/label', tag: 'Documents', roles: ['TECHNICIAN', 'MANAGER', 'ADMIN'], params: ZIdParam, produces: ['application/pdf'],
    summary: 'Sample label (PDF, 4 × 2 in, Code 128) with a hazard mark when fentanyl is suspected',
    handler: async ({ params, user, res, deps }) => {
      await findVisibleSample(deps.db, user, params.id);
      const label = await labelOf(deps.db, params.id);
      return sendPdf(res, `label-${label.barcode}.pdf`, await labelPdf(label));
    },
  }),
  defineRoute({
    method: 'get', path: '/samples/:id/report', tag: 'Documents', roles: 'any', params: ZIdParam, produces: ['application/pdf'],
    summary: 'Laboratory report (PDF) of a released sample; 409 before release',
    handler: async ({ params, user, res, deps }) => {
      const visible = await findVisibleSample(deps.db, user, params.id);
      const report = await reportOf(deps, params.id, visible.status);
      return sendPdf(res, `report-${report.item.barcode}.pdf`, await reportPdf(report));
    },
  }),
];
