import { z } from 'zod';
import { MAX_POPULATION, samplingPlan } from '../domain/sampling.rules.ts';
import { defineRoute, ok } from '../http/route.ts';

/** A fraction in (0, 1); "95" is read as 95 %, as people type it. */
const fraction = (dflt: number) =>
  z.coerce.number().gt(0).lt(100).default(dflt)
    .refine((x) => x !== 1, 'must be a fraction below 1 (0.95) or a percentage (95); 100 % cannot be reached by sampling')
    .transform((x) => (x > 1 ? x / 100 : x));

export const toolRoutes = [
  defineRoute({
    method: 'get', path: '/tools/sampling-plan', tag: 'Tools', roles: 'any',
    summary: 'Hypergeometric sampling plan (SWGDRUG SD-5): how many units to test, and the report statement',
    query: z.strictObject({
      population: z.coerce.number().int().min(1).max(MAX_POPULATION),
      confidence: fraction(0.95),
      proportion: fraction(0.9),
      allowedNegatives: z.coerce.number().int().min(0).max(50).default(0),
    }),
    handler: async ({ query }) => ok(samplingPlan(query)),
  }),
];
