import Holidays from 'date-holidays';

/**
 * Working days as a Romanian institution counts them: Monday to Friday in Europe/Bucharest, except
 * the public holidays (the movable Orthodox ones included), which come from date-holidays rather than
 * a table we would have to keep. Dates are local calendar days written `YYYY-MM-DD`, so that a due
 * date never shifts by a day when the clocks change.
 */
export const HUB_TIME_ZONE = 'Europe/Bucharest';

export type LocalDate = string;

const holidays = new Holidays('RO', { timezone: HUB_TIME_ZONE });
const publicHolidaysByYear = new Map<number, Set<LocalDate>>();

function publicHolidays(year: number): Set<LocalDate> {
  let days = publicHolidaysByYear.get(year);
  if (!days) {
    days = new Set(
      holidays
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    );
    publicHolidaysByYear.set(year, days);
  }
  return days;
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(date: LocalDate): [number, number, number] {
  const match = LOCAL_DATE.exec(date);
  if (!match) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** The calendar day `days` after (or before, when negative) `date`, counting every day. */
export function addCalendarDays(date: LocalDate, days: number): LocalDate {
  const [y, m, d] = parts(date);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function isPublicHoliday(date: LocalDate): boolean {
  return publicHolidays(parts(date)[0]).has(date);
}

export function isWorkingDay(date: LocalDate): boolean {
  const [y, m, d] = parts(date);
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !isPublicHoliday(date);
}

/** The working day `count` working days after `date` (before it when negative); 0 gives `date` itself. */
export function addWorkingDays(date: LocalDate, count: number): LocalDate {
  const step = count < 0 ? -1 : 1;
  let day = date;
  for (let left = Math.abs(count); left > 0;) {
    day = addCalendarDays(day, step);
    if (isWorkingDay(day)) left -= 1;
  }
  return day;
}

/** Working days after `from` up to and including `to`; negative when `to` is before `from`. */
export function workingDaysBetween(from: LocalDate, to: LocalDate): number {
  if (to === from) return 0;
  const step = to > from ? 1 : -1;
  let count = 0;
  for (let day = from; day !== to;) {
    day = addCalendarDays(day, step);
    if (isWorkingDay(day)) count += step;
  }
  return count;
}

const dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: HUB_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: HUB_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** The calendar day in Bucharest at an instant. */
export function localDateOf(instant: Date): LocalDate {
  return dayFormat.format(instant);
}

/** Minutes past midnight in Bucharest at an instant (for quiet hours and digest times). */
export function localMinutesOf(instant: Date): number {
  const p = Object.fromEntries(partsFormat.formatToParts(instant).map((x) => [x.type, x.value]));
  return Number(p.hour) * 60 + Number(p.minute);
}

function offsetMs(instant: number): number {
  const p = Object.fromEntries(partsFormat.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant when Bucharest's clocks show `time` (HH:MM) on `date`. */
export function bucharestInstant(date: LocalDate, time = '00:00'): Date {
  const [y, m, d] = parts(date);
  const [hh, mm] = time.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  let instant = wall - offsetMs(wall);
  // Near a clock change the first guess uses the other side's offset; one correction settles it.
  instant = wall - offsetMs(instant);
  return new Date(instant);
}
