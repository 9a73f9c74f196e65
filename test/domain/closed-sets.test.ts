import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FENTANYL_CLASS, isControlled, isFentanylClass } from '../../src/domain/categories.rules.ts';
import * as sets from '../../src/domain/closed-sets.ts';
import { sampleSla } from '../../src/domain/priority.rules.ts';
import { OPEN_STATUSES, RESULT_STATUSES, TERMINAL_STATUSES, isOpen } from '../../src/domain/sample-lifecycle.rules.ts';
import * as db from '../../src/generated/prisma/enums.ts';

describe('closed sets', () => {
  it.each([
    ['ROLES', sets.ROLES, db.Role],
    ['SAMPLE_STATUSES', sets.SAMPLE_STATUSES, db.SampleStatus],
    ['PRIORITIES', sets.PRIORITIES, db.Priority],
    ['FORMS', sets.FORMS, db.SampleForm],
    ['CONVEYANCES', sets.CONVEYANCES, db.Conveyance],
    ['TEST_OUTCOMES', sets.TEST_OUTCOMES, db.TestOutcome],
    ['FILE_KINDS', sets.FILE_KINDS, db.FileKind],
  ] as const)('%s holds exactly the values of the database enum, in its order', (_name, values, dbEnum) => {
    expect([...values]).toEqual(Object.values(dbEnum));
  });

  it('when statuses are split into open and released, then every status is in exactly one part, and only ROUTED ends the journey', () => {
    expect([...OPEN_STATUSES, ...RESULT_STATUSES].sort()).toEqual([...sets.SAMPLE_STATUSES].sort());
    expect(OPEN_STATUSES.filter((s) => RESULT_STATUSES.includes(s))).toEqual([]);
    expect(OPEN_STATUSES).toContain('NEEDS_ATTENTION');
    expect(TERMINAL_STATUSES).toEqual(['ROUTED']);
    expect(sets.SAMPLE_STATUSES.filter(isOpen)).toEqual(OPEN_STATUSES);
  });

  it.each([
    ['FENTANYL', true, true], ['FENTANYL_RELATED_SUBSTANCE', true, true], ['FENTANYL_PRECURSOR', true, true], ['OTHER_CONTROLLED', true, false],
    ['NO_CONTROLLED_SUBSTANCE_IDENTIFIED', false, false], ['INCONCLUSIVE', false, false], ['SOMETHING_ELSE', false, false],
  ])('%s: controlled %s, fentanyl class %s', (category, controlled, fentanyl) => {
    expect([isControlled(category), isFentanylClass(category)]).toEqual([controlled, fentanyl]);
  });

  it('the fentanyl class is the three most serious categories', () => expect(FENTANYL_CLASS).toEqual(sets.CATEGORIES.slice(0, 3)));
});

describe('SLA state of a sample', () => {
  const reg = new Date('2026-11-28T10:00:00Z');
  const due = new Date('2026-11-28T12:00:00Z');
  it.each([
    ['QUEUED', '2026-11-28T11:00:00Z', 'ON_TRACK'],
    ['QUEUED', '2026-11-28T11:36:00Z', 'AT_RISK'],
    ['NEEDS_ATTENTION', '2026-11-28T12:00:01Z', 'BREACHED'],
    ['RELEASED', '2026-11-28T13:00:00Z', null],
    ['ROUTED', '2026-11-28T13:00:00Z', null],
  ])('when a sample in %s is looked at %s, then it is %s', (status, at, state) => {
    expect(sampleSla({ status, registeredAt: reg, dueAt: due }, new Date(at), 0.8)).toBe(state);
  });
});

/** Files allowed to spell a closed set: the sets themselves and the rules over them. */
const OWNERS = ['src/domain/closed-sets.ts', 'src/domain/sample-lifecycle.rules.ts', 'src/domain/categories.rules.ts'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return ['generated', 'public'].includes(e.name) ? [] : sourceFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

describe('one source for each closed set', () => {
  const guarded = {
    SAMPLE_STATUSES: sets.SAMPLE_STATUSES, CATEGORIES: sets.CATEGORIES, NOTIFICATION_TYPES: sets.NOTIFICATION_TYPES, FORMS: sets.FORMS, CUSTODY_ACTIONS: sets.CUSTODY_ACTIONS, TECHNIQUE_CODES: sets.TECHNIQUE_CODES,
    OBSERVABLE_KINDS: sets.OBSERVABLE_KINDS, FILE_KINDS: sets.FILE_KINDS, JURISDICTIONS: sets.JURISDICTIONS, LINK_STATUSES: sets.LINK_STATUSES, LINK_DECISIONS: sets.LINK_DECISIONS,
    IMPORT_STATUSES: sets.IMPORT_STATUSES, HITS_ORIGINS: sets.HITS_ORIGINS, CONVEYANCES: sets.CONVEYANCES,
  };
  it.each(Object.entries(guarded))('when the server code is searched, then only the owning modules list two or more %s in a row', (_name, values) => {
    const alt = values.join('|');
    const listed = new RegExp(`'(${alt})'\\s*,\\s*'(${alt})'`);
    const offenders = sourceFiles('src').filter((f) => !OWNERS.includes(f) && listed.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
