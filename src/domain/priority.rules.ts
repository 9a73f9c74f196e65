export type TPriority = 'ROUTINE' | 'PRIORITY' | 'URGENT';

export const PRIORITY_RANK: Record<TPriority, number> = { URGENT: 0, PRIORITY: 1, ROUTINE: 2 };

/** Turnaround budget per priority (hours); a lab may change it in configuration. */
export const DEFAULT_SLA_HOURS: Record<TPriority, number> = { URGENT: 2, PRIORITY: 8, ROUTINE: 48 };

/** A subject still in custody or a controlled delivery pending cannot wait: the sample is URGENT. */
export function derivePriority(
  requested: TPriority | undefined,
  seizure: { subjectInCustody: boolean; controlledDeliveryPending: boolean },
): TPriority {
  if (requested) return requested;
  return seizure.subjectInCustody || seizure.controlledDeliveryPending ? 'URGENT' : 'ROUTINE';
}

export function dueAt(registeredAt: Date, priority: TPriority, slaHours = DEFAULT_SLA_HOURS): Date {
  return new Date(registeredAt.getTime() + slaHours[priority] * 3_600_000);
}

export type TSlaState = 'ON_TRACK' | 'AT_RISK' | 'BREACHED';

/** AT_RISK once `atRiskFraction` of the budget (registration → due) is used; BREACHED past the due date. */
export function slaState(now: Date, registeredAt: Date, due: Date, atRiskFraction: number): TSlaState {
  const t = now.getTime();
  if (t > due.getTime()) return 'BREACHED';
  const budget = due.getTime() - registeredAt.getTime();
  return t >= registeredAt.getTime() + budget * atRiskFraction ? 'AT_RISK' : 'ON_TRACK';
}

/** The moment a sample becomes at risk. */
export const atRiskAt = (registeredAt: Date, due: Date, atRiskFraction: number) =>
  new Date(registeredAt.getTime() + (due.getTime() - registeredAt.getTime()) * atRiskFraction);
