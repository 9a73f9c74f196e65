import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isValidCas } from '../../src/domain/cas.rules.ts';
import { DATA_DIR, loadReferenceData } from '../../src/domain/reference-data.ts';
import { buildSubstanceIndex, matchSubstance, searchSubstances } from '../../src/domain/substances.rules.ts';
import { ConfigError, loadConfig } from '../../src/lib/config.ts';

describe('reference data', () => {
  it.each([
    ['437-38-7', true], ['1609-66-1', true], ['1609-66-5', false], ['50-36-2', true], ['50-36-3', false], ['not-a-cas', false],
  ])('CAS %s check digit valid: %s', (cas, valid) => expect(isValidCas(cas)).toBe(valid));

  it('when a data file holds a CAS number failing its check digit, then loading fails and names it', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ref-'));
    cpSync(DATA_DIR, dir, { recursive: true });
    const file = path.join(dir, 'substances.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"1609-66-1"', '"1609-66-5"'));
    expect(() => loadReferenceData(dir)).toThrow(/substances\.json[\s\S]*check digit/);
  });

  it('when names differ in case and punctuation, then they match the same substance', () => {
    const ref = loadReferenceData();
    const index = buildSubstanceIndex(ref.substances.substances);
    for (const name of ['NPP', 'n-phenethyl-4-piperidone', '39742-60-4']) expect(matchSubstance(index, name)?.id).toBe('npp');
    for (const name of ['4-ANPP', 'anpp']) expect(matchSubstance(index, name)?.id).toBe('anpp');
    expect(matchSubstance(index, 'FENTANYL hcl')?.id).toBe('fentanyl');
    expect(matchSubstance(index, 'Acetyl-Fentanyl')?.id).toBe('acetyl-fentanyl');
    expect(matchSubstance(index, 'sugar')).toBeNull();
    expect(searchSubstances(index, 'fent')[0]?.id).toBe('fentanyl');
  });
});

describe('configuration', () => {
  it('when several keys are bad, then one error lists them all', () => {
    expect(() => loadConfig({ PORT: 'abc', DATABASE_URL: 'nope', LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'nope', LOG_LEVEL: 'loud' });
    } catch (err) {
      expect((err as Error).message).toMatch(/PORT[\s\S]*DATABASE_URL[\s\S]*LOG_LEVEL/);
    }
  });
});
