import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { startRuntime, type ProcessKind, type Runtime } from '../../src/entry/runtime.ts';
import { loadConfig } from '../../src/lib/config.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { relocatedDataDir } from '../../src/lib/postgres-host.ts';
import { makeUser } from './harness.ts';

/** The embedded database's port for tests that run the zero-setup default (one at a time per file). */
export const EMBEDDED_PORT = Number(process.env.EMBEDDED_PG_PORT ?? 54330);

export type EmbeddedApp = Runtime & {
  dataDir: string;
  http: () => ReturnType<typeof request>;
  user(role: 'TECHNICIAN' | 'INVESTIGATOR' | 'MANAGER' | 'ADMIN'): Promise<{ id: string; token: string; email: string; password: string }>;
};

/** A fresh DATA_DIR inside the checkout (removed, with a relocated cluster, by `removeDataDir`). */
export const freshDataDir = (name: string) => path.resolve('.data/test', `${name}-${randomUUID().slice(0, 8)}`);

export function removeDataDir(dataDir: string): void {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(path.dirname(relocatedDataDir(path.resolve(dataDir, 'pg'))), { recursive: true, force: true });
}

/** The application as `npm start` runs it: no DATABASE_URL, its own embedded PostgreSQL under `dataDir`. */
export async function startEmbeddedApp(dataDir: string, env: Record<string, string> = {}, kind: ProcessKind = 'all'): Promise<EmbeddedApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(EMBEDDED_PORT),
    PORT: '0',
    HOST: '127.0.0.1',
    SHUTDOWN_GRACE_MS: '3000',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    QUEUE_PREFIX: `t-${randomUUID().slice(0, 8)}`,
    ...env,
  });
  const rt = await startRuntime({ kind, config, log: createLogger(config.LOG_LEVEL) });
  return {
    ...rt,
    dataDir,
    http: () => request(rt.server!),
    user: (role) => makeUser(rt.deps.db, role, `pw-${randomUUID()}`, rt.deps.clock),
  };
}
