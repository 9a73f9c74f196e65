import { FENTANYL_CLASS, severity } from '../domain/categories.rules.ts';
import {
  ATTENTION_ACTIONS, CATEGORIES, CONVEYANCES, CUSTODY_ACTIONS, FILE_KINDS, FORMS, HITS_ORIGINS, IMPORT_STATUSES, JURISDICTIONS, LEVELS, LINK_DECISIONS,
  LINK_STATUSES, NOTIFICATION_TYPES, OBSERVABLE_KINDS, PRIORITIES, ROLES, SAMPLE_STATUSES, SEARCHABLE_TECHNIQUES, TECHNIQUE_CODES, TEST_OUTCOMES,
} from '../domain/closed-sets.ts';
import { ANALYSABLE, OPEN_STATUSES, RESULT_STATUSES } from '../domain/sample-lifecycle.rules.ts';
import { defineRoute, ok } from '../http/route.ts';
import { slaPolicy } from '../lib/config.ts';

/**
 * What clients would otherwise hard-code: every closed set of the contract, and the rules in force
 * here (SLA budgets and at-risk share, backlog age, library match threshold) read from configuration.
 * The web UI builds its forms, filters and colours from this answer.
 */
export const metaRoutes = [
  defineRoute({
    method: 'get', path: '/meta', tag: 'Reference', summary: 'Closed sets and the rules in force (SLA budgets, at-risk share)', roles: 'any',
    handler: async ({ deps }) => {
      const techniques = new Map(deps.engine.ref.techniques.techniques.map((t) => [t.code, t]));
      const sla = slaPolicy(deps.config);
      return ok({
        roles: ROLES,
        statuses: SAMPLE_STATUSES,
        openStatuses: OPEN_STATUSES,
        resultStatuses: RESULT_STATUSES,
        analysableStatuses: ANALYSABLE,
        priorities: PRIORITIES,
        forms: FORMS,
        conveyances: CONVEYANCES,
        techniques: TECHNIQUE_CODES.map((code) => ({ code, name: techniques.get(code)?.name ?? code, category: techniques.get(code)?.category ?? null })),
        outcomes: TEST_OUTCOMES,
        categories: CATEGORIES.map((code) => ({ code, severity: severity(code), fentanylClass: FENTANYL_CLASS.includes(code) })),
        levels: LEVELS,
        custodyActions: CUSTODY_ACTIONS,
        notificationTypes: NOTIFICATION_TYPES,
        attentionActions: ATTENTION_ACTIONS,
        observableKinds: OBSERVABLE_KINDS,
        linkStatuses: LINK_STATUSES,
        linkDecisions: LINK_DECISIONS,
        jurisdictions: JURISDICTIONS,
        importStatuses: IMPORT_STATUSES,
        fileKinds: FILE_KINDS,
        searchableTechniques: SEARCHABLE_TECHNIQUES,
        hitsOrigins: HITS_ORIGINS,
        sla: { budgetHours: sla.hours, atRiskFraction: sla.atRiskFraction, backlogDays: deps.config.BACKLOG_DAYS },
        matchThreshold: deps.config.MATCH_THRESHOLD,
        catalogueVersion: deps.engine.ref.substances.version,
      });
    },
  }),
];
