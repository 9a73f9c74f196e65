import { z } from 'zod';

/** `:id` in a route path: every record id is a UUID, so anything else is a 400, never a lookup. */
export const ZIdParam = z.strictObject({ id: z.uuid() });
