import { isOpen } from './sample-lifecycle.rules.ts';
import type { TPriority } from './closed-sets.ts';

export type { TPriority };

/** Turnaround budget per priority (hours); configured (SLA_*_HOURS), never hard-coded. */
export type TSlaHours = Record<TPriority, number>;

/** The SLA in force (lib/config.ts slaPolicy): budgets and the at-risk share. */
export type TSlaPolicy = { hours: TSlaHours; atRiskFraction: number };

/** A subject still in custody or a controlled delivery pending cannot wait: the sample is URGENT. */
export function derivePriority(
  requested: TPriority | undefined,
  seizure: { subjectInCustody: boolean; controlledDeliveryPending: boolean },
): TPriority {
  if (requested) return requested;
  return seizure.subjectInCustody || seizure.controlledDeliveryPending ? 'URGENT' : 'ROUTINE';
}

export function dueAt(registeredAt: Date, priority: TPriority, slaHours: TSlaHours): Date {
  return new Date(registeredAt.getTime() + slaHours[priority] * 3_600_000);
}

export type TSlaState = 'ON_TRACK' | 'AT_RISK' | 'BREACHED';

/** The moment a sample becomes at risk: `atRiskFraction` of its budget (registration → due) used. */
export const atRiskAt = (registeredAt: Date, due: Date, atRiskFraction: number) =>
  new Date(registeredAt.getTime() + (due.getTime() - registeredAt.getTime()) * atRiskFraction);

/**
 * The SLA rule: AT_RISK from `atRiskAt`, BREACHED past the due date. The SLA job applies the same
 * rule in SQL to find samples to flag; lists and the sample view show this state.
 */
export function slaState(now: Date, registeredAt: Date, due: Date, atRiskFraction: number): TSlaState {
  if (now.getTime() > due.getTime()) return 'BREACHED';
  return now.getTime() >= atRiskAt(registeredAt, due, atRiskFraction).getTime() ? 'AT_RISK' : 'ON_TRACK';
}

/** A sample's SLA state, or null once the lab no longer owes a result (or it has no due date). */
export function sampleSla(s: { status: string; registeredAt: Date; dueAt: Date | null }, now: Date, atRiskFraction: number): TSlaState | null {
  return s.dueAt && isOpen(s.status) ? slaState(now, s.registeredAt, s.dueAt, atRiskFraction) : null;
}
