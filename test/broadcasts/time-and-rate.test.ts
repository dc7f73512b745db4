import { describe, expect, it } from 'vitest';
import { formatLocalIso, nextLocalTime, parseIsoInstant, quarterRange, zonedToEpoch } from '../../src/time.ts';
import { createQuietHours } from '../../src/broadcasts/quiet-hours.ts';
import { createTokenBucket } from '../../src/broadcasts/token-bucket.ts';
import { loadConfig } from '../../src/config.ts';

const TZ = 'Asia/Ho_Chi_Minh';
const at = (iso: string) => Date.parse(iso);

describe('local time in Asia/Ho_Chi_Minh', () => {
  it('converts wall-clock times to instants and back, whatever the server time zone', () => {
    expect(zonedToEpoch(2025, 2, 10, 9, 0, TZ)).toBe(at('2025-02-10T02:00:00Z'));
    expect(formatLocalIso(at('2025-02-10T02:00:00Z'), TZ)).toBe('2025-02-10T09:00:00+07:00');
    expect(formatLocalIso(at('2025-03-30T01:30:00Z'), 'Europe/Paris')).toBe('2025-03-30T03:30:00+02:00');
    expect(zonedToEpoch(2025, 3, 30, 12, 0, 'Europe/Paris')).toBe(at('2025-03-30T10:00:00Z'));
  });

  it('parses ISO 8601 with an offset or Z only, and refuses impossible dates', () => {
    expect(parseIsoInstant('2025-02-10T09:00:00+07:00')).toBe(at('2025-02-10T02:00:00Z'));
    expect(parseIsoInstant('2025-02-10T02:00:00.250Z')).toBe(at('2025-02-10T02:00:00.250Z'));
    expect(parseIsoInstant('2025-02-10T09:00+0700')).toBe(at('2025-02-10T02:00:00Z'));
    for (const bad of ['2025-02-10T09:00:00', '2025-02-10', '2025-02-29T09:00:00Z', '2025-13-01T09:00:00Z', '2025-02-10T24:00:00Z', '10/02/2025 09:00']) {
      expect(parseIsoInstant(bad)).toBeUndefined();
    }
    expect(parseIsoInstant('2024-02-29T09:00:00Z')).toBe(at('2024-02-29T09:00:00Z'));
  });

  it('gives quarter bounds in local time', () => {
    expect(quarterRange('2025-Q1', TZ)).toEqual({ from: at('2024-12-31T17:00:00Z'), to: at('2025-03-31T17:00:00Z') });
    expect(quarterRange('2025-Q4', TZ)).toEqual({ from: at('2025-09-30T17:00:00Z'), to: at('2025-12-31T17:00:00Z') });
    expect(quarterRange('2025-Q5', TZ)).toBeUndefined();
  });

  it('finds the next occurrence of a local time', () => {
    expect(nextLocalTime(at('2025-03-10T22:30:00+07:00'), 6 * 60, TZ)).toBe(at('2025-03-11T06:00:00+07:00'));
    expect(nextLocalTime(at('2025-03-11T03:00:00+07:00'), 6 * 60, TZ)).toBe(at('2025-03-11T06:00:00+07:00'));
    expect(nextLocalTime(at('2025-03-11T06:00:00+07:00'), 6 * 60, TZ)).toBe(at('2025-03-12T06:00:00+07:00'));
  });
});

