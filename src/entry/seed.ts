import { hashPassword } from '../auth/passwords.ts';
import type { ReferenceData } from '../domain/reference-data.ts';
import { StartupError } from '../lib/config.ts';
import { isUniqueViolation, type Db } from '../lib/db.ts';
import type { Logger } from '../lib/logger.ts';

/** Ports come from the versioned data file; names are refreshed, duty rosters kept. */
export async function seedReference(db: Db, ref: ReferenceData): Promise<void> {
  // One read at every start; a write only for a port that is new or renamed in the data file.
  const stored = new Map((await db.port.findMany({ select: { code: true, name: true, state: true } })).map((p) => [p.code, p]));
  for (const p of ref.ports.ports) {
    const s = stored.get(p.code);
    if (s && s.name === p.name && s.state === p.state) continue;
    await db.port.upsert({ where: { code: p.code }, create: { code: p.code, name: p.name, state: p.state }, update: { name: p.name, state: p.state } });
  }
}

/** ADMIN_EMAIL / ADMIN_PASSWORD: how a new installation gets its first administrator. */
export async function ensureAdmin(db: Db, email: string | undefined, password: string | undefined, log: Logger): Promise<void> {
  if (!email || !password) return;
  const normalized = email.toLowerCase();
  if (await db.user.findUnique({ where: { email: normalized } })) return;
  try {
    await db.user.create({ data: { email: normalized, name: 'Administrator', role: 'ADMIN', passwordHash: await hashPassword(password) } });
  } catch (err) {
    // Several processes of a deployment start at once: another one created it first.
    if (isUniqueViolation(err)) return;
    throw err;
  }
  log.info({ email: normalized }, 'first administrator created');
}

export const DEMO_USERS = [
  { email: 'tech@fol.example', name: 'Maria Lopez (technician)', role: 'TECHNICIAN', password: 'demo-technician-1' },
  { email: 'tech2@fol.example', name: 'James Chen (technician, reviewer)', role: 'TECHNICIAN', password: 'demo-technician-2' },
  { email: 'agent@hsi.example', name: 'Dana Reyes (HSI special agent)', role: 'INVESTIGATOR', password: 'demo-investigator' },
  { email: 'manager@fol.example', name: 'Sam Patel (lab manager)', role: 'MANAGER', password: 'demo-manager-pass' },
  { email: 'admin@fol.example', name: 'Alex Kim (administrator)', role: 'ADMIN', password: 'demo-admin-password' },
] as const;

/** Demo users (and the agent on duty at Nogales and San Ysidro) for a laptop demo; never in production. */
export async function seedDemo(db: Db, log: Logger): Promise<void> {
  for (const u of DEMO_USERS) {
    if (await db.user.findUnique({ where: { email: u.email } })) continue;
    await db.user.create({ data: { email: u.email, name: u.name, role: u.role, passwordHash: await hashPassword(u.password) } });
  }
  const agent = await db.user.findUniqueOrThrow({ where: { email: 'agent@hsi.example' } });
  await db.port.updateMany({ where: { code: { in: ['2604', '2504'] }, dutyInvestigatorId: null }, data: { dutyInvestigatorId: agent.id } });
  log.info('demo users ready');
}

/**
 * Production never runs with the demo accounts usable: their passwords are published (README,
 * start-up banner), one of them is an ADMIN. A database seeded on a laptop and then put in
 * production is refused until they are disabled.
 */
export async function refuseDemoAccounts(db: Db): Promise<void> {
  const enabled = await db.user.findMany({ where: { email: { in: DEMO_USERS.map((u) => u.email) }, disabledAt: null }, select: { email: true } });
  if (enabled.length) {
    throw new StartupError(`this database has enabled demo accounts with published passwords (${enabled.map((u) => u.email).join(', ')}), refused when NODE_ENV=production: disable them (POST /api/v1/users/:id/disable as an administrator) before starting in production, or use a fresh database`);
  }
}

/** What every process of a demo start-up logs, so demo mode is never mistaken for a real lab. */
export function announceDemoMode(log: Logger, host: string): void {
  log.warn(
    { demo: true, accounts: DEMO_USERS.map((u) => `${u.email} (${u.role})`), host },
    'DEMO MODE: demo accounts with published passwords are enabled, one of them ADMIN; never use this database for real casework',
  );
}
