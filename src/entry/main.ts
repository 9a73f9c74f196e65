import { ConfigError, loadConfig, StartupError } from '../lib/config.ts';
import { installProcessHandlers } from '../lib/handle-error.ts';
import { createLogger } from '../lib/logger.ts';
import { DEMO_USERS } from './seed.ts';
import { startRuntime, type ProcessKind } from './runtime.ts';

/** Runs a process of the given kind until SIGINT/SIGTERM, then drains within SHUTDOWN_GRACE_MS. */
export async function main(kind: ProcessKind): Promise<void> {
  try {
    const config = loadConfig();
    const log = createLogger(config.LOG_LEVEL, { process: kind }, undefined, config.LOG_FORMAT);
    let stopping = false;
    // From here on, whatever nobody caught goes through the one error policy (logged with its stack);
    // during shutdown the embedded PostgreSQL (same process group) may drop connections first.
    installProcessHandlers(log, { stopping: () => stopping });
    const rt = await startRuntime({ kind, config, log });
    if (rt.url) log.info({ url: rt.url, queueBackend: rt.deps.queues.kind }, `fol-triage ${kind} listening`);
    if (config.SEED_DEMO && rt.url) process.stdout.write(demoBanner(rt.url, config.HOST));
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
    // The process cannot recover by itself (its embedded database is gone): /healthz already says so;
    // exit non-zero so the service manager (systemd, the container runtime) starts it afresh.
    void rt.fatal.then((err) => {
      if (stopping) return;
      stopping = true;
      log.fatal({ err: err.message }, 'cannot continue; exiting');
      const hard = setTimeout(() => process.exit(1), config.SHUTDOWN_GRACE_MS + 5000);
      hard.unref();
      void rt.stop().finally(() => process.exit(1));
    });
  } catch (err) {
    // A failure the operator can fix is one sentence; anything else is a defect and keeps its stack.
    const text = err instanceof ConfigError ? err.message : err instanceof StartupError ? `fol-triage could not start: ${err.message}.` : ((err as Error).stack ?? String(err));
    process.stderr.write(`${text}\n`);
    process.exit(1);
  }
}

/** The console's side of demo mode: impossible to miss, and it says what the mode is not for. */
function demoBanner(url: string, host: string): string {
  const rule = '  ' + '='.repeat(72);
  const accounts = DEMO_USERS.map((u) => `    ${u.role.padEnd(12)} ${u.email.padEnd(22)} ${u.password}`);
  const reach = host === '127.0.0.1' ? 'Only this machine can reach it; HOST=0.0.0.0 opens it to the network.' : `Listening on ${host}: other machines can reach it.`;
  return [
    '',
    rule,
    '  DEMO MODE: demo data and demo accounts with published passwords, one of them ADMIN.',
    '  Never record real casework here. Production (NODE_ENV=production) refuses demo data.',
    rule,
    `  fol-triage is running at ${url}`,
    `  ${reach}`,
    '  Demo sign-ins (role, email, password):',
    ...accounts,
    '  Ctrl-C stops everything.',
    rule,
    '',
    '',
  ].join('\n');
}
