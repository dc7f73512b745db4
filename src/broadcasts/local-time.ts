import { formatLocalDateTime, localParts, periodRange, zonedTimeToEpoch } from '../time.ts';

// Wall-clock arithmetic in the unit's time zone. Posts are planned in local time (Asia/Ho_Chi_Minh) and stored as
// instants; these helpers convert both ways without ever using the server's own time zone.

const MINUTE = 60_000;

/** Local time offset (local − UTC, in ms) of the instant `ms` in `timeZone`. */
function offsetAt(ms: number, timeZone: string): number {
  const floored = ms - (((ms % MINUTE) + MINUTE) % MINUTE);
  const p = localParts(new Date(floored), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - floored;
}

/** The instant at which the wall clock in `timeZone` shows the given local date and time. */
export function zonedToEpoch(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  return zonedTimeToEpoch({ year, month, day, hour, minute }, timeZone);
}

/** `2025-02-10T09:00:00+07:00`: the instant as the unit's wall clock shows it, with the offset. */
export function formatLocalIso(ms: number, timeZone: string): string {
  const p = localParts(new Date(ms), timeZone);
  const offset = Math.round(offsetAt(ms, timeZone) / MINUTE);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const pad = (n: number) => String(n).padStart(2, '0');
  const seconds = Math.floor((((ms % MINUTE) + MINUTE) % MINUTE) / 1000);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(seconds)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** `10/02/2025 09:00`: how Vietnamese staff read a date and time. */
export function formatLocalShort(ms: number, timeZone: string): string {
  return formatLocalDateTime(new Date(ms), timeZone);
}

/** Minutes after local midnight of the instant `ms`. */
export function localMinuteOfDay(ms: number, timeZone: string): number {
  const p = localParts(new Date(ms), timeZone);
  return p.hour * 60 + p.minute;
}

/** The next instant strictly after `ms` at which the local clock shows `minuteOfDay`. */
export function nextLocalTime(ms: number, minuteOfDay: number, timeZone: string): number {
  const p = localParts(new Date(ms), timeZone);
  for (let addDays = 0; addDays <= 2; addDays++) {
    const day = new Date(Date.UTC(p.year, p.month - 1, p.day + addDays));
    const at = zonedToEpoch(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), Math.floor(minuteOfDay / 60), minuteOfDay % 60, timeZone);
    if (at > ms) return at;
  }
  throw new Error('unreachable: a local time occurs at least once every day');
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):?(\d{2}))$/;

/**
 * Parses an ISO 8601 date-time that names its offset (`Z` or `±hh:mm`); undefined otherwise.
 * A time without an offset is refused on purpose: "09:00" alone depends on whose clock reads it.
 * Impossible dates (30 February, 24:00) are refused instead of rolling over as Date.parse does.
 */
export function parseIsoInstant(text: string): number | undefined {
  const m = ISO_INSTANT.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = Number(m[6] ?? '0');
  const millis = Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return undefined;
  let offsetMin = 0;
  if (m[8] !== 'Z') {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 14 || om > 59) return undefined;
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMin * MINUTE;
}

/** `2025-Q1` → [start, end) instants of that quarter in local time; undefined when malformed. */
export function quarterRange(quarter: string, timeZone: string): { from: number; to: number } | undefined {
  return /^\d{4}-Q[1-4]$/i.test(quarter.trim()) ? periodRange(quarter, timeZone) : undefined;
}
