// Local dates, times and reporting periods in the unit's time zone (APP_TIMEZONE), never the server's own.
// Building an Intl.DateTimeFormat costs far more than using one: keep one per time zone.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const partFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (YYYY-MM-DD) of `d` in the given IANA time zone. */
export function localDate(d: Date, timeZone: string): string {
  let f = dateFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, f);
  }
  return f.format(d);
}

/** YYYY-MM-DD → dd/mm/yyyy, the way Vietnamese documents write dates. */
export function formatIsoDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/** Local date and time parts of `d` in a time zone. */
export function localParts(d: Date, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number } {
  let f = partFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    partFormats.set(timeZone, f);
  }
  const parts = f.formatToParts(d);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? '0');
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}

/** The zone's offset from UTC (local − UTC, in ms) at the instant `ms`. */
export function utcOffsetAt(ms: number, timeZone: string): number {
  const floored = ms - (((ms % 60_000) + 60_000) % 60_000);
  const p = localParts(new Date(floored), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - floored;
}

/** The instant (epoch ms) when a local wall-clock time occurs in a time zone. */
export function zonedTimeToEpoch(
  parts: { year: number; month: number; day: number; hour?: number; minute?: number },
  timeZone: string,
): number {
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour ?? 0, parts.minute ?? 0);
  // Twice is enough: an offset changes at most once around any instant (DST; Vietnam has none anyway).
  const first = wall - utcOffsetAt(wall, timeZone);
  return wall - utcOffsetAt(first, timeZone);
}

/** Local calendar days (YYYY-MM-DD, either may be absent) → an epoch range, both days included. */
export function dayRange(from: string | undefined, to: string | undefined, timeZone: string): { from?: number; to?: number } {
  const epoch = (d: string, plusDays = 0) => {
    const [year, month, day] = d.split('-').map(Number) as [number, number, number];
    return zonedTimeToEpoch({ year, month, day: day + plusDays }, timeZone);
  };
  return { ...(from ? { from: epoch(from) } : {}), ...(to ? { to: epoch(to, 1) - 1 } : {}) };
}

/** Epoch ms of the local midnight that starts the day of `d`. */
export function startOfLocalDay(d: Date, timeZone: string): number {
  const p = localParts(d, timeZone);
  return zonedTimeToEpoch({ year: p.year, month: p.month, day: p.day }, timeZone);
}

/** "dd/mm/yyyy HH:mm" in a time zone. */
export function formatLocalDateTime(d: Date, timeZone: string): string {
  const p = localParts(d, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(p.day)}/${two(p.month)}/${p.year} ${two(p.hour)}:${two(p.minute)}`;
}

export type PeriodKind = 'quarter' | 'half' | 'year';

/** A reporting period in local time: [from, to) instants, its months (YYYY-MM) and the zone's UTC offset at its start. */
export interface LocalPeriod {
  key: string;
  kind: PeriodKind;
  year: number;
  from: number;
  to: number;
  months: string[];
  offsetMs: number;
}

/**
 * The plan's reporting cycle: "2025-Q2" (quarter), "2025-H1" (six months) or "2025" (year), in local time;
 * undefined when malformed.
 */
export function parsePeriod(text: string, timeZone: string): LocalPeriod | undefined {
  const m = /^(\d{4})(?:-(Q[1-4]|H[12]))?$/i.exec(text.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  if (year < 2000 || year > 2100) return undefined;
  const part = m[2]?.toUpperCase();
  const kind: PeriodKind = !part ? 'year' : part.startsWith('Q') ? 'quarter' : 'half';
  const length = kind === 'year' ? 12 : kind === 'half' ? 6 : 3;
  const firstMonth = !part ? 1 : (Number(part.slice(1)) - 1) * length + 1;
  const from = zonedTimeToEpoch({ year, month: firstMonth, day: 1 }, timeZone);
  const to = zonedTimeToEpoch({ year, month: firstMonth + length, day: 1 }, timeZone);
  const months = Array.from({ length }, (_, i) => `${year}-${String(firstMonth + i).padStart(2, '0')}`);
  return { key: part ? `${year}-${part}` : String(year), kind, year, from, to, months, offsetMs: utcOffsetAt(from, timeZone) };
}

/** The period of the given kind that contains `now` (what the reports page opens with). */
export function currentPeriodKey(now: Date, timeZone: string, kind: PeriodKind): string {
  const p = localParts(now, timeZone);
  if (kind === 'year') return String(p.year);
  if (kind === 'half') return `${p.year}-H${p.month <= 6 ? 1 : 2}`;
  return `${p.year}-Q${Math.ceil(p.month / 3)}`;
}

/** `2025-Q1` → [start, end) instants of that quarter in local time; undefined when malformed. */
export function quarterRange(quarter: string, timeZone: string): { from: number; to: number } | undefined {
  const p = /^\d{4}-Q[1-4]$/i.test(quarter.trim()) ? parsePeriod(quarter, timeZone) : undefined;
  return p ? { from: p.from, to: p.to } : undefined;
}

/** The local calendar date (YYYY-MM-DD) of the instant `ms`. */
export function localIsoDate(ms: number, timeZone: string): string {
  return localDate(new Date(ms), timeZone);
}

const MINUTE = 60_000;

/** The instant at which the wall clock in `timeZone` shows the given local date and time. */
export function zonedToEpoch(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  return zonedTimeToEpoch({ year, month, day, hour, minute }, timeZone);
}

/** `2025-02-10T09:00:00+07:00`: the instant as the unit's wall clock shows it, with the offset. */
export function formatLocalIso(ms: number, timeZone: string): string {
  const p = localParts(new Date(ms), timeZone);
  const offset = Math.round(utcOffsetAt(ms, timeZone) / MINUTE);
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
