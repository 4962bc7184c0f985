/**
 * UK local date-times -> instants with an explicit offset (design §3). Upstreams record
 * Europe/London wall-clock time without an offset. British Summer Time runs from 01:00 UTC on the
 * last Sunday of March to 01:00 UTC on the last Sunday of October. Pure arithmetic: no time zone
 * database, no dependence on the server's zone.
 *
 * - In the repeated hour in October (01:00-01:59 local happens twice) the earlier instant (BST) is
 *   chosen.
 * - In the missing hour in March (01:00-01:59 local never happens) the time is read as GMT, i.e.
 *   the instant the clock would have shown had it not jumped.
 */
export function londonLocalToInstant(value: string | null | undefined): string | null {
  if (!value) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?$/.exec(value);
  if (!m) return withOffsetAlready(value);
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(m[i]));
  const second = Number(m[6] ?? 0);
  if (!validParts(year!, month!, day!, hour!, minute!, second)) return null;
  // Local wall-clock time expressed as if it were UTC, in ms: compared with the change points below.
  const local = Date.UTC(year!, month! - 1, day!, hour!, minute!, second);
  const bstStartsLocal = lastSundayUtc(year!, 3) + 2 * 3600_000; // 02:00 BST = 01:00 UTC
  const bstEndsLocal = lastSundayUtc(year!, 10) + 2 * 3600_000; // 02:00 BST = 01:00 UTC (first pass)
  const bst = local >= bstStartsLocal && local < bstEndsLocal;
  const fraction = m[7] ?? '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${pad(second)}${fraction}${bst ? '+01:00' : '+00:00'}`;
}

/** Midnight UTC (ms) of the last Sunday of `month` (1-12) in `year`. */
function lastSundayUtc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month, 0));
  return Date.UTC(year, month - 1, lastDay.getUTCDate() - lastDay.getUTCDay());
}

function validParts(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A value that already carries `Z` or an offset is an instant: kept as it is if every part is real. */
function withOffsetAlready(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-](\d{2}):(\d{2}))$/.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(m[i]));
  if (!validParts(year!, month!, day!, hour!, minute!, Number(m[6] ?? 0))) return null;
  if (m[9] !== undefined && (Number(m[9]) > 14 || Number(m[10]) > 59)) return null;
  return value;
}

/** The London calendar date at the instant `now` (what "today" means for an alert or an age). */
export function londonDate(now: Date): string {
  const ms = now.getTime();
  const year = now.getUTCFullYear();
  // BST runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October.
  const bst = ms >= lastSundayUtc(year, 3) + 3600_000 && ms < lastSundayUtc(year, 10) + 3600_000;
  return new Date(bst ? ms + 3600_000 : ms).toISOString().slice(0, 10);
}
