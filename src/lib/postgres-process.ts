/**
 * Runs initdb and the PostgreSQL server as child processes. Every way they can fail — not
 * executable, exiting early, never ready — becomes a StartupError saying what to do; none is left
 * as an unhandled `error` event.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StartupError } from './config.ts';
import type { Logger } from './logger.ts';
import type { PgAccount, PgBinaries } from './postgres-host.ts';

export type PgProcessOptions = {
  binaries: PgBinaries;
  account: PgAccount | undefined;
  dataDir: string;
  log: Logger;
};

/** Messages are parsed (readiness, failure reasons): keep them untranslated. */
const ENV = { ...process.env, LC_MESSAGES: 'C' };
const READY = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 120_000;

function spawnAs(file: string, args: string[], o: PgProcessOptions, detached = false): ChildProcess {
  return spawn(file, args, { ...(o.account ? { uid: o.account.uid, gid: o.account.gid } : {}), env: ENV, stdio: ['ignore', 'pipe', 'pipe'], detached });
}

/**
 * Stops the server once this process has ended, however it ended (SIGKILL included): a shell in a
 * session of its own waits for the end of a pipe that only this process holds open, then sends the
 * server PostgreSQL's fast-shutdown signal. It keeps nothing alive here (unreferenced).
 */
function watchdog(pid: number): ChildProcess {
  const w = spawn('/bin/sh', ['-c', 'read _; kill -INT "$0" 2>/dev/null', String(pid)], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  w.on('error', () => {});
  w.stdin?.on('error', () => {});
  w.unref();
  (w.stdin as unknown as Socket | null)?.unref();
  return w;
}

/** Collects a child's output line by line, keeping the last lines for error messages. */
function collectLines(child: ChildProcess, onLine: (line: string) => void): () => string[] {
  const last: string[] = [];
  let partial = '';
  const take = (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines.map((l) => l.trim()).filter(Boolean)) {
      last.push(line);
      if (last.length > 20) last.shift();
      onLine(line);
    }
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  return () => [...last, ...(partial.trim() ? [partial.trim()] : [])];
}

/** The line that explains a failure (PostgreSQL's FATAL/ERROR line when there is one), without its timestamp. */
const reasonIn = (lines: string[]) =>
  (lines.findLast((l) => /FATAL|ERROR|error|cannot|could not/.test(l)) ?? lines.at(-1) ?? 'no output')
    .replace(/^\d{4}-\d\d-\d\d [\d:.]+ \S+ \[\d+\] /, '')
    .replace(/\s+/g, ' ');

function cannotRun(file: string, err: NodeJS.ErrnoException, o: PgProcessOptions): StartupError {
  const as = o.account ? ` as the "${o.account.name}" account` : '';
  return new StartupError(`PostgreSQL's ${path.basename(file)} could not be run${as} from ${path.dirname(file)} (${err.code ?? err.message}): make that folder readable and executable by the account (it must not sit on a noexec mount), or set DATABASE_URL to use a PostgreSQL server`);
}

/** Creates the cluster (UTF-8, C collation whatever the machine's locale), owned by the account. */
export async function initCluster(o: PgProcessOptions, auth: { user: string; password: string }): Promise<void> {
  mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
  // initdb reads the superuser's password from a file: beside the cluster, readable by its owner only.
  const pwfile = path.join(path.dirname(o.dataDir), `.pwfile-${randomBytes(6).toString('hex')}`);
  writeFileSync(pwfile, `${auth.password}\n`, { mode: 0o600 });
  if (o.account) {
    chownSync(o.dataDir, o.account.uid, o.account.gid);
    chownSync(pwfile, o.account.uid, o.account.gid);
  }
  const args = [`--pgdata=${o.dataDir}`, '--auth=password', `--username=${auth.user}`, `--pwfile=${pwfile}`, '--lc-messages=C', '--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8', '--locale=C'];
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawnAs(o.binaries.initdb, args, o);
      const lines = collectLines(child, (line) => o.log.trace({ initdb: line }, 'initdb'));
      child.once('error', (err) => reject(cannotRun(o.binaries.initdb, err, o)));
      child.once('close', (code) => {
        if (code === 0) return resolve();
        if (code !== null && code < 0) return; // spawn failed: reported by 'error'
        reject(new StartupError(`initdb could not create the database in ${o.dataDir} (${reasonIn(lines())}): remove that folder and start again, or set DATABASE_URL to use a PostgreSQL server`));
      });
    });
  } finally {
    rmSync(pwfile, { force: true });
  }
}

