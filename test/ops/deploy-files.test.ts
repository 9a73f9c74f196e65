import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/lib/config.ts';
import { REPO } from '../support/clone.ts';

const read = (p: string) => readFileSync(path.join(REPO, 'deploy', p), 'utf8');
const setting = (unit: string, key: string) => unit.match(new RegExp(`^${key}=(.+)$`, 'm'))?.[1];

describe('deployment files', () => {
  it('when systemd stops a unit, then it waits longer than the service drains (SHUTDOWN_GRACE_MS + 5 s) and restarts it on failure, with settings from an environment file', () => {
    const graceS = loadConfig({}).SHUTDOWN_GRACE_MS / 1000;
    for (const name of ['fol-triage-api.service', 'fol-triage-worker.service', 'fol-triage.service']) {
      const unit = read(`systemd/${name}`);
      expect(Number(setting(unit, 'TimeoutStopSec')), name).toBeGreaterThan(graceS + 5);
      expect(setting(unit, 'Restart'), name).toBe('on-failure');
      expect(setting(unit, 'EnvironmentFile'), name).toBe('/etc/fol-triage/fol-triage.env');
      expect(setting(unit, 'Environment'), name).toBe('NODE_ENV=production');
      expect(setting(unit, 'ExecStart'), name).toMatch(/^\/usr\/bin\/node \/opt\/fol-triage\/dist\/src\/entry\/(api|worker|all)\.js$/);
    }
    expect(setting(read('systemd/fol-triage-api.service'), 'User')).toBe('fol-triage');
  });

  it('when the image runs, then it runs compiled code as a non-root user without development dependencies', () => {
    const file = read('Containerfile');
    const runtime = file.slice(file.lastIndexOf('FROM '));
    expect(runtime).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/^USER fol$/m);
    expect(runtime).toMatch(/^CMD \["node", "dist\/src\/entry\/api\.js"\]$/m);
    expect(runtime).toMatch(/HEALTHCHECK .*\n?.*\/healthz/);
  });

  it('when the compose file is read, then it has PostgreSQL, a Redis BullMQ can rely on, two APIs and two workers, with health checks', () => {
    const compose = read('compose.yaml');
    for (const svc of ['postgres', 'redis', 'api1', 'api2', 'worker1', 'worker2']) expect(compose).toMatch(new RegExp(`^  ${svc}:$`, 'm'));
    expect(compose).toMatch(/"--maxmemory-policy", "noeviction", "--appendonly", "yes"/);
    expect(compose.match(/healthcheck:/g)?.length).toBeGreaterThanOrEqual(4);
    expect(compose).toMatch(/pg_isready/);
    expect(compose).toMatch(/\/readyz/);
    expect(compose.match(/dist\/src\/entry\/worker\.js/g)).toHaveLength(2);
    expect(compose.match(/dist\/src\/entry\/api\.js/g)).toHaveLength(2);
  });
});
