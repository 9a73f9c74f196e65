import type { Clock } from '../lib/clock.ts';
import type { Db } from '../lib/db.ts';
import type { EmbeddedDatabase } from '../lib/embedded-postgres.ts';
import type { Logger } from '../lib/logger.ts';
import { alertManagers } from '../notifications/ops-alerts.ts';

export type TProcessHealth = { failure: string | null };

/**
 * What the process does when its embedded database crashes: after a restart the managers are told
 * (someone should find out why — memory, disk); when no restart worked, the process reports itself
 * failed and `onFatal` lets the entry point exit so the service manager restarts the whole service.
 */
export function superviseAlerts(embedded: EmbeddedDatabase, db: Db, clock: Clock, log: Logger, health: TProcessHealth, onFatal: (err: Error) => void): void {
  embedded.hooks.onRestarted = (r) => {
    const how = r.exit.signal ? `was killed (${r.exit.signal})` : `exited with code ${r.exit.code}`;
    const alert = {
      type: 'DATABASE_RESTARTED' as const,
      title: `The embedded database ${how} and was restarted after ${(r.downMs / 1000).toFixed(1)} s; committed work is intact — check the machine's memory and disk`,
      body: { exit: r.exit, attempts: r.attempts, downMs: r.downMs, at: clock.now().toISOString() },
    };
    // The pool may still hold connections to the dead server: a failed first try is retried once.
    void alertManagers(db, alert, clock.now())
      .catch(() => new Promise((res) => setTimeout(res, 1000)).then(() => alertManagers(db, alert, clock.now())))
      .catch((err: unknown) => log.error({ err: (err as Error).message }, 'could not alert the managers about the database restart'));
  };
  embedded.hooks.onGaveUp = (err) => {
    health.failure = `embedded database down: ${err.message}`;
    onFatal(err);
  };
}
