import type { QuietHoursWindow } from '../config.ts';
import { localMinuteOfDay, nextLocalTime } from '../time.ts';

/** When broadcasts must not go out: Zalo refuses promotional sends at night (-234). */
export interface QuietHours {
  /** True when `ms` falls inside the window. Always false when quiet hours are off. */
  isQuiet(ms: number): boolean;
  /** The first instant after `ms` at which the window ends (when quiet at `ms`). */
  endsAfter(ms: number): number;
  /** "22:00-06:00", or "off". */
  describe(): string;
}

const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** Quiet hours in the unit's time zone; `window` undefined = off (tests, and OAs Zalo lets send at night). */
export function createQuietHours(window: QuietHoursWindow | undefined, timeZone: string): QuietHours {
  if (!window) {
    return { isQuiet: () => false, endsAfter: (ms) => ms, describe: () => 'off' };
  }
  const { startMinute, endMinute } = window;
  const inside = (minute: number) =>
    startMinute < endMinute ? minute >= startMinute && minute < endMinute : minute >= startMinute || minute < endMinute;
  return {
    isQuiet: (ms) => inside(localMinuteOfDay(ms, timeZone)),
    endsAfter: (ms) => nextLocalTime(ms, endMinute, timeZone),
    describe: () => `${hhmm(startMinute)}-${hhmm(endMinute)}`,
  };
}