export type TPgExit = { code: number | null; signal: NodeJS.Signals | null };

/** `exited` resolves when the server process ends, whether stopped here or killed from outside. */
export type PgServer = { pid: number; exited: Promise<TPgExit>; stop(): Promise<void> };

/**
 * Starts the server and resolves once it accepts connections. It runs in a process group of its own,
 * so a Ctrl-C in the terminal reaches this process only: a graceful shutdown still has the database
 * while it seals the audit log and signs the last checkpoint, and stops the server after that. If
 * this process exits without stopping it, the exit hook does; if it is killed outright (tsx kills a
 * child that is slow to acknowledge a signal), the watchdog does.
 */
export async function startServer(o: PgProcessOptions, port: number, flags: string[]): Promise<PgServer> {
  if (!existsSync(path.join(o.dataDir, 'PG_VERSION'))) throw new StartupError(`${o.dataDir} holds no database: remove it and start again`);
  const child = spawnAs(o.binaries.postgres, ['-D', o.dataDir, '-p', String(port), ...flags], o, true);
  const guard = child.pid ? watchdog(child.pid) : undefined;
  let ready = false;
  let onReady = () => {};
  const lines = collectLines(child, (line) => {
    o.log.trace({ pg: line }, 'postgres');
    if (!ready && line.includes(READY)) onReady();
  });
  let running = true;
  let stopping = false;
  const onExit = () => void (running && child.kill('SIGINT'));
  process.once('exit', onExit);
  const exited = new Promise<TPgExit>((resolve) =>
    child.once('exit', (code, signal) => {
      running = false;
      guard?.kill('SIGKILL'); // its pid may be reused from now on
      process.removeListener('exit', onExit);
      // A clean stop (ours, or a Ctrl-C reaching the whole process group) exits 0; anything else is a crash.
      const clean = stopping || code === 0;
      if (ready) o.log[clean ? 'info' : 'error']({ code, signal }, clean ? 'embedded PostgreSQL stopped' : 'embedded PostgreSQL exited unexpectedly');
      resolve({ code, signal });
    }),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGINT');
      reject(new StartupError(`PostgreSQL did not accept connections within ${START_TIMEOUT_MS / 1000} s (${reasonIn(lines())}; data: ${o.dataDir}): look for another server using that folder, or set DATABASE_URL to use a PostgreSQL server`));
    }, START_TIMEOUT_MS);
    onReady = () => {
      ready = true;
      clearTimeout(timer);
      resolve();
    };
    child.once('error', (err) => {
      clearTimeout(timer);
      running = false;
      process.removeListener('exit', onExit);
      reject(cannotRun(o.binaries.postgres, err, o));
    });
    // 'close' comes once the output is read to the end, so the reason is in `lines`.
    child.once('close', () => {
      clearTimeout(timer);
      if (!ready) reject(new StartupError(`PostgreSQL stopped while starting (${reasonIn(lines())}; data: ${o.dataDir}): fix what it says, or set DATABASE_URL to use a PostgreSQL server`));
    });
  });
  return {
    pid: child.pid!,
    exited,
    async stop() {
      if (!running) return;
      stopping = true;
      child.kill('SIGINT'); // fast shutdown: rolls back open transactions, then a clean checkpoint
      const slow = setTimeout(() => child.kill('SIGQUIT'), 30_000);
      await exited;
      clearTimeout(slow);
    },
  };
}
