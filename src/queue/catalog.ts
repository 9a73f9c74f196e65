import { z } from 'zod';

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
  /** Delivers one planned notification on its channels. */
  notify: { queue: 'notifications', payload: z.strictObject({ notificationId: z.uuid() }) },
} as const;

export type TJobName = keyof typeof JOBS;
export type TJobPayload<N extends TJobName> = z.infer<(typeof JOBS)[N]['payload']>;

export const QUEUE_NAMES = [...new Set(Object.values(JOBS).map((j) => j.queue))];
