import path from 'node:path';
import type { TConfig } from '../lib/config.ts';

export type TAuditPaths = { keyFile: string; publicKeyFile: string; checkpointFile: string; origin: string };

/** Where the ledger keeps what lives outside the database, with defaults under DATA_DIR. */
export function auditPaths(config: TConfig): TAuditPaths {
  const keyFile = path.resolve(config.AUDIT_KEY_FILE ?? path.join(config.DATA_DIR, 'audit', 'checkpoint-key.pem'));
  const slug = config.LAB_NAME.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'lab';
  return {
    keyFile,
    publicKeyFile: path.resolve(config.AUDIT_PUBLIC_KEY_FILE ?? `${keyFile}.pub`),
    checkpointFile: path.resolve(config.AUDIT_CHECKPOINT_FILE ?? path.join(config.DATA_DIR, 'audit', 'checkpoints.jsonl')),
    origin: config.AUDIT_ORIGIN ?? `fol-triage/${slug}`,
  };
}
