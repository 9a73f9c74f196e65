import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '../..');

/**
 * A private folder (mode 700, as `mktemp -d` makes it) holding a clone of this repository's current
 * commit (or of `commit`, an earlier one whose lockfile is the same), with node_modules hard-linked
 * from this checkout instead of installed from the registry: the same lockfile gives the same tree,
 * and linking takes seconds where an install takes minutes.
 */
export function clonePrivately(owner?: { uid: number; gid: number }, commit = 'HEAD'): { dir: string; repo: string; home: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fol-clone-'));
  const repo = path.join(dir, 'fol-triage');
  const home = path.join(dir, 'home');
  const head = execFileSync('git', ['-C', REPO, 'rev-parse', commit], { encoding: 'utf8' }).trim();
  execFileSync('git', ['clone', '--quiet', '--no-checkout', `file://${REPO}`, repo]);
  execFileSync('git', ['-C', repo, 'checkout', '--quiet', head]);
  mkdirSync(home);
  if (owner) {
    // Everything the user writes is theirs; node_modules stays root's (hard links share an owner).
    execFileSync('chown', ['-R', `${owner.uid}:${owner.gid}`, dir]);
  }
  execFileSync('cp', ['-al', path.join(REPO, 'node_modules'), path.join(repo, 'node_modules')]);
  rmSync(path.join(repo, 'node_modules', '.vite'), { recursive: true, force: true });
  // A real file, newer than the freshly checked-out lockfile: "installed and up to date".
  const marker = path.join(repo, 'node_modules', '.package-lock.json');
  rmSync(marker);
  copyFileSync(path.join(REPO, 'node_modules', '.package-lock.json'), marker);
  if (owner) chownSync(dir, owner.uid, owner.gid);
  return { dir, repo, home };
}

/** A normal (non-system) OS user made for one test, removed by `drop`. */
export function makeUser(): { name: string; uid: number; gid: number; drop(): void } {
  const name = `fol-t-${randomBytes(4).toString('hex')}`;
  execFileSync('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', '--user-group', name]);
  const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
  const uid = id('-u');
  return {
    name,
    uid,
    gid: id('-g'),
    drop: () => {
      execFileSync('userdel', [name]);
      rmSync(path.join(os.tmpdir(), `tsx-${uid}`), { recursive: true, force: true });
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export type Run = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

/** Runs a README command the way a person would: in the clone, its own process group, no terminal. */
export function runCommand(args: string[], o: { cwd: string; home: string; env: Record<string, string>; as?: { uid: number; gid: number } }): Run {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: o.home,
    npm_config_cache: path.join(o.home, '.npm'),
    npm_config_update_notifier: 'false',
    NO_COLOR: '1',
    ...o.env,
  };
  const child = spawn('npm', args, { cwd: o.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...(o.as ?? {}) });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Resolves with the first match of `pattern` in the output, or fails with the output so far. */
export async function waitFor(run: Run, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const until = Date.now() + timeoutMs;
  let done = false;
  void run.exited.then(() => (done = true));
  for (;;) {
    const m = run.output().match(pattern);
    if (m) return m;
    if (done || Date.now() > until) throw new Error(`${done ? 'exited' : 'timed out'} before ${pattern}:\n${run.output().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Ctrl-C, as a terminal sends it: SIGINT to the whole process group. */
export async function interrupt(run: Run): Promise<number | null> {
  try {
    process.kill(-run.child.pid!, 'SIGINT');
  } catch {
    // already gone
  }
  return run.exited;
}
