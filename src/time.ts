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

/** Local offset (local − UTC, in ms) of the instant `ms` in a time zone. */
function offsetAt(ms: number, timeZone: string): number {
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
  const first = wall - offsetAt(wall, timeZone);
  return wall - offsetAt(first, timeZone);
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

/**
 * A reporting period in local time: "2025-Q1" (quarter), "2025-H1" (six months) or "2025" (year),
 * the plan's reporting cycle. Returns [from, to) instants, or undefined when malformed.
 */
export function periodRange(period: string, timeZone: string): { from: number; to: number } | undefined {
  const m = /^(\d{4})(?:-(Q[1-4]|H[12]))?$/i.exec(period.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  const part = m[2]?.toUpperCase();
  const [startMonth, months] = !part ? [1, 12] : part.startsWith('Q') ? [(Number(part[1]) - 1) * 3 + 1, 3] : [part === 'H1' ? 1 : 7, 6];
  const from = zonedTimeToEpoch({ year, month: startMonth, day: 1 }, timeZone);
  const end = startMonth + months;
  const to = zonedTimeToEpoch({ year: end > 12 ? year + 1 : year, month: end > 12 ? end - 12 : end, day: 1 }, timeZone);
  return { from, to };
}
