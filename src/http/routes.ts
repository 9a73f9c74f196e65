import { analysisRoutes } from '../analysis/tests.routes.ts';
import { authRoutes } from '../auth/auth.routes.ts';
import { caseRoutes } from '../cases/cases.routes.ts';
import { intakeRoutes } from '../intake/intake.routes.ts';
import { notificationRoutes } from '../notifications/notifications.routes.ts';
import { referenceRoutes } from '../reference/reference.routes.ts';
import { toolRoutes } from '../reference/tools.routes.ts';
import { metaRoutes } from '../reference/meta.routes.ts';
import { auditRoutes } from '../audit/audit.routes.ts';
import { custodyRoutes } from '../custody/custody.routes.ts';
import { webhookRoutes } from '../webhooks/webhooks.routes.ts';
import { reportRoutes } from '../reports/reports.routes.ts';
import { documentRoutes } from '../documents/documents.routes.ts';
import { reviewRoutes } from '../review/review.routes.ts';
import { intelRoutes } from '../intelligence/intel.routes.ts';
import { operationRoutes } from '../operations/operations.routes.ts';
import { importRoutes } from '../imports/imports.routes.ts';
import { fileRoutes } from '../files/files.routes.ts';
import { spectralLibraryRoutes } from '../spectral-libraries/libraries.routes.ts';
import { attentionRoutes } from '../attention/attention.routes.ts';
import { correctionRoutes } from '../corrections/corrections.routes.ts';
import { backupRoutes } from '../backups/backups.routes.ts';
import type { RouteDef } from './route.ts';

/** The route table: every /api/v1 route and who may call it, in one list. */
export const ROUTES: RouteDef[] = [
  ...authRoutes,
  ...referenceRoutes,
  ...toolRoutes,
  ...metaRoutes,
  ...intakeRoutes,
  ...analysisRoutes,
  ...custodyRoutes,
  ...documentRoutes,
  ...fileRoutes,
  ...spectralLibraryRoutes,
  ...reviewRoutes,
  ...attentionRoutes,
  ...correctionRoutes,
  ...caseRoutes,
  ...notificationRoutes,
  ...reportRoutes,
  ...auditRoutes,
  ...webhookRoutes,
  ...intelRoutes,
  ...operationRoutes,
  ...importRoutes,
  ...backupRoutes,
];
