export const SAMPLE_STATUSES = ['REGISTERED', 'QUEUED', 'IN_ANALYSIS', 'AWAITING_REVIEW', 'RELEASED', 'ROUTED', 'NEEDS_ATTENTION'] as const;
export type TSampleStatus = (typeof SAMPLE_STATUSES)[number];

/**
 * Allowed moves of a sample. A test may be recorded as soon as the sample is stored (a technician
 * does not wait for triage), and a rejected review sends it back to analysis. Released results are
 * final: corrections are new versions, never edits.
 */
const NEXT: Record<TSampleStatus, readonly TSampleStatus[]> = {
  REGISTERED: ['QUEUED', 'IN_ANALYSIS', 'NEEDS_ATTENTION'],
  QUEUED: ['IN_ANALYSIS', 'NEEDS_ATTENTION'],
  IN_ANALYSIS: ['AWAITING_REVIEW', 'NEEDS_ATTENTION'],
  AWAITING_REVIEW: ['RELEASED', 'IN_ANALYSIS', 'NEEDS_ATTENTION'],
  RELEASED: ['ROUTED', 'NEEDS_ATTENTION'],
  ROUTED: [],
  NEEDS_ATTENTION: ['REGISTERED', 'QUEUED', 'IN_ANALYSIS', 'AWAITING_REVIEW', 'RELEASED'],
};

export function canMove(from: TSampleStatus, to: TSampleStatus): boolean {
  return NEXT[from].includes(to);
}

/** Statuses in which a technician may still add test results. */
export const ANALYSABLE: readonly TSampleStatus[] = ['REGISTERED', 'QUEUED', 'IN_ANALYSIS'];

export const OPEN_STATUSES: readonly TSampleStatus[] = ['REGISTERED', 'QUEUED', 'IN_ANALYSIS', 'AWAITING_REVIEW', 'RELEASED', 'NEEDS_ATTENTION'];
