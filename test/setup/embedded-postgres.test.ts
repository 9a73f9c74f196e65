import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StartupError } from '../../src/lib/config.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { locateBinaries, locateDataDir, serverAccount, type PgBinaries } from '../../src/lib/postgres-host.ts';
import { initCluster, startServer } from '../../src/lib/postgres-process.ts';
import { freePort, REPO } from '../support/clone.ts';

const log = createLogger('silent');
const isRoot = process.getuid?.() === 0;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'fol-pg-'));
chmodSync(scratch, 0o755); // reachable by the postgres account: these tests are about other failures
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Binaries that exist but cannot be executed by anyone, root included. */
function unrunnableBinaries(): PgBinaries {
  const dir = path.join(scratch, 'broken');
  mkdirSync(path.join(dir, 'bin'), { recursive: true });
  for (const name of ['initdb', 'postgres']) writeFileSync(path.join(dir, 'bin', name), '#!/bin/sh\n', { mode: 0o644 });
  return { dir, version: 'broken', initdb: path.join(dir, 'bin', 'initdb'), postgres: path.join(dir, 'bin', 'postgres') };
}

describe('embedded PostgreSQL failures', () => {
  it('when initdb cannot be executed, then the failure is a StartupError naming the folder and what to do', async () => {
    const dataDir = path.join(scratch, 'noexec-init', 'pg');
    mkdirSync(path.dirname(dataDir), { recursive: true });
    const failure = initCluster({ binaries: unrunnableBinaries(), account: undefined, dataDir, log }, { user: 'postgres', password: 'x' });

    await expect(failure).rejects.toBeInstanceOf(StartupError);
    await expect(failure).rejects.toThrow(/^PostgreSQL's initdb could not be run from .*broken\/bin \(EACCES\): make that folder readable and executable/);
  });

  it('when the server cannot be executed, then the failure is a StartupError, not an unhandled error event', async () => {
    const dataDir = path.join(scratch, 'noexec-start', 'pg');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path.join(dataDir, 'PG_VERSION'), '18\n');

    await expect(startServer({ binaries: unrunnableBinaries(), account: undefined, dataDir, log }, await freePort(), [])).rejects.toThrow(/^PostgreSQL's postgres could not be run .*\(EACCES\)/);
  });

  it('when the data folder is not empty and holds no database, then initdb\'s reason and the remedy are one sentence', async () => {
    const account = serverAccount();
    const dataDir = path.join(scratch, 'not-empty', 'pg');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path.join(dataDir, 'notes.txt'), 'someone else was here');

    const failure = initCluster({ binaries: await locateBinaries(account), account, dataDir, log }, { user: 'postgres', password: 'x' });

    await expect(failure).rejects.toThrow(/^initdb could not create the database in .*not-empty\/pg \(.*exists but is not empty.*\): remove that folder and start again, or set DATABASE_URL/);
  }, 60_000);

  it('when PostgreSQL stops while starting, then its FATAL reason is in the sentence', async () => {
    // The test run's own cluster is running: a second server on its folder stops at the lock file.
    const account = serverAccount();
    const dataDir = locateDataDir(path.join(REPO, '.data', 'test'), account);

    const failure = startServer({ binaries: await locateBinaries(account), account, dataDir, log }, await freePort(), ['-c', 'listen_addresses=127.0.0.1']);

    await expect(failure).rejects.toThrow(/^PostgreSQL stopped while starting \(FATAL: lock file "postmaster.pid" already exists; data: .*\): fix what it says/);
  }, 60_000);
});

describe.skipIf(!isRoot)('the account PostgreSQL runs as under root', () => {
  it('when the account is missing, then it is created as a system account without a login shell', () => {
    const name = `fol-pg-${randomBytes(3).toString('hex')}`;
    try {
      const account = serverAccount(name)!;

      expect(account.uid).toBeGreaterThan(0);
      expect(account.uid).toBeLessThan(1000);
      expect(execFileSync('getent', ['passwd', name], { encoding: 'utf8' })).toMatch(/:\/usr\/sbin\/nologin\n$/);
      expect(serverAccount(name)).toEqual(account);
    } finally {
      execFileSync('userdel', [name]);
    }
  });
});
