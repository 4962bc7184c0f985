/**
 * Calendar-date helpers. Calendar dates are plain `YYYY-MM-DD` strings and never pass through
 * a time zone; arithmetic uses UTC midnight purely as a counting device.
 */

const DAY_MS = 86_400_000;

/** The simulated "today": fixed so that answers never change with the wall clock. */
export const SNAPSHOT_DATE = '2026-08-21';

/**
 * The real calendar date in London, for the few values the real services work out when asked
 * (alerts' `isActive`): a client checks them against its own today.
 */
export function wallClockToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Days since 1970-01-01 of a calendar date (proleptic Gregorian; Howard Hinnant's algorithm). */
export function toDays(date: string): number {
  let y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export function fromDays(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

export function addDays(date: string, n: number): string {
  return fromDays(toDays(date) + n);
}

export function addYears(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) + years;
  const md = date.slice(5);
  // 29 February in a non-leap target year becomes 28 February
  if (md === '02-29' && !isLeap(y)) return `${y}-02-28`;
  return `${String(y).padStart(4, '0')}-${md}`;
}

export function addMonths(date: string, months: number): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + months;
  const d = Number(date.slice(8, 10));
  const ty = y + Math.floor(m / 12);
  const tm = ((m % 12) + 12) % 12;
  const last = daysInMonth(ty, tm + 1);
  return `${ty}-${String(tm + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 30;
}

/** Whole years between a date of birth and a reference date. */
export function ageOn(dateOfBirth: string, on: string = SNAPSHOT_DATE): number {
  let age = Number(on.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  if (on.slice(5) < dateOfBirth.slice(5)) age -= 1;
  return age;
}

export function isValidDate(s: unknown): s is string {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === s;
}

/** UTC instant of the last Sunday of a month at 01:00 UTC (UK clock-change moment). */
function lastSundayOneAmUtc(year: number, month: number): number {
  const lastDay = Date.UTC(year, month, 0); // day 0 of next month = last day of `month`
  const dow = new Date(lastDay).getUTCDay();
  return lastDay - dow * DAY_MS + 3_600_000;
}

/** Offset of Europe/London from UTC, in minutes, at a UTC instant. */
export function londonOffsetMinutes(utcMs: number): number {
  const y = new Date(utcMs).getUTCFullYear();
  const start = lastSundayOneAmUtc(y, 3);
  const end = lastSundayOneAmUtc(y, 10);
  return utcMs >= start && utcMs < end ? 60 : 0;
}

/**
 * A UK local date-time (no offset), the way Nomis/DPS services serialise LocalDateTime.
 * `localDate` + minutes after local midnight.
 */
export function localDateTime(localDate: string, minutes: number): string {
  const h = Math.floor(minutes / 60) % 24;
  const m = minutes % 60;
  return `${localDate}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00`;
}

/** A UK local wall time expressed with its correct UTC offset (Delius ZonedDateTime style). */
export function zonedDateTime(localDate: string, minutes: number): string {
  const local = localDateTime(localDate, minutes);
  // Interpret the wall time as UTC first, then correct by the offset valid at that instant.
  const guessUtc = Date.parse(`${local}Z`);
  const offset = londonOffsetMinutes(guessUtc - 60 * 60_000);
  const sign = offset >= 0 ? '+' : '-';
  const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const mm = String(Math.abs(offset) % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}
