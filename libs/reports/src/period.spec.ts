import { lastClosedQuarter, parsePeriod, previousPeriod, trendOf } from './period';

describe('report periods (Bucharest calendar)', () => {
  it.each([
    ['2026-07', 'MONTH', '2026-07-01', '2026-08-01', '2026-06-30T21:00:00.000Z', '2026-07-31T21:00:00.000Z'],
    ['2026-Q1', 'QUARTER', '2026-01-01', '2026-04-01', '2025-12-31T22:00:00.000Z', '2026-03-31T21:00:00.000Z'],
    ['2026-Q4', 'QUARTER', '2026-10-01', '2027-01-01', '2026-09-30T21:00:00.000Z', '2026-12-31T22:00:00.000Z'],
    ['2026', 'YEAR', '2026-01-01', '2027-01-01', '2025-12-31T22:00:00.000Z', '2026-12-31T22:00:00.000Z'],
    [
      '2026-03-29..2026-03-29',
      'CUSTOM',
      '2026-03-29',
      '2026-03-30',
      '2026-03-28T22:00:00.000Z',
      '2026-03-29T21:00:00.000Z',
    ],
  ])('%s is a %s from local midnight to local midnight', (key, kind, from, to, start, end) => {
    const period = parsePeriod(key);
    expect(period).toMatchObject({ kind, key, from, to });
    expect([period.start.toISOString(), period.end.toISOString()]).toEqual([start, end]);
  });

  it.each([
    '2026-13',
    '2026-Q0',
    '2026-Q5',
    '26',
    '2026-02-30..2026-03-01',
    '2026-03-02..2026-03-01',
    '2020-01-01..2026-01-01',
    '',
  ])('refuses %j with BAD_USER_INPUT on the field', (key) => {
    expect(() => parsePeriod(key, 'period')).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', extensions: { field: 'period' } }),
    );
  });

  it('steps back by the same kind, across years, and custom periods by their length', () => {
    expect(previousPeriod(parsePeriod('2026-01')).key).toBe('2025-12');
    expect(previousPeriod(parsePeriod('2026-Q1')).key).toBe('2025-Q4');
    expect(previousPeriod(parsePeriod('2026')).key).toBe('2025');
    expect(previousPeriod(parsePeriod('2026-03-01..2026-03-10')).key).toBe('2026-02-19..2026-02-28');
    expect(trendOf(parsePeriod('2026-Q2')).map((p) => p.key)).toEqual(['2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2']);
  });

  it("the last closed quarter is the one before today's", () => {
    expect(lastClosedQuarter('2026-12-01').key).toBe('2026-Q3');
    expect(lastClosedQuarter('2026-01-01').key).toBe('2025-Q4');
  });
});
