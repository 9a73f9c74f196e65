import type { Logger } from './logger.ts';
import type { PgServer, TPgExit } from './postgres-process.ts';

/** What a restart looked like: how long the database was away and what ended it. */
export type TRestart = { exit: TPgExit; attempts: number; downMs: number; pid: number };

export type TSupervisorHooks = {
  /** The server is back after a crash (crash recovery done, accepting connections). */
  onRestarted?(r: TRestart): void;
  /** Every attempt failed: the database is gone until someone looks. */
  onGaveUp?(err: Error, exit: TPgExit): void;
};

export type TSupervisorPolicy = {
  /** Wait before each restart attempt; one attempt per entry. */
  backoffMs: number[];
  /** More crashes than this within `windowMs` is a crash loop: give up rather than hide it. */
  maxCrashes: number;
  windowMs: number;
};

/**
 * About 16 s of attempts: a postmaster killed with SIGKILL leaves its backends running for a moment
 * (they notice the death at their next wait), and a new postmaster refuses the data folder until they
 * are gone, so the first attempts may fail.
 */
export const DEFAULT_SUPERVISOR_POLICY: TSupervisorPolicy = { backoffMs: [200, 500, 1000, 2000, 4000, 8000], maxCrashes: 5, windowMs: 10 * 60_000 };

export type Supervised = { readonly pid: number; stop(): Promise<void> };

/**
 * Keeps an embedded PostgreSQL running: when it exits without being asked to (the kernel's
 * out-of-memory killer, a crash), it is started again — PostgreSQL replays its WAL on start, so what
 * was committed survives — with backoff between attempts.
 */
export function supervise(first: PgServer, start: () => Promise<PgServer>, log: Logger, hooks: TSupervisorHooks = {}, policy = DEFAULT_SUPERVISOR_POLICY): Supervised {
  let current = first;
  let stopped = false;
  let restarting: Promise<void> | undefined;
  const crashes: number[] = [];

  const watch = (server: PgServer) => {
    void server.exited.then((exit) => {
      if (stopped || server !== current || exit.code === 0) return;
      restarting = restart(exit).finally(() => (restarting = undefined));
    });
  };

  const restart = async (exit: TPgExit) => {
    const down = Date.now();
    crashes.push(down);
    while (crashes.length && crashes[0]! < down - policy.windowMs) crashes.shift();
    if (crashes.length > policy.maxCrashes) {
      const err = new Error(`PostgreSQL crashed ${crashes.length} times within ${Math.round(policy.windowMs / 60_000)} minutes`);
      log.fatal({ exit }, `embedded PostgreSQL is crash-looping; not restarting it: ${err.message}`);
      hooks.onGaveUp?.(err, exit);
      return;
    }
    let lastErr = new Error('no attempt made');
    for (const [i, wait] of policy.backoffMs.entries()) {
      await new Promise((r) => setTimeout(r, wait));
      if (stopped) return;
      try {
        current = await start();
        watch(current);
        const r = { exit, attempts: i + 1, downMs: Date.now() - down, pid: current.pid };
        log.warn(r, 'embedded PostgreSQL restarted after it exited unexpectedly');
        hooks.onRestarted?.(r);
        return;
      } catch (err) {
        lastErr = err as Error;
        log.warn({ attempt: i + 1, err: lastErr.message }, 'embedded PostgreSQL restart attempt failed');
      }
    }
    log.fatal({ exit, err: lastErr.message }, 'embedded PostgreSQL could not be restarted');
    hooks.onGaveUp?.(lastErr, exit);
  };

  watch(first);
  return {
    get pid() {
      return current.pid;
    },
    async stop() {
      stopped = true;
      await restarting;
      await current.stop();
    },
  };
}
