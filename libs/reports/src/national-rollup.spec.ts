import { INDICATOR, SUBSETS } from './indicators';
import { type Counts, nationalTables } from './national-rollup';

const counts = (values: Record<string, number>): Counts =>
  new Map(Object.entries(values).map(([code, n]) => [code, { ALL: n }]));
const codes = ['NA', 'NB', 'NC', 'ND'];

describe('the national roll-up across a subset pair', () => {
  const tables = () =>
    nationalTables(
      codes,
      [
        { def: INDICATOR['meetings.scheduled'], keys: ['ALL'], counts: counts({ NA: 10, NB: 7, NC: 9, ND: 12 }) },
        { def: INDICATOR['meetings.held'], keys: ['ALL'], counts: counts({ NA: 8, NB: 7, NC: 9, ND: 12 }) },
      ],
      SUBSETS,
    );

  it('hides a part whose whole is 1 to 4 more, and a second cell of its column so that it cannot be solved', () => {
    const [scheduled, held] = tables();
    // Alone, each table has no count from 1 to 4 and would show everything; NA held 2 fewer than it scheduled.
    expect(scheduled.rows.map((r) => r.values[0])).toEqual([10, 7, 9, 12, 38]);
    // The totals differ by 2 as well: NA's held goes, and the total's, which is the second cell of the column.
    expect(held.rows.map((r) => r.values[0])).toEqual([null, 7, 9, 12, null]);
  });

  it('gives the same answer every time', () => {
    expect(tables()).toEqual(tables());
  });

  it('hides a second task force where the total difference is not small', () => {
    const [scheduled, held] = nationalTables(
      codes,
      [
        { def: INDICATOR['meetings.scheduled'], keys: ['ALL'], counts: counts({ NA: 10, NB: 13, NC: 9, ND: 12 }) },
        { def: INDICATOR['meetings.held'], keys: ['ALL'], counts: counts({ NA: 8, NB: 6, NC: 9, ND: 12 }) },
      ],
      SUBSETS,
    );
    expect(scheduled.rows.map((r) => r.values[0])).toEqual([10, 13, 9, 12, 44]);
    // NA's 8 goes, then the smallest other of the column (NB's 6): 14 hidden under a shown 35.
    expect(held.rows.map((r) => r.values[0])).toEqual([null, null, 9, 12, 35]);
  });

  it('suppresses a table of no pair as it would alone', () => {
    const [scheduled] = nationalTables(
      codes,
      [{ def: INDICATOR['meetings.scheduled'], keys: ['ALL'], counts: counts({ NA: 10, NB: 2, NC: 9, ND: 12 }) }],
      SUBSETS,
    );
    expect(scheduled.rows.map((r) => r.values[0])).toEqual([10, null, null, 12, 33]);
  });
});
