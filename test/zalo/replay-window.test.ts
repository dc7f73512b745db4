import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../src/clock.ts';
import { countRows, startTestBot, type TestBot } from '../helpers/bot.ts';
import { eventWith, uniqueMsgId } from '../helpers/fixtures.ts';

// Issue 12 (low): signed events dated 0, a year ago and a year ahead were answered. A captured request could be
// replayed for ever. The window is on Zalo's body `timestamp` (ms, covered by the MAC), against the bot's clock.

const NOW = Date.parse('2026-11-29T03:00:00Z');
const HOUR = 3600_000;
let t: TestBot;
beforeEach(async () => {
  t = await startTestBot({ clock: createFakeClock(new Date(NOW)) });
});
afterEach(async () => {
  await t.stop();
});

const at = (ms: number) => eventWith('user_send_text', { msgId: uniqueMsgId(), userId: '7500000000000000001', timestamp: String(ms) });

describe('replay window', () => {
  it.each([
    ['dated 0', 0],
    ['a year old', NOW - 365 * 24 * HOUR],
    ['a year ahead', NOW + 365 * 24 * HOUR],
    ['24 hours and a second old', NOW - 24 * HOUR - 1000],
    ['10 minutes and a second ahead', NOW + 10 * 60_000 + 1000],
  ])('refuses a correctly signed event %s with 400 and stores nothing', async (_name, ms) => {
    const res = await t.post(at(ms));
    expect(res).toEqual({ status: 400, json: { error: 'event timestamp outside the accepted window' } });
    expect(countRows(t.bot, 'inbox')).toBe(0);
  });

  it.each([
    ['just now', NOW],
    ['23 hours old (a redelivery after an outage)', NOW - 23 * HOUR],
    ['exactly 24 hours old', NOW - 24 * HOUR],
    ['9 minutes ahead (clock skew)', NOW + 9 * 60_000],
  ])('accepts an event %s', async (_name, ms) => {
    expect((await t.post(at(ms))).status).toBe(200);
    expect(countRows(t.bot, 'inbox')).toBe(1);
  });

  it('still answers 401, not the window error, to an unsigned stale event', async () => {
    expect((await t.post(at(0), null)).status).toBe(401);
  });
});
