import { addCalendarDays, bucharestInstant, type LocalDate } from '@hub/core';
import { invalidPeriod } from './reports.errors';

export type PeriodKind = 'MONTH' | 'QUARTER' | 'YEAR' | 'CUSTOM';

/** A reporting period in Bucharest's calendar: from `from` (inclusive) to `to` (exclusive), midnight to midnight. */
export interface Period {
  kind: PeriodKind;
  /** `2026-07`, `2026-Q3`, `2026`, or `2026-07-01..2026-08-15` (custom, both days inclusive). */
  key: string;
  from: LocalDate;
  /** The first day after the period. */
  to: LocalDate;
  start: Date;
  end: Date;
}

/** How many periods a report shows as its trend: the chosen one and those before it. */
export const TREND_LENGTH = 4;

const pad = (n: number) => String(n).padStart(2, '0');
const MAX_CUSTOM_DAYS = 3 * 366;

function make(kind: PeriodKind, key: string, from: LocalDate, to: LocalDate): Period {
  return { kind, key, from, to, start: bucharestInstant(from), end: bucharestInstant(to) };
}

function month(y: number, m: number): Period {
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${pad(m + 1)}-01`;
  return make('MONTH', `${y}-${pad(m)}`, `${y}-${pad(m)}-01`, next);
}

function quarter(y: number, q: number): Period {
  const from = `${y}-${pad(q * 3 - 2)}-01`;
  const to = q === 4 ? `${y + 1}-01-01` : `${y}-${pad(q * 3 + 1)}-01`;
  return make('QUARTER', `${y}-Q${q}`, from, to);
}

const year = (y: number): Period => make('YEAR', String(y), `${y}-01-01`, `${y + 1}-01-01`);

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

const daysBetween = (from: LocalDate, to: LocalDate) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

/** Reads a period key; anything else is BAD_USER_INPUT naming `field`. */
export function parsePeriod(key: string, field = 'period'): Period {
  const value = key.trim();
  let m = /^(\d{4})-(\d{2})$/.exec(value);
  if (m && +m[2] >= 1 && +m[2] <= 12) return month(+m[1], +m[2]);
  m = /^(\d{4})-Q([1-4])$/.exec(value);
  if (m) return quarter(+m[1], +m[2]);
  m = /^(\d{4})$/.exec(value);
  if (m) return year(+m[1]);
  m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(value);
  if (m && isDate(m[1]) && isDate(m[2]) && m[1] <= m[2]) {
    const to = addCalendarDays(m[2], 1);
    if (daysBetween(m[1], to) > MAX_CUSTOM_DAYS)
      throw invalidPeriod(field, 'A custom period may span at most three years.');
    return make('CUSTOM', value, m[1], to);
  }
  throw invalidPeriod(
    field,
    'Give the period as a month (2026-07), a quarter (2026-Q3), a year (2026) or two days (2026-07-01..2026-08-15).',
  );
}

/** The period of the same kind just before this one (for a custom period: as many days, ending where it starts). */
export function previousPeriod(period: Period): Period {
  const [y, m] = period.from.split('-').map(Number);
  switch (period.kind) {
    case 'MONTH':
      return m === 1 ? month(y - 1, 12) : month(y, m - 1);
    case 'QUARTER': {
      const q = (m + 2) / 3;
      return q === 1 ? quarter(y - 1, 4) : quarter(y, q - 1);
    }
    case 'YEAR':
      return year(y - 1);
    case 'CUSTOM': {
      const from = addCalendarDays(period.from, -daysBetween(period.from, period.to));
      return make('CUSTOM', `${from}..${addCalendarDays(period.from, -1)}`, from, period.from);
    }
  }
}

/** The trend: `TREND_LENGTH` periods, oldest first, the chosen one last. */
export function trendOf(period: Period, length = TREND_LENGTH): Period[] {
  const periods = [period];
  while (periods.length < length) periods.unshift(previousPeriod(periods[0]));
  return periods;
}

/** The quarter an instant falls in, in Bucharest. */
export function quarterOf(date: LocalDate): Period {
  const [y, m] = date.split('-').map(Number);
  return quarter(y, Math.ceil(m / 3));
}

/** The last quarter that has ended by `today`. */
export function lastClosedQuarter(today: LocalDate): Period {
  return previousPeriod(quarterOf(today));
}
