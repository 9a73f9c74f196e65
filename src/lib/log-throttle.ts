import type { Logger } from './logger.ts';

/**
 * A warning that repeats while a dependency is away (every poll, every reconnect) is logged the
 * first time, then at most once per `everyMs` with the number of repeats it stands for; the first
 * success after a failure is logged once (`recovered`), and the next failure is news again.
 */
export function throttledWarn(log: Logger, everyMs = 30_000) {
  const state = new Map<string, { lastAt: number; suppressed: number }>();
  return {
    warn(key: string, obj: Record<string, unknown>, msg: string): void {
      const now = Date.now();
      const s = state.get(key);
      if (s && now - s.lastAt < everyMs) {
        s.suppressed += 1;
        return;
      }
      log.warn({ ...obj, ...(s?.suppressed ? { repeated: s.suppressed } : {}) }, msg);
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
