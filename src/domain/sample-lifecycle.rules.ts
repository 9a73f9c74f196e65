import { SAMPLE_STATUSES, type TSampleStatus } from './closed-sets.ts';

export type { TSampleStatus };

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

/** The result is released (and the lab report exists): the lab's work on the sample is done. */
export const RESULT_STATUSES: readonly TSampleStatus[] = ['RELEASED', 'ROUTED'];

/**
 * Open: the lab still owes a result. The worklist, the SLA clock, overdue flags and the backlog all
 * count these (a sample stuck in NEEDS_ATTENTION is still owed).
 */
export const OPEN_STATUSES: readonly TSampleStatus[] = SAMPLE_STATUSES.filter((s) => !RESULT_STATUSES.includes(s));

export const isOpen = (status: string) => (OPEN_STATUSES as readonly string[]).includes(status);

/** Nothing follows: routing is the end of the journey. */
export const TERMINAL_STATUSES = (Object.keys(NEXT) as TSampleStatus[]).filter((s) => !NEXT[s].length);
