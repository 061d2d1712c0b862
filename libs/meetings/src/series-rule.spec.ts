import { localInstant, nextSeriesDay, ruleProblem, SeriesCadence, seriesDays, type SeriesRule } from './series-rule';

const weekly = (interval: number, startsOn = '2026-12-01'): SeriesRule => ({
  cadence: SeriesCadence.WEEKLY,
  weekday: 2,
  interval,
  startTime: '10:00',
  startsOn,
});
const monthly = (weekOfMonth: number, weekday = 2): SeriesRule => ({
  cadence: SeriesCadence.MONTHLY,
  weekday,
  interval: 1,
  weekOfMonth,
  startTime: '10:00',
  startsOn: '2026-12-01',
});

describe('series rules', () => {
  it('puts "every other Tuesday" on every second Tuesday from the first one', () => {
    // 2026-12-01 is a Tuesday.
    expect(seriesDays(weekly(2), 3)).toEqual(['2026-12-01', '2026-12-15', '2026-12-29']);
    expect(seriesDays(weekly(1, '2026-12-02'), 2)).toEqual(['2026-12-08', '2026-12-15']);
  });

  it('puts "the second Tuesday of the month" on it, and -1 on the last one', () => {
    expect(seriesDays(monthly(2), 3)).toEqual(['2026-12-08', '2027-01-12', '2027-02-09']);
    expect(seriesDays(monthly(-1, 5), 2)).toEqual(['2026-12-25', '2027-01-29']);
  });

  it('takes the next day on the series beat after the latest meeting, also after a meeting moved off it', () => {
    expect(nextSeriesDay(weekly(2), null)).toBe('2026-12-01');
    expect(nextSeriesDay(weekly(2), '2026-12-01')).toBe('2026-12-15');
    expect(nextSeriesDay(weekly(2), '2026-12-03')).toBe('2026-12-15');
    expect(nextSeriesDay(monthly(2), '2026-12-08')).toBe('2027-01-12');
  });

  it('keeps the local time in Bucharest across the change of clocks', () => {
    expect(localInstant('2026-12-08', '10:00').toISOString()).toBe('2026-12-08T08:00:00.000Z');
    expect(localInstant('2027-04-06', '10:00').toISOString()).toBe('2027-04-06T07:00:00.000Z');
  });

  it('names the field of a rule that cannot work', () => {
    expect(ruleProblem(weekly(1))).toBeNull();
    expect(ruleProblem({ ...weekly(1), weekday: 0 })?.[0]).toBe('weekday');
    expect(ruleProblem({ ...weekly(9) })?.[0]).toBe('interval');
    expect(ruleProblem({ ...monthly(5) })?.[0]).toBe('weekOfMonth');
    expect(ruleProblem({ ...weekly(1), startTime: '25:00' })?.[0]).toBe('startTime');
    for (const startsOn of ['2027-02-30', '2999-99-99', '3000-01-01', 'soon'])
      expect(ruleProblem({ ...weekly(1), startsOn })?.[0]).toBe('startsOn');
  });
});
