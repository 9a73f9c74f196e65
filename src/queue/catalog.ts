import { z } from 'zod';
import { NOTIFICATION_TYPES } from '../domain/closed-sets.ts';

/**
 * The one catalogue of jobs: which queue carries each, and its payload contract. Payloads carry ids
 * only (Redis keeps job data in clear text); the database holds everything else. A process that
 * starts workers refuses to start when a job here has no handler.
 */
const ZSampleRef = z.strictObject({ sampleId: z.uuid() });

export const JOBS = {
  /** REGISTERED → QUEUED: priority and due date set, the sample joins the bench worklist. */
  triage: { queue: 'intake', payload: ZSampleRef },
  /** Recomputes the classification from every recorded test; stores a new version when they changed. */
  classify: { queue: 'analysis', payload: ZSampleRef },
  /** RELEASED → ROUTED: joins or opens the HSI case and plans the notifications. */
  route: { queue: 'routing', payload: ZSampleRef },
  /** Plans an event's notifications: who gets what (in-app rows) and which webhooks hear of it. */
  plan: {
    queue: 'notifications',
    payload: z.strictObject({
      type: z.enum(NOTIFICATION_TYPES),
      sampleId: z.uuid().optional(),
      caseId: z.uuid().optional(),
      /** CASE_ASSIGNED: the investigator assigned. */
      assigneeId: z.uuid().optional(),
    }),
  },
  /** Delivers one planned notification: marks it delivered and pushes it to live streams. */
  notify: { queue: 'notifications', payload: z.strictObject({ notificationId: z.uuid() }) },
  /** POSTs one webhook delivery; retried with exponential backoff, dead after the last attempt. */
  webhook: { queue: 'webhooks', payload: z.strictObject({ deliveryId: z.uuid() }) },
  /** Rescores a seizure's related seizures and tells both investigators of a cross-case link (deconfliction). */
  relate: { queue: 'intelligence', payload: z.strictObject({ seizureId: z.uuid() }) },
  /** Creates the seizures, exhibits and samples of a checked manifest, all or nothing (may run for minutes). */
  importManifest: { queue: 'intake', payload: z.strictObject({ importId: z.uuid() }), timeoutMs: 10 * 60_000 },
  /** Flags samples at risk of missing (80 % of budget) or past their due date; run by a job scheduler. */
  sla: { queue: 'sla', payload: z.strictObject({}) },
  /** Signs the audit log's current tree head as a checkpoint (issue 14); run every minute by a job scheduler. */
  checkpoint: { queue: 'audit', payload: z.strictObject({}) },
  /** Backs up the embedded database and proves the copy by restoring it; run every BACKUP_EVERY_HOURS by a job scheduler. */
  backup: { queue: 'maintenance', payload: z.strictObject({}), timeoutMs: 6 * 3600_000 },
  /** Brings the turnaround rollup up to date (src/reports/turnaround-rollup.ts); run every REPORT_ROLLUP_MS by a job scheduler. */
  rollup: { queue: 'maintenance', payload: z.strictObject({}), timeoutMs: 10 * 60_000 },
} as const;

export type TJobName = keyof typeof JOBS;
export type TJobPayload<N extends TJobName> = z.infer<(typeof JOBS)[N]['payload']>;

export const QUEUE_NAMES = [...new Set(Object.values(JOBS).map((j) => j.queue))];
