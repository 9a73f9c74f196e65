import { spawn } from 'node:child_process';
import path from 'node:path';

/** Compiled (dist/, production) the script is JavaScript run by plain node; from source it needs tsx. */
const COMPILED = import.meta.url.endsWith('.js');
const SCRIPT = path.resolve(import.meta.dirname, `../../scripts/migrate.${COMPILED ? 'js' : 'ts'}`);

/**
 * Applies pending migrations in a child process: the WebAssembly schema engine keeps its pool open,
 * so it must not live in the server process. The engine serialises migrators with an advisory lock
 * it waits 10 s for; the processes of a deployment starting together (api × 2, worker × 2) may wait
 * longer on a busy machine, so a lock timeout is tried again.
 */
export async function applyMigrations(databaseUrl: string, attempts = 6): Promise<string[]> {
  for (let i = 1; ; i++) {
    try {
      return await applyOnce(databaseUrl);
    } catch (err) {
      if (i >= attempts || !/advisory lock/.test((err as Error).message)) throw err;
    }
  }
}

function applyOnce(databaseUrl: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(COMPILED ? [] : ['--import', 'tsx']), SCRIPT, 'apply'], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`migrations failed: ${err.trim() || out.trim()}`));
      try {
        resolve((JSON.parse(out.trim().split('\n').pop()!) as { applied: string[] }).applied);
      } catch {
        resolve([]);
      }
    });
  });
}
