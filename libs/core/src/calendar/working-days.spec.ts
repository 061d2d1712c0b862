import {
  addWorkingDays,
  bucharestInstant,
  isWorkingDay,
  localDateOf,
  localMinutesOf,
  workingDaysBetween,
} from './working-days';

describe('working days in Romania', () => {
  it('skips weekends', () => {
    expect(isWorkingDay('2027-03-05')).toBe(true); // Friday
    expect(isWorkingDay('2027-03-06')).toBe(false);
    expect(isWorkingDay('2027-03-07')).toBe(false);
    expect(addWorkingDays('2027-03-05', 1)).toBe('2027-03-08');
  });

  it('skips the movable Orthodox holidays, which fall on other days than the Western ones', () => {
    // Orthodox Easter 2027 is 2 May: Good Friday 30 April, Easter Monday 3 May, 1 May Labour Day.
    expect(isWorkingDay('2027-04-30')).toBe(false);
    expect(isWorkingDay('2027-05-03')).toBe(false);
    // Western Easter Monday 2027 (29 March) is an ordinary working day in Romania.
    expect(isWorkingDay('2027-03-29')).toBe(true);
    expect(addWorkingDays('2027-04-29', 1)).toBe('2027-05-04');
    // Orthodox Pentecost Monday 2027 is 21 June.
    expect(isWorkingDay('2027-06-21')).toBe(false);
  });

  it('counts working days between two dates in both directions', () => {
    expect(workingDaysBetween('2027-04-29', '2027-05-04')).toBe(1);
    expect(workingDaysBetween('2027-05-04', '2027-04-29')).toBe(-1);
    expect(workingDaysBetween('2027-03-01', '2027-03-08')).toBe(5);
    expect(addWorkingDays('2027-03-08', -5)).toBe('2027-03-01');
  });

  it('reads the local day and time in Bucharest across the clock change', () => {
    // 28 March 2027: clocks go from 03:00 to 04:00 (UTC+2 → UTC+3).
    expect(bucharestInstant('2027-03-27', '08:00').toISOString()).toBe('2027-03-27T06:00:00.000Z');
    expect(bucharestInstant('2027-03-29', '08:00').toISOString()).toBe('2027-03-29T05:00:00.000Z');
    expect(localDateOf(new Date('2027-03-28T22:30:00Z'))).toBe('2027-03-29');
    expect(localMinutesOf(new Date('2027-03-29T05:00:00Z'))).toBe(8 * 60);
    expect(() => isWorkingDay('29/03/2027')).toThrow(RangeError);
  });
});
