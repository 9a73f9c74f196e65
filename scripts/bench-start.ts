/**
 * npm run bench:start -- [--runs=5] [--tsx]
 *
 * Start-up time of `npm start` as a user types it: spawns it on a scratch DATA_DIR and port, waits for
 * the line that says it serves, sends Ctrl-C (SIGINT), waits for the exit, and repeats. The first run
 * is on an empty DATA_DIR (cold-ish: the database is initialised, migrated and seeded; packages and
 * the transpiled build are already there), the others are warm (everything initialised). Prints each
 * run's time to ready; the CPU seconds npm, the service and PostgreSQL had used by then (the part of
 * the start that does not depend on other work on the machine) and how long their threads had been
 * runnable but waiting for a CPU (what other work on the machine added); the CPU seconds of the whole
 * run (start, ready, Ctrl-C, exit); and the load average.
 * With --tsx also the warm start through tsx (FOL_START_TSX=1), the way `npm start` ran before.
 *
 * EMBEDDED_PG_PORT (or a free port) is the embedded database's port; PORT is always a free port.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, median, processTree, schedSeconds, statFields } from './bench-support.ts';
import { option } from './args.ts';

const RUNS = Math.max(2, Number(option('runs', '5')));
const TSX = process.argv.includes('--tsx');
const root = path.resolve(import.meta.dirname, '..');

/** CPU seconds of this process's reaped children (user + system), from /proc. */
function childCpu(): number {
  const f = statFields('self');
  return (Number(f[13]) + Number(f[14])) / 100;
}

/**
 * `pid` and its descendants at this moment: CPU seconds used so far (their own, and that of children
 * they reaped: the migration process, initdb), and seconds their threads spent runnable but waiting
 * for a CPU (the kernel's schedstat; reaped children not included).
 */
function treeUsage(pid: number): { cpuS: number; waitS: number } {
  const tree = processTree(pid);
  let cpuS = 0;
  for (const p of tree) {
    try {
      const f = statFields(p);
      cpuS += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
    } catch {
      // gone meanwhile
    }
  }
  return { cpuS, waitS: schedSeconds(tree).wait };
}

type Run = { readyMs: number; readyCpuS: number; waitS: number; cpuS: number; load: number };

async function once(dataDir: string, env: Record<string, string>): Promise<Run> {
  const pgPort = process.env.EMBEDDED_PG_PORT ?? String(await freePort());
  const cpu0 = childCpu();
  const load = loadavg()[0]!;
  const t0 = performance.now();
  const child = spawn('npm', ['start'], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(await freePort()), HOST: '127.0.0.1', EMBEDDED_PG_PORT: pgPort, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let readyMs = NaN;
  let atReady = { cpuS: NaN, waitS: NaN };
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d;
      if (Number.isNaN(readyMs) && /fol-triage all listening|fol-triage is running at/.test(out)) {
        readyMs = performance.now() - t0;
        atReady = treeUsage(child.pid!);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`npm start exited (${code}) before it was ready:\n${out.slice(-3000)}`)));
  });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  await ready;
  // Ctrl-C reaches the whole foreground group, as at a terminal.
  process.kill(-child.pid!, 'SIGINT');
  await exited;
  return { readyMs, readyCpuS: atReady.cpuS, waitS: atReady.waitS, cpuS: (childCpu()) - cpu0, load };
}

async function series(label: string, env: Record<string, string>, runs: number) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'fol-bench-start-'));
  const results: Run[] = [];
  try {
    for (let i = 0; i < runs; i++) results.push(await once(dataDir, env));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const line = (name: string, r: Run) =>
    console.log(`  ${name.padEnd(28)}${(r.readyMs / 1000).toFixed(2).padStart(7)} s ${r.readyCpuS.toFixed(1).padStart(8)} s ${r.waitS.toFixed(1).padStart(8)} s ${r.cpuS.toFixed(1).padStart(8)} s   ${r.load.toFixed(1)}`);
  console.log(`  ${''.padEnd(28)}${'ready'.padStart(9)}${'CPU→ready'.padStart(11)}${'CPU wait'.padStart(10)}${'CPU run'.padStart(10)}   load`);
  console.log(label);
  line('cold-ish (empty DATA_DIR)', results[0]!);
  results.slice(1).forEach((r, i) => line(`warm ${i + 1}`, r));
  const warm = results.slice(1);
  const m = (f: (r: Run) => number) => median(warm.map(f));
  console.log(`  ${'warm median'.padEnd(28)}${(m((r) => r.readyMs) / 1000).toFixed(2).padStart(7)} s ${m((r) => r.readyCpuS).toFixed(1).padStart(8)} s ${m((r) => r.waitS).toFixed(1).padStart(8)} s ${m((r) => r.cpuS).toFixed(1).padStart(8)} s   (target: ready ≤ 5 s)`);
}

async function main() {
  console.log(`bench:start — npm start to its ready line, ${RUNS} runs (1 cold-ish + ${RUNS - 1} warm), ${process.env.EMBEDDED_PG_PORT ? `EMBEDDED_PG_PORT ${process.env.EMBEDDED_PG_PORT}` : 'free ports'}; CPU s = the whole run (start, ready, Ctrl-C, exit) incl. PostgreSQL`);
  await series('npm start (transpiled build in .build/)', {}, RUNS);
  if (TSX) await series('npm start with FOL_START_TSX=1 (sources through tsx, as before)', { FOL_START_TSX: '1' }, RUNS);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
