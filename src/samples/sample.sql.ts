import { RESULT_STATUSES } from '../domain/sample-lifecycle.rules.ts';
import { Prisma } from '../lib/db.ts';

/**
 * "The sample is open" in SQL, from the same closed set as the code. Spelled as constants (never bind
 * parameters) and as NOT IN the released statuses, exactly as the partial index "Sample_open_idx"
 * states it, so the planner can see the index applies even to a cached generic plan.
 */
export const OPEN_SAMPLE_PREDICATE = `status NOT IN (${RESULT_STATUSES.map((s) => `'${s}'`).join(', ')})`;

export const openSampleSql = Prisma.raw(OPEN_SAMPLE_PREDICATE);
