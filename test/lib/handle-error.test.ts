import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Prisma } from '../../src/lib/db.ts';
import { AppError, ERROR_CATALOGUE, type TErrorCode } from '../../src/lib/errors.ts';
import { handleError, judgeError } from '../../src/lib/handle-error.ts';
import { createLogger } from '../../src/lib/logger.ts';

type TLine = { level: number; msg: string; code?: string; err?: { type: string; message: string; stack: string }; sampleId?: string };

function capture() {
  const lines: TLine[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) });
  return { log: createLogger('debug', {}, sink), lines };
}

describe('the error catalogue', () => {
  it.each(Object.keys(ERROR_CATALOGUE) as TErrorCode[])('%s is permanent exactly when it is a 4xx other than 429', (code) => {
    const { status, permanent } = ERROR_CATALOGUE[code];
    expect(permanent).toBe(status < 500 && status !== 429);
    expect(new AppError(code, 'x').permanent).toBe(permanent);
  });
});

describe('judging errors', () => {
  const unique = new Prisma.PrismaClientKnownRequestError('Unique constraint failed', { code: 'P2002', clientVersion: '7.10.0' });
  it.each([
    ['a missing row thrown on purpose', new AppError('NOT_FOUND', 'Sample not found'), 'NOT_FOUND', true, true],
    ['an illegal move', new AppError('CONFLICT', 'A sample in ROUTED cannot move'), 'CONFLICT', true, true],
    ['a rate limit', new AppError('RATE_LIMITED', 'slow down'), 'RATE_LIMITED', false, true],
    ['a unique key another writer won', unique, 'CONFLICT', false, true],
    ['a database that went away', new Error('connect ECONNREFUSED 127.0.0.1:5432'), 'SERVICE_UNAVAILABLE', false, true],
    ['a bug', new TypeError("Cannot read properties of null (reading 'status')"), 'INTERNAL', false, false],
    ['something that is not an Error', 'a string', 'INTERNAL', false, false],
  ])('when the error is %s, then it is %s, permanent %s, trusted %s', (_what, err, code, permanent, trusted) => {
    const v = judgeError(err);
    expect({ code: v.error.code, permanent: v.permanent, trusted: v.trusted }).toEqual({ code, permanent, trusted });
  });

  it('when a bug is answered, then the message says nothing of its internals', () => {
    expect(judgeError(new TypeError('x is undefined at /srv/app/src/secret.ts:12')).error.message).toBe('Internal error');
  });
});

describe('handleError', () => {
  it('when an unexpected error is handled, then it is logged once at error level as { err } with its stack and the caller context', () => {
    const { log, lines } = capture();
    function brokenStep() {
      return new TypeError('boom');
    }
    handleError(brokenStep(), log, { sampleId: 's-1' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, msg: 'unexpected error', code: 'INTERNAL', sampleId: 's-1', err: { type: 'TypeError', message: 'boom' } });
    expect(lines[0]!.err!.stack).toContain('brokenStep');
  });

  it('when a refusal the application meant is handled, then it is logged at debug unless the caller asks for more', () => {
    const { log, lines } = capture();
    handleError(new AppError('CONFLICT', 'already released'), log);
    handleError(new AppError('NOT_FOUND', 'Sample not found'), log, {}, { level: 'error', msg: 'job failed for good' });
    expect(lines.map((l) => [l.level, l.msg, l.code])).toEqual([[20, 'already released', 'CONFLICT'], [50, 'job failed for good', 'NOT_FOUND']]);
    expect(lines[1]!.err!.stack).toContain('handle-error.test.ts');
  });
});

/** Runs the crash fixture in its own process and collects its exit code and log lines. */
function crash(mode: 'rejection' | 'exception'): Promise<{ code: number | null; lines: TLine[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/crash-child.ts', mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, lines: out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as TLine) }));
  });
}

describe('errors nobody caught', () => {
  it('when a promise rejects unhandled or a timer throws, then the process logs it as fatal with the stack and exits with 1', async () => {
    const [rejection, exception] = await Promise.all([crash('rejection'), crash('exception')]);
    for (const [run, source] of [[rejection, 'unhandled rejection'], [exception, 'uncaught exception']] as const) {
      expect(run.code).toBe(1);
      expect(run.lines).toEqual([expect.objectContaining({ level: 60, msg: `${source}; exiting`, code: 'INTERNAL' })]);
      expect(run.lines[0]!.err!.stack).toContain('failDeepInside');
    }
  });
});
