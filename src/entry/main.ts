import { ConfigError, StartupError } from '../lib/config.ts';
import { DEMO_USERS } from '../lib/seed.ts';
import { startRuntime, type ProcessKind } from './runtime.ts';

/** Runs a process of the given kind until SIGINT/SIGTERM, then drains within SHUTDOWN_GRACE_MS. */
export async function main(kind: ProcessKind): Promise<void> {
  try {
    const rt = await startRuntime({ kind });
    const { config, log } = rt.deps;
    if (rt.url) log.info({ url: rt.url, queueBackend: rt.deps.queues?.kind }, `fol-triage ${kind} listening`);
    if (config.SEED_DEMO && rt.url) {
      const lines = DEMO_USERS.map((u) => `    ${u.role.padEnd(12)} ${u.email.padEnd(22)} ${u.password}`).join('\n');
      process.stdout.write(`\n  fol-triage is running at ${rt.url}\n  Demo sign-ins (role, email, password):\n${lines}\n  Ctrl-C stops everything.\n\n`);
    }
    let stopping = false;
    // During shutdown the embedded PostgreSQL (same process group) may drop connections first.
    process.on('uncaughtException', (err) => {
      if (stopping) return;
      log.fatal({ err }, 'uncaught exception; exiting');
      process.exit(1);
    });
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
    // A failure the operator can fix is one sentence; anything else is a defect and keeps its stack.
    const text = err instanceof ConfigError ? err.message : err instanceof StartupError ? `fol-triage could not start: ${err.message}.` : ((err as Error).stack ?? String(err));
    process.stderr.write(`${text}\n`);
    process.exit(1);
  }
}
