import { describe, expect, it } from 'vitest';
import { containerCheckDigit, normalizeObservable, vinCheckDigit, type TObservableInput } from '../../src/domain/observables.rules.ts';

describe('observable normalisation', () => {
  it.each<[string, TObservableInput, string, boolean | null]>([
    ['a US phone written locally', { kind: 'PHONE', value: '(520) 555-0142' }, '+15205550142', true],
    ['a Mexican phone with its country code', { kind: 'PHONE', value: '+52 662 123 4567' }, '+526621234567', true],
    ['a Mexican phone with a country qualifier', { kind: 'PHONE', value: '662 123 4567', qualifier: 'MX' }, '+526621234567', true],
    ['a VIN with spaces and lower case (valid check digit)', { kind: 'VIN', value: '1m8gdm9a xkp042788' }, '1M8GDM9AXKP042788', true],
    ['a VIN whose check digit does not hold (kept, marked)', { kind: 'VIN', value: '1M8GDM9A1KP042788' }, '1M8GDM9A1KP042788', false],
    ['an ISO 6346 container number with spaces', { kind: 'CONTAINER_NUMBER', value: 'CSQU 305438 3' }, 'CSQU3054383', true],
    ['an air waybill with a dash', { kind: 'AIRWAY_BILL', value: '020-12345675' }, '020-12345675', true],
    ['a plate with its state, O read as 0', { kind: 'VEHICLE_PLATE', value: 'abc-1o23', qualifier: 'son' }, 'SON-ABC1023', null],
    ['a pill imprint written three ways', { kind: 'PILL_IMPRINT', value: 'm-30' }, 'M30', null],
    ['a person written surname first with accents', { kind: 'PERSON', value: 'LÓPEZ GARCÍA, Juan' }, 'GARCIA JUAN LOPEZ', null],
    ['a company with its legal form', { kind: 'ORGANIZATION', value: 'Transportes del Norte, S.A. de C.V.' }, 'TRANSPORTES DEL NORTE', null],
    ['an address with long street words', { kind: 'ADDRESS', value: 'Calle 5 de Mayo número 12, Colonia Centro' }, 'C 5 DE MAYO NO 12 COL CENTRO', null],
    ['a colour', { kind: 'PILL_COLOR', value: ' Light-Blue ' }, 'light blue', null],
  ])('when %s is entered, then it is stored normalised', (_what, input, normalized, valid) => {
    const r = normalizeObservable(input);
    expect(r).toEqual({ ok: true, value: { normalized, valid } });
  });

  it.each<[string, TObservableInput, RegExp]>([
    ['a phone number too short', { kind: 'PHONE', value: '12' }, /not a valid phone/],
    ['a VIN with the letter O', { kind: 'VIN', value: '1M8GDM9AOKP042788' }, /17 letters/],
    ['a container number with a wrong check digit', { kind: 'CONTAINER_NUMBER', value: 'CSQU3054384' }, /check digit should be 3/],
    ['a container number of the wrong shape', { kind: 'CONTAINER_NUMBER', value: 'CSQ3054383' }, /ISO 6346/],
    ['an air waybill of 10 digits', { kind: 'AIRWAY_BILL', value: '0201234567' }, /11 digits/],
    ['only punctuation as an imprint', { kind: 'PILL_IMPRINT', value: '--' }, /nothing left/],
  ])('when %s is entered, then it is refused with a reason', (_what, input, message) => {
    const r = normalizeObservable(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });

  it('when check digits are computed, then they match the published examples (ISO 6346 CSQU305438-3; 49 CFR 565 1M8GDM9AXKP042788)', () => {
    expect(containerCheckDigit('CSQU305438')).toBe(3);
    expect(vinCheckDigit('1M8GDM9AXKP042788')).toBe('X');
  });
});
