import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/lib/config.ts';
import { createLogger, resolveLogFormat } from '../../src/lib/logger.ts';

/** A stand-in for stdout that records what is written, as a terminal or as a pipe. */
function sink(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk, _enc, done) {
        chunks.push(String(chunk));
        done();
      },
    }),
    { isTTY },
  );
  const text = async () => {
    for (let i = 0; i < 50 && !chunks.length; i++) await new Promise((r) => setTimeout(r, 10));
    return chunks.join('');
  };
  return { stream, text };
}

const isJsonLines = (text: string) =>
  text
    .trim()
    .split('\n')
    .every((line) => {
      try {
        return typeof JSON.parse(line) === 'object';
      } catch {
        return false;
      }
    });

describe('log format', () => {
  it.each([
    ['auto', true, 'pretty'],
    ['auto', false, 'json'],
    ['json', true, 'json'],
    ['pretty', false, 'pretty'],
  ] as const)('when LOG_FORMAT is %s and stdout is a terminal: %s, then logs are %s', (format, isTTY, expected) => {
    expect(resolveLogFormat(format, { isTTY })).toBe(expected);
  });

  it('when nothing is configured, then the format is chosen by the terminal', () => {
    expect(loadConfig({}).LOG_FORMAT).toBe('auto');
  });

  it('when stdout is a terminal, then lines are pretty-printed with secrets still redacted', async () => {
    const out = sink(true);
    createLogger('info', {}, out.stream).info({ user: { password: 'hunter2-hunter2' }, sampleId: 's-1' }, 'sample registered');

    const text = await out.text();
    expect(text).toContain('INFO');
    expect(text).toContain('sample registered');
    expect(text).toContain('[redacted]');
    expect(text).not.toContain('hunter2');
    expect(isJsonLines(text)).toBe(false);
  });

  it('when stdout is not a terminal, then every line is one JSON object', async () => {
    const out = sink(false);
    createLogger('info', {}, out.stream).info({ user: { password: 'hunter2-hunter2' } }, 'sample registered');

    const text = await out.text();
    expect(isJsonLines(text)).toBe(true);
    expect(JSON.parse(text)).toMatchObject({ level: 30, msg: 'sample registered', user: { password: '[redacted]' } });
  });
});
