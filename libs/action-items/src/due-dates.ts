/** Task forces work in Romania: "today" and "this week" are Bucharest's. */
export const TIME_ZONE = 'Europe/Bucharest';

const dateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** YYYY-MM-DD of an instant in Bucharest. */
export function calendarDate(at: Date = new Date()): string {
  return dateFormat.format(at);
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Monday and Sunday of the week that contains `today`. */
export function weekOf(today: string): { monday: string; sunday: string } {
  const weekday = (new Date(`${today}T12:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
  const monday = addDays(today, -weekday);
  return { monday, sunday: addDays(monday, 6) };
}

/** A real calendar date in YYYY-MM-DD form, in the years 2000–2999. */
export function isCalendarDate(value: string): boolean {
  if (!/^2\d{3}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T12:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
