import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { AuthUser } from '../auth/sessions.ts';
import type { TRole } from '../domain/closed-sets.ts';
import type { Tx } from '../lib/db.ts';
import type { Logger } from '../lib/logger.ts';
import type { AppDeps } from '../entry/deps.ts';
import type { TConfig } from '../lib/config.ts';
import type { TUpload } from './multipart.ts';

export type { TRole };
export type TMethod = 'get' | 'post' | 'put' | 'delete';

/** A JSON answer; handlers that stream (PDF, SSE) write to `res` themselves and return undefined. */
export type Reply = { status: number; body?: unknown; headers?: Record<string, string> };

export type RouteContext<P, Q, B, U = Record<string, never>> = {
  deps: AppDeps;
  user: AuthUser;
  params: P;
  query: Q;
  body: B;
  req: Request;
  res: Response;
  log: Logger;
  /**
   * Runs a write in one database transaction. On routes that honour Idempotency-Key, a repeat with
   * the same key and body returns the first reply without running `fn` again.
   */
  write(fn: (tx: Tx) => Promise<Reply>): Promise<Reply>;
  /**
   * Reads the multipart/form-data body the route declares (`upload`): the file and the declared
   * fields, checked like any request value. Read once, when the handler wants it.
   */
  upload(): Promise<TUpload<U>>;
};

type ZObj = z.ZodType<Record<string, unknown>>;

/**
 * A multipart/form-data body: one part named `file` and the text fields of `fields` (a zod object of
 * strings). Declared in the table like a JSON body, so the OpenAPI document, the hostile-input suite
 * and the reader all work from the same declaration.
 */
export type TUploadDef<U extends ZObj = ZObj> = {
  fields: U;
  /** What the file is, for the API's readers. */
  file: string;
  /** The largest file accepted (413 above it). */
  maxBytes(config: TConfig): number;
};

/**
 * One row of the route table: the single place that says who may call what. `roles: 'public'` needs
 * no session; `'any'` needs one; a list names the roles allowed (others get 403). Object-level access
 * (a record the caller may not see answers 404) is the use case's job.
 */
export type RouteDef<P extends ZObj = ZObj, Q extends ZObj = ZObj, B extends ZObj = ZObj, U extends ZObj = ZObj> = {
  method: TMethod;
  path: string;
  summary: string;
  tag: string;
  roles: 'public' | 'any' | readonly TRole[];
  params?: P;
  query?: Q;
  body?: B;
  /** A multipart upload (with `body` too, the route takes either: JSON or multipart). */
  upload?: TUploadDef<U>;
  response?: z.ZodType;
  /** Honours the Idempotency-Key header (contract: POST /seizures, /samples, /samples/:id/tests). */
  idempotent?: boolean;
  produces?: string[];
  handler: (ctx: RouteContext<z.infer<P>, z.infer<Q>, z.infer<B>, z.infer<U>>) => Promise<Reply | undefined>;
};

/** Keeps each route's handler typed by its own schemas while the table holds them all. */
export function defineRoute<P extends ZObj = ZObj, Q extends ZObj = ZObj, B extends ZObj = ZObj, U extends ZObj = ZObj>(def: RouteDef<P, Q, B, U>): RouteDef {
  return def as unknown as RouteDef;
}

export const ok = (body: unknown, status = 200): Reply => ({ status, body });
