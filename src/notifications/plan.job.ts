import type { Tx } from '../lib/db.ts';
import { notFound } from '../lib/errors.ts';
import type { TJobPayload } from '../queue/catalog.ts';
import type { JobHandler } from '../entry/deps.ts';
import { latestClassification } from '../classification/classification.repository.ts';
import type { TNotificationType } from '../domain/closed-sets.ts';
import { managerIds, planNotification, portRecipients } from './plan.ts';
import { planWebhooks, type TEventPayload } from '../webhooks/webhooks.usecases.ts';

type TEvent = TJobPayload<'plan'>;
type TContent = { recipients: string[]; title: string; body: unknown; sampleId: string | null; caseId: string | null };

const label = (category: string) => category.replaceAll('_', ' ').toLowerCase();

/**
 * The planning step: who gets what for one event. It takes the event's lock so two plans of one
 * event never race, writes the in-app rows with their delivery jobs, and one delivery per subscribed
 * webhook. Everything it writes is keyed on the event, so running it again changes nothing.
 */
export const planJob: JobHandler<'plan'> = async (event, ctx) => {
  await ctx.db.$transaction(async (tx) => {
    // Two plans of one event take turns on the event's own lock; plans of other events of the same
    // sample (a release plans two or three at once) and the sample's own changes do not wait for it.
    const key = ['plan', event.type, event.sampleId ?? '', event.caseId ?? '', event.assigneeId ?? ''].join(':');
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
    const content = await contentOf(tx, event);
    if (!content) return;
    const now = ctx.clock.now();
    for (const recipientId of content.recipients) {
      await planNotification(tx, { type: event.type, recipientId, sampleId: content.sampleId, caseId: content.caseId, title: content.title, body: content.body }, now);
    }
    await planWebhooks(tx, event.type, webhookPayload(event.type, content, now), [event.type, content.sampleId ?? '', content.caseId ?? '', event.assigneeId ?? ''].join(':'));
  });
};

function webhookPayload(type: TNotificationType, c: TContent, now: Date): TEventPayload {
  return { event: type, occurredAt: now.toISOString(), sampleId: c.sampleId, caseId: c.caseId, title: c.title, data: c.body };
}

async function contentOf(tx: Tx, e: TEvent): Promise<TContent | null> {
  const sample = e.sampleId ? await tx.sample.findUnique({ where: { id: e.sampleId }, include: { seizure: { select: { seizureNumber: true } } } }) : null;
  // Ids come from committed rows: a missing one is a broken record, and retrying cannot mend it.
  if (e.sampleId && !sample) throw notFound('Sample');
  const kase = e.caseId ? await tx.case.findUnique({ where: { id: e.caseId } }) : null;
  if (e.caseId && !kase) throw notFound('Case');
  const latest = sample ? await latestClassification(tx, sample.id) : null;
  const caseRecipients = async () => (kase?.assigneeId ? [kase.assigneeId] : await managerIds(tx));
  const caseRef = kase ? ` — case ${kase.caseNumber}` : '';

  switch (e.type) {
    case 'PRESUMPTIVE_ALERT': {
      // One alert per sample, whoever was on duty: the first plan wins.
      if (!sample || !latest || (await tx.notification.count({ where: { sampleId: sample.id, type: 'PRESUMPTIVE_ALERT' } }))) return null;
      const { ids } = await portRecipients(tx, sample.portCode);
      const presumptive = latest.level !== 'IDENTIFIED';
      return {
        recipients: ids, sampleId: sample.id, caseId: sample.caseId,
        title: `${presumptive ? 'PRESUMPTIVE' : 'Identified'} ${label(latest.category)} — port ${sample.portCode}, seizure ${sample.seizure.seizureNumber}`,
        body: {
          level: latest.level, category: latest.category, presumptive, version: latest.version, barcode: sample.barcode, portCode: sample.portCode,
          components: latest.components.map((c) => ({ substance: c.substance, level: c.level })),
          warnings: latest.warnings, hazard: latest.components.some((c) => c.hazard),
          note: presumptive ? 'Presumptive result, not yet confirmed or reviewed: do not rely on it alone for charging decisions.' : 'Identified, not yet technically reviewed.',
        },
      };
    }
    case 'CASE_ASSIGNED': {
      if (!kase || !e.assigneeId || kase.assigneeId !== e.assigneeId) return null;
      return { recipients: [e.assigneeId], sampleId: sample?.id ?? null, caseId: kase.id, title: `Case ${kase.caseNumber} assigned to you`, body: { caseNumber: kase.caseNumber, portCode: kase.portCode } };
    }
    case 'RESULT_RELEASED': {
      if (!sample || !latest || !kase) return null;
      return {
        recipients: await caseRecipients(), sampleId: sample.id, caseId: kase.id,
        title: `Result released for ${sample.barcode}: ${label(latest.category)} (${latest.level.toLowerCase()})${caseRef}`,
        body: { barcode: sample.barcode, category: latest.category, level: latest.level, version: latest.version, thresholds: latest.thresholds, warnings: latest.warnings },
      };
    }
    case 'THRESHOLD_EXCEEDED': {
      if (!sample || !latest || !kase) return null;
      const exceeded = latest.thresholds.filter((t) => t.status === 'EXCEEDS');
      if (!exceeded.length) return null;
      return {
        recipients: await caseRecipients(), sampleId: sample.id, caseId: kase.id,
        title: `${sample.barcode} exceeds ${exceeded.map((t) => t.statute).join(', ')}${caseRef}`,
        body: { barcode: sample.barcode, thresholds: exceeded },
      };
    }
    case 'SLA_AT_RISK':
    case 'SLA_BREACHED': {
      if (!sample || !sample.dueAt) return null;
      const breached = e.type === 'SLA_BREACHED';
      return {
        recipients: await managerIds(tx), sampleId: sample.id, caseId: sample.caseId,
        title: `${sample.barcode} (${sample.priority.toLowerCase()}, ${label(sample.status)}) ${breached ? 'is past its due time' : 'has used most of its turnaround budget'}: due ${sample.dueAt.toISOString()}`,
        body: { barcode: sample.barcode, priority: sample.priority, status: sample.status, dueAt: sample.dueAt, portCode: sample.portCode },
      };
    }
    // Deconfliction tells both investigators itself, from the related-seizures job (one pair, two sides).
    case 'RELATED_SEIZURE':
      return null;
  }
}
