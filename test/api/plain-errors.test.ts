import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, seizureBody, startHarness, type Harness } from '../support/harness.ts';

/** Refusals a person can read as they are: a message per field, and the field named in words. */
let h: Harness;
let tech: Awaited<ReturnType<Harness['user']>>;

beforeAll(async () => {
  h = await startHarness({ kind: 'api' });
  tech = await h.user('TECHNICIAN');
});
afterAll(() => h?.stop());

type TDetail = { path: string; message: string; label: string };
const JARGON = /Invalid input|expected \w+, received|Too (small|big)|Invalid (string|option|enum)|body\.|query\./;

describe('plain-language validation errors', () => {
  it('when a sample is sent with missing fields, text for numbers and an unknown form, then each detail says in words what is wrong and names the field', async () => {
    const seizure = (await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody()).expect(201)).body;
    const res = await h.http().post('/api/v1/samples').set(auth(tech.token)).send({ seizureId: seizure.id, form: 'GRANULES', grossWeightG: '12O', unitCount: 2.5 }).expect(400);
    expect(res.body.error.message).toBe('Nothing was saved: some fields need correcting');
    const details = res.body.error.details as TDetail[];
    const by = Object.fromEntries(details.map((d) => [d.path, d]));
    expect(by['body.description']).toEqual({ path: 'body.description', message: 'required', label: 'description' });
    expect(by['body.sealNumber']).toEqual({ path: 'body.sealNumber', message: 'required', label: 'seal number' });
    expect(by['body.grossWeightG']).toEqual({ path: 'body.grossWeightG', message: 'must be a number', label: 'gross weight (g)' });
    expect(by['body.unitCount']).toEqual({ path: 'body.unitCount', message: 'must be a whole number', label: 'units' });
    expect(by['body.form']!.message).toBe('must be one of: powder, tablet, crystal, liquid, plant, residue, other');
    for (const d of details) {
      expect(d.message).not.toMatch(JARGON);
      expect(d.label).not.toMatch(JARGON);
    }
  });

  it('when a library score is typed as a percentage, then the message gives the range and how to write 93 %; the label names the hit', async () => {
    const seizure = (await h.http().post('/api/v1/seizures').set(auth(tech.token)).send(seizureBody()).expect(201)).body;
    const sample = (await h.http().post('/api/v1/samples').set(auth(tech.token)).send({ seizureId: seizure.id, form: 'POWDER', description: 'bag', grossWeightG: 5, sealNumber: 'S-1' }).expect(201)).body;
    const res = await h.http().post(`/api/v1/samples/${sample.id}/tests`).set(auth(tech.token))
      .send({ technique: 'FTIR', outcome: 'POSITIVE', hits: [{ substance: 'fentanyl', score: 0.9 }, { substance: 'heroin', score: 93 }] }).expect(400);
    expect(res.body.error.details).toEqual([{ path: 'body.hits.1.score', message: 'a library score is between 0 and 1: a match of 93 % is 0.93', label: 'library hits 2, score' }]);
  });

  it('when a list is asked for with a date that is not one, then the detail says what a date looks like', async () => {
    const res = await h.http().get('/api/v1/reports/operations?from=yesterday').set(auth(await h.user('MANAGER').then((m) => m.token))).expect(400);
    expect(res.body.error.message).toBe('Some search or filter values need correcting');
    for (const d of res.body.error.details as TDetail[]) {
      expect(d.message).not.toMatch(JARGON);
      expect(d.label).toBe('from');
    }
  });
});
