import { readFileSync } from 'node:fs';
import type { Clock } from '../../src/clock.ts';

const DIR = new URL('../fixtures/events/', import.meta.url);

/** The raw bytes of a fixture file, exactly as stored (for byte-exact signature tests). */
export function rawFixture(name: string): string {
  return readFileSync(new URL(`${name}.json`, DIR), 'utf8');
}

/** A fixture as an object, to vary ids before serialising it. */
export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(rawFixture(name)) as Record<string, unknown>;
}

export interface EventIds {
  msgId?: string;
  userId?: string;
  timestamp?: string;
}

/**
 * A copy of a fixture with its message id, user id and/or timestamp replaced, wherever the event keeps them. The
 * timestamp is now (Date.now()) unless given: the webhook refuses events more than a day old. A bot on a fake
 * clock needs `timestamp: String(bot.clock.now().getTime())`.
 */
export function eventWith(name: string, ids: EventIds): Record<string, unknown> {
  const body = fixture(name);
  const obj = (v: unknown) => v as Record<string, unknown>;
  body.timestamp = ids.timestamp ?? String(Date.now());
  if (ids.msgId !== undefined && body.message) obj(body.message).msg_id = ids.msgId;
  if (ids.userId !== undefined) {
    const name = String(body.event_name);
    if (body.follower) obj(body.follower).id = ids.userId;
    else if (name.startsWith('oa_send_') || name === 'user_received_message' || name === 'user_seen_message') obj(body.recipient).id = ids.userId;
    else if (body.sender) obj(body.sender).id = ids.userId;
    if (body.user_id !== undefined) body.user_id = ids.userId;
  }
  return body;
}

/** A few minutes after the fixtures' own timestamps (2024-11-29 02:00–02:03 UTC). */
export const FIXTURE_TIME = '2024-11-29T02:05:00Z';

/** A running clock that starts at FIXTURE_TIME: a bot on it accepts the raw fixtures, whose signed timestamps are old. */
export function fixtureClock(): Clock {
  const offset = Date.parse(FIXTURE_TIME) - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

let counter = 0;
/** A unique message id in Zalo's style (hex-ish string). */
export function uniqueMsgId(): string {
  counter += 1;
  return `${Date.now().toString(16)}${process.pid.toString(16)}${counter.toString(16).padStart(6, '0')}`;
}
