import { handleError } from './handle-error.ts';
import type { Logger } from './logger.ts';

/**
 * A warning that repeats while a dependency is away (every poll, every reconnect) is logged the
 * first time, then at most once per `everyMs` with the number of repeats it stands for; the first
 * success after a failure is logged once (`recovered`), and the next failure is news again. Each
 * warning that is logged goes through the one error policy (handleError), at warn level.
 */
export function throttledWarn(log: Logger, everyMs = 30_000) {
  const state = new Map<string, { lastAt: number; suppressed: number }>();
  return {
    warn(key: string, err: unknown, context: Record<string, unknown>, msg: string): void {
      const now = Date.now();
      const s = state.get(key);
      if (s && now - s.lastAt < everyMs) {
        s.suppressed += 1;
        return;
      }
      handleError(err, log, { ...context, ...(s?.suppressed ? { repeated: s.suppressed } : {}) }, { level: 'warn', msg });
      state.set(key, { lastAt: now, suppressed: 0 });
    },
    recovered(key: string, msg: string): void {
      const s = state.get(key);
      if (!s) return;
      state.delete(key);
      log.info({ repeated: s.suppressed }, msg);
    },
  };
}