describe('quiet hours', () => {
  const quiet = createQuietHours({ startMinute: 22 * 60, endMinute: 6 * 60 }, TZ);

  it.each([
    ['2025-03-10T21:59:59+07:00', false],
    ['2025-03-10T22:00:00+07:00', true],
    ['2025-03-11T00:30:00+07:00', true],
    ['2025-03-11T05:59:00+07:00', true],
    ['2025-03-11T06:00:00+07:00', false],
    ['2025-03-10T15:00:00Z', true], // 22:00 local, written in UTC
  ])('%s quiet: %s', (time, expected) => {
    expect(quiet.isQuiet(at(time))).toBe(expected);
  });

  it('ends at 06:00 local the next morning when it crosses midnight', () => {
    expect(quiet.endsAfter(at('2025-03-10T23:15:00+07:00'))).toBe(at('2025-03-11T06:00:00+07:00'));
    expect(quiet.describe()).toBe('22:00-06:00');
  });

  it('handles a window inside one day, and off', () => {
    const lunch = createQuietHours({ startMinute: 12 * 60, endMinute: 13 * 60 + 30 }, TZ);
    expect(lunch.isQuiet(at('2025-03-10T12:45:00+07:00'))).toBe(true);
    expect(lunch.isQuiet(at('2025-03-10T13:30:00+07:00'))).toBe(false);
    const off = createQuietHours(undefined, TZ);
    expect(off.isQuiet(at('2025-03-10T23:00:00+07:00'))).toBe(false);
    expect(off.describe()).toBe('off');
  });

  it('BROADCAST_QUIET_HOURS and the other keys are validated at boot, naming the key', () => {
    expect(loadConfig({}).broadcasts).toEqual({ tick: '* * * * *', ratePerSec: 20, quietHours: { startMinute: 1320, endMinute: 360 }, graceMinutes: 120 });
    expect(loadConfig({ BROADCAST_QUIET_HOURS: 'off', BROADCAST_TICK: '*/10 * * * * *' }).broadcasts).toMatchObject({ quietHours: undefined, tick: '*/10 * * * * *' });
    expect(() => loadConfig({ BROADCAST_QUIET_HOURS: '22h-6h' })).toThrow(/BROADCAST_QUIET_HOURS/);
    expect(() => loadConfig({ BROADCAST_QUIET_HOURS: '06:00-06:00' })).toThrow(/BROADCAST_QUIET_HOURS/);
    expect(() => loadConfig({ BROADCAST_TICK: 'every minute' })).toThrow(/BROADCAST_TICK/);
    expect(() => loadConfig({ BROADCAST_RATE_PER_SEC: '0' })).toThrow(/BROADCAST_RATE_PER_SEC/);
    expect(() => loadConfig({ BROADCAST_GRACE_MINUTES: '-5' })).toThrow(/BROADCAST_GRACE_MINUTES/);
  });
});

describe('token bucket', () => {
  /** Virtual time: sleeping advances it, nothing waits for real. */
  function virtualTime() {
    let t = 0;
    const sleeps: number[] = [];
    return {
      now: () => t,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        t += ms;
      },
      sleeps,
      elapsed: () => t,
    };
  }

  it('lets at most the rate through: 100 takes at 20/s after the burst take 4.5 s of (virtual) time', async () => {
    const v = virtualTime();
    const bucket = createTokenBucket({ ratePerSec: 20, burst: 10, now: v.now, sleep: v.sleep });
    for (let i = 0; i < 100; i++) await bucket.take();
    // 10 immediately from the burst, then 90 at 50 ms each.
    expect(v.elapsed()).toBe(4500);
  });

  it('serves concurrent callers one at a time without exceeding the rate', async () => {
    const v = virtualTime();
    const bucket = createTokenBucket({ ratePerSec: 200, burst: 1, now: v.now, sleep: v.sleep });
    const times: number[] = [];
    await Promise.all(Array.from({ length: 50 }, () => bucket.take().then(() => times.push(v.now()))));
    expect(times).toHaveLength(50);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(5);
  });

  it('refills while idle, up to the burst only', async () => {
    const v = virtualTime();
    const bucket = createTokenBucket({ ratePerSec: 10, burst: 3, now: v.now, sleep: v.sleep });
    for (let i = 0; i < 3; i++) await bucket.take();
    expect(v.elapsed()).toBe(0);
    await v.sleep(60_000); // a long idle spell
    const before = v.elapsed();
    for (let i = 0; i < 5; i++) await bucket.take();
    expect(v.elapsed() - before).toBe(200); // 3 from the refilled burst, then 2 × 100 ms
  });
});
