import { loadConfig, ConfigError } from '../lib/config.ts';
import { installProcessHandlers } from '../lib/handle-error.ts';
import { createLogger } from '../lib/logger.ts';
import { DEMO_USERS } from './seed.ts';
import { startRuntime, type ProcessKind } from './runtime.ts';

/** Runs a process of the given kind until SIGINT/SIGTERM, then drains within SHUTDOWN_GRACE_MS. */
export async function main(kind: ProcessKind): Promise<void> {
  try {
    const config = loadConfig();
    const log = createLogger(config.LOG_LEVEL, { process: kind });
    let stopping = false;
    // From here on, whatever nobody caught goes through the one error policy (logged with its stack).
    installProcessHandlers(log, { stopping: () => stopping });
    const rt = await startRuntime({ kind, config, log });
    if (rt.url) log.info({ url: rt.url, queueBackend: rt.deps.queues.kind }, `fol-triage ${kind} listening`);
    if (config.SEED_DEMO && rt.url) {
      const lines = DEMO_USERS.map((u) => `    ${u.role.padEnd(12)} ${u.email.padEnd(22)} ${u.password}`).join('\n');
      process.stdout.write(`\n  fol-triage is running at ${rt.url}\n  Demo sign-ins (role, email, password):\n${lines}\n  Ctrl-C stops everything.\n\n`);
    }
    let signals = 0;
    const onSignal = (sig: NodeJS.Signals) => {
      if (++signals > 1) process.exit(130);
      stopping = true;
      log.info({ signal: sig }, 'shutting down');
      const hard = setTimeout(() => process.exit(1), config.SHUTDOWN_GRACE_MS + 5000);
      hard.unref();
      void rt.stop().then(() => process.exit(0));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : (err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  }
}
