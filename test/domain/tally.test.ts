import { describe, expect, it } from 'vitest';
import { kgToLb, MAX_WEEKS, pounds, pressSentence, tallyByWeek, tallyExhibits, weekStart, type TExhibitRow } from '../../src/domain/tally.rules.ts';

/** Fixtures computed by hand: lb = kg / 0.45359237. */
describe('operation tally', () => {
  it.each<[number, number]>([
    [1, 2.2046226218487757],
    [0.45359237, 1],
    [406, 895.0767844706029],
    [100, 220.46226218487757],
  ])('when %s kg is converted, then it is %s lb', (kg, lb) => {
    expect(kgToLb(kg)).toBeCloseTo(lb, 9);
  });

  const rows: TExhibitRow[] = [
    { exhibitId: 'e1', netWeightKg: 406, released: [{ category: 'FENTANYL', substance: 'fentanyl' }] },
    // Two samples of one exhibit: the more serious released result decides, the weight counts once.
    { exhibitId: 'e2', netWeightKg: 2.5, released: [{ category: 'OTHER_CONTROLLED', substance: 'methamphetamine' }, { category: 'FENTANYL', substance: 'fentanyl' }] },
    { exhibitId: 'e3', netWeightKg: 100, released: [{ category: 'OTHER_CONTROLLED', substance: 'methamphetamine' }] },
    { exhibitId: 'e4', netWeightKg: 10, released: [{ category: 'OTHER_CONTROLLED', substance: 'cocaine' }] },
    { exhibitId: 'e5', netWeightKg: 12.75, released: [] },
    { exhibitId: 'e6', netWeightKg: null, released: [] },
    { exhibitId: 'e7', netWeightKg: 3, released: [{ category: 'NO_CONTROLLED_SUBSTANCE_IDENTIFIED', substance: null }] },
  ];

  it('when exhibits are tallied, then each weight counts once under its most serious released category, unreleased ones are pending', () => {
    const t = tallyExhibits(rows);
    expect(t.byCategory).toEqual([
      { key: 'FENTANYL', exhibits: 2, netWeightKg: 408.5, netWeightLb: 900.588 },
      { key: 'OTHER_CONTROLLED', exhibits: 2, netWeightKg: 110, netWeightLb: 242.508 },
      { key: 'NO_CONTROLLED_SUBSTANCE_IDENTIFIED', exhibits: 1, netWeightKg: 3, netWeightLb: 6.614 },
    ]);
    expect(t.bySubstance).toEqual([
      { key: 'fentanyl', exhibits: 2, netWeightKg: 408.5, netWeightLb: 900.588 },
      { key: 'methamphetamine', exhibits: 1, netWeightKg: 100, netWeightLb: 220.462 },
      { key: 'cocaine', exhibits: 1, netWeightKg: 10, netWeightLb: 22.046 },
    ]);
    expect(t.pendingAnalysis).toEqual({ exhibits: 2, netWeightKg: 12.75, netWeightLb: 28.109 });
    expect(t.unweighedExhibits).toBe(1);
  });

  it('when the sentence is written, then it reads as the Blue Lotus announcement does', () => {
    const t = tallyExhibits(rows);
    const s = pressSentence({ name: 'Blue Lotus', startsOn: new Date('2023-03-13'), endsOn: null }, new Date('2023-05-01T00:00:00Z'), 18,
      [{ jurisdiction: 'FEDERAL', count: 16 }, { jurisdiction: 'STATE', count: 2 }, { jurisdiction: 'TRIBAL', count: 0 }], t);
    expect(s).toBe('Since its launch on 13 March 2023, Operation Blue Lotus has led to 18 seizures, 16 federal arrests and 2 state arrests, and the seizure of '
      + '901 pounds of fentanyl, 220 pounds of methamphetamine and 22 pounds of cocaine. A further 28 pounds are awaiting laboratory analysis.');
  });

  it('when the operation has ended, then the sentence says so in the past; one of a thing is singular', () => {
    const t = tallyExhibits([{ exhibitId: 'x', netWeightKg: 0.45359237, released: [{ category: 'FENTANYL', substance: 'fentanyl' }] }]);
    const s = pressSentence({ name: 'Operation Apollo', startsOn: new Date('2024-01-01'), endsOn: new Date('2024-01-31') }, new Date('2024-03-01T00:00:00Z'), 1, [{ jurisdiction: 'FEDERAL', count: 1 }], t);
    expect(s).toBe('From its launch on 1 January 2024 to its close on 31 January 2024, Operation Apollo led to 1 seizure and 1 federal arrest, and the seizure of 1 pound of fentanyl.');
    expect(pounds(5.512)).toBe('5.5 pounds');
    expect(pounds(1234.4)).toBe('1,234 pounds');
  });

  it.each<[string, string]>([
    ['2023-03-13T00:00:00Z', '2023-03-13'], // a Monday
    ['2023-03-19T23:59:59Z', '2023-03-13'], // that week's Sunday, last second (UTC)
    ['2023-03-20T00:00:00Z', '2023-03-20'],
    ['2024-01-01T10:00:00Z', '2024-01-01'],
    ['2023-01-01T10:00:00Z', '2022-12-26'], // a Sunday: its week began in the year before
  ])('when %s is placed in its week, then the week starts on Monday %s', (at, monday) => {
    expect(weekStart(new Date(at)).toISOString().slice(0, 10)).toBe(monday);
  });

  it('when the tally is drawn week by week, then each seizure falls in its ISO week with its exhibits, empty weeks are kept, and the weeks add up to the whole', () => {
    const seizures = [
      { id: 's1', seizedAt: new Date('2023-03-14T10:00:00Z') },
      { id: 's2', seizedAt: new Date('2023-03-19T23:00:00Z') },
      { id: 's3', seizedAt: new Date('2023-04-03T08:00:00Z') },
    ];
    const byWeekRows = [
      { ...rows[0]!, seizureId: 's1' }, // 406 kg fentanyl
      { ...rows[4]!, seizureId: 's1' }, // 12.75 kg pending
      { ...rows[2]!, seizureId: 's2' }, // 100 kg methamphetamine
      { ...rows[3]!, seizureId: 's3' }, // 10 kg cocaine
    ];
    const weeks = tallyByWeek(seizures, byWeekRows, new Date('2023-03-13'), new Date('2023-04-05T12:00:00Z'));
    expect(weeks.map((w) => [w.weekStart, w.seizures])).toEqual([['2023-03-13', 2], ['2023-03-20', 0], ['2023-03-27', 0], ['2023-04-03', 1]]);
    expect(weeks[0]!.byCategory).toEqual([
      { key: 'FENTANYL', exhibits: 1, netWeightKg: 406, netWeightLb: 895.077 },
      { key: 'OTHER_CONTROLLED', exhibits: 1, netWeightKg: 100, netWeightLb: 220.462 },
    ]);
    expect(weeks[0]!.pendingAnalysis).toEqual({ exhibits: 1, netWeightKg: 12.75, netWeightLb: 28.109 });
    expect(weeks[1]).toEqual({ weekStart: '2023-03-20', seizures: 0, byCategory: [], pendingAnalysis: { exhibits: 0, netWeightKg: 0, netWeightLb: 0 } });
    expect(weeks[3]!.byCategory).toEqual([{ key: 'OTHER_CONTROLLED', exhibits: 1, netWeightKg: 10, netWeightLb: 22.046 }]);
    const whole = tallyExhibits(byWeekRows);
    const sum = (key: string) => weeks.reduce((kg, w) => kg + (w.byCategory.find((c) => c.key === key)?.netWeightKg ?? 0), 0);
    for (const c of whole.byCategory) expect(sum(c.key)).toBeCloseTo(c.netWeightKg, 9);
  });

  it('when the span is longer than five years or ends before it starts, then the last 260 weeks are drawn, or none', () => {
    const weeks = tallyByWeek([], [], new Date('2010-01-04'), new Date('2023-03-13'));
    expect(weeks).toHaveLength(MAX_WEEKS);
    expect(weeks.at(-1)!.weekStart).toBe('2023-03-13');
    expect(tallyByWeek([], [], new Date('2023-03-13'), new Date('2023-03-01'))).toEqual([]);
  });
});
