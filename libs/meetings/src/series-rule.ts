import { addCalendarDays, HUB_TIME_ZONE } from '@hub/core';

/*
 * When the meetings of a series fall. Task forces meet on a local weekday at a local time in
 * Bucharest ("every second Tuesday at 10:00"), so the rule is kept in local terms and each meeting's
 * instant is worked out for its own day: the clocks changing never moves a meeting by an hour.
 */

export enum SeriesCadence {
  /** Every `interval` weeks on `weekday`: interval 2 is "every other Tuesday". */
  WEEKLY = 'WEEKLY',
  /** On the `weekOfMonth`-th `weekday` of each month (-1: the last), every `interval` months. */
  MONTHLY = 'MONTHLY',
}

export interface SeriesRule {
  cadence: SeriesCadence;
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
  interval: number;
  /** MONTHLY only: 1–4, or -1 for the last one of the month. */
  weekOfMonth?: number | null;
  /** Local time HH:MM in Bucharest. */
  startTime: string;
  /** The first day the series may fall on, YYYY-MM-DD. */
  startsOn: string;
}

const isoWeekday = (date: string) => ((new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;

/** The first day on or after `date` that is `weekday`. */
function nextWeekday(date: string, weekday: number): string {
  return addCalendarDays(date, (weekday - isoWeekday(date) + 7) % 7);
}

/** The `ordinal`-th `weekday` of the month of `yearMonth` (YYYY-MM); -1 the last. */
function nthWeekdayOfMonth(yearMonth: string, weekday: number, ordinal: number): string {
  if (ordinal === -1) {
    const [y, m] = yearMonth.split('-').map(Number);
    const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    return addCalendarDays(last, -((isoWeekday(last) - weekday + 7) % 7));
  }
  return addCalendarDays(nextWeekday(`${yearMonth}-01`, weekday), 7 * (ordinal - 1));
}

function addMonths(yearMonth: string, months: number): string {
  const [y, m] = yearMonth.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1 + months, 1)).toISOString().slice(0, 7);
}

/** The series' days in order, from its start, up to `limit` of them. */
export function seriesDays(rule: SeriesRule, limit: number): string[] {
  const days: string[] = [];
  if (rule.cadence === SeriesCadence.WEEKLY) {
    for (
      let day = nextWeekday(rule.startsOn, rule.weekday);
      days.length < limit;
      day = addCalendarDays(day, 7 * rule.interval)
    )
      days.push(day);
    return days;
  }
  for (let month = rule.startsOn.slice(0, 7); days.length < limit; month = addMonths(month, rule.interval)) {
    const day = nthWeekdayOfMonth(month, rule.weekday, rule.weekOfMonth ?? 1);
    if (day >= rule.startsOn) days.push(day);
  }
  return days;
}

/** The first day of the series strictly after `after` (YYYY-MM-DD), or its first day when null. */
export function nextSeriesDay(rule: SeriesRule, after: string | null): string {
  const from = after ? addCalendarDays(after, 1) : rule.startsOn;
  if (rule.cadence === SeriesCadence.WEEKLY) {
    // Stay on the series' own beat: count whole periods from its first day.
    const first = nextWeekday(rule.startsOn, rule.weekday);
    if (from <= first) return first;
    const days = Math.round((Date.parse(`${from}T12:00:00Z`) - Date.parse(`${first}T12:00:00Z`)) / 86_400_000);
    const periods = Math.ceil(days / (7 * rule.interval));
    return addCalendarDays(first, periods * 7 * rule.interval);
  }
  for (let month = rule.startsOn.slice(0, 7); ; month = addMonths(month, rule.interval)) {
    const day = nthWeekdayOfMonth(month, rule.weekday, rule.weekOfMonth ?? 1);
    if (day >= from && day >= rule.startsOn) return day;
  }
}

/** The instant at which local time `time` (HH:MM) falls on `date` in Bucharest. */
export function localInstant(date: string, time: string): Date {
  const guess = new Date(`${date}T${time}:00Z`);
  // Bucharest is UTC+2 or +3: correct the guess by the zone's offset at that moment (twice, for the change-over).
  let at = guess;
  for (let i = 0; i < 2; i++) at = new Date(guess.getTime() - offsetMs(at));
  return at;
}

const zoneFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: HUB_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function offsetMs(at: Date): number {
  const p = Object.fromEntries(zoneFormat.formatToParts(at).map((part) => [part.type, part.value]));
  const local = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  return local - Math.floor(at.getTime() / 1000) * 1000;
}

function isRealDate(value: string): boolean {
  if (!/^2\d{3}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T12:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** What is wrong with a rule, as [field, sentence], or null. */
export function ruleProblem(rule: SeriesRule): [string, string] | null {
  if (!Number.isInteger(rule.weekday) || rule.weekday < 1 || rule.weekday > 7)
    return ['weekday', 'weekday must be 1 (Monday) to 7 (Sunday).'];
  const maxInterval = rule.cadence === SeriesCadence.WEEKLY ? 8 : 12;
  if (!Number.isInteger(rule.interval) || rule.interval < 1 || rule.interval > maxInterval)
    return ['interval', `interval must be between 1 and ${maxInterval}.`];
  if (rule.cadence === SeriesCadence.MONTHLY) {
    const w = rule.weekOfMonth;
    if (w === null || w === undefined || !(w === -1 || (Number.isInteger(w) && w >= 1 && w <= 4)))
      return ['weekOfMonth', 'weekOfMonth must be 1 to 4, or -1 for the last one of the month.'];
  }
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(rule.startTime))
    return ['startTime', 'startTime must be a time written HH:MM.'];
  if (!isRealDate(rule.startsOn) || rule.startsOn > '2998-12-31')
    return ['startsOn', 'startsOn must be a date written YYYY-MM-DD, between the years 2000 and 2998.'];
  return null;
}

const dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: HUB_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** YYYY-MM-DD of an instant in Bucharest. */
export function calendarDateIn(at: Date): string {
  return dayFormat.format(at);
}
