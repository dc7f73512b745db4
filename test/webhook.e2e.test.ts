import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countRows, CREDS, outboxSettled, startTestBot, type TestBot } from './helpers/bot.ts';
import { eventWith, fixtureClock, rawFixture, uniqueMsgId, type EventIds } from './helpers/fixtures.ts';
import { inboxRows, userIds } from './helpers/db-reads.ts';
import { repos } from './helpers/repos.ts';
import { signatureHeader, zaloMac } from './helpers/sign.ts';

// The real server in live mode on a free port, a fresh SQLite file, and the small real fake of Zalo. Its clock
// runs from just after the raw fixtures' signed timestamps, so the replay window takes them.

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot({ clock: fixtureClock() });
});
/** A fixture dated now by the bot's clock. */
const fresh = (name: string, ids: EventIds = {}) => eventWith(name, { timestamp: String(t.bot.clock.now().getTime()), ...ids });
afterEach(async () => {
  await t.stop();
});

const inboxCount = () => countRows(t.bot, 'inbox');
const firstInbox = () => inboxRows(t.bot)[0];

describe('webhook signature', () => {
  it('accepts a correctly signed event with 200 and stores the raw body', async () => {
    const raw = rawFixture('user_send_text');
    const res = await t.post(raw);
    expect(res.status).toBe(200);
    expect(firstInbox()).toMatchObject({
      event_key: 'msg:user_send_text:96d3cdf3af150460909a1b2c',
      event_name: 'user_send_text',
      user_id: '2468458835291979221',
      payload: raw,
    });
  });

  it('verifies the MAC over the raw bytes (Vietnamese, emoji, escapes and whitespace kept as sent)', async () => {
    const raw = rawFixture('user_send_text_pretty');
    expect(raw).not.toBe(JSON.stringify(JSON.parse(raw))); // a re-serialised body would hash differently
    const res = await t.post(raw);
    expect(res.status).toBe(200);
    expect(inboxCount()).toBe(1);
  });

  it('accepts upper-case hex in the mac', async () => {
    const raw = rawFixture('user_send_text');
    const res = await t.post(raw, `mac=${zaloMac(CREDS.appId, raw, '1732845612345', CREDS.oaSecretKey).toUpperCase()}`);
    expect(res.status).toBe(200);
  });

  const refused: [string, (raw: string) => string | null][] = [
    ['a forged mac', () => `mac=${randomBytes(32).toString('hex')}`],
    ['no signature header', () => null],
    ['the mac of another body', (raw) => signatureHeader(raw.replace('căn cước', 'hộ chiếu'), CREDS.appId, CREDS.oaSecretKey)],
    ['a mac computed with another timestamp', (raw) => `mac=${zaloMac(CREDS.appId, raw, '1732845612346', CREDS.oaSecretKey)}`],
    ['a mac made with the app secret instead of the OA secret key', (raw) => `mac=${zaloMac(CREDS.appId, raw, '1732845612345', CREDS.appSecret)}`],
    ['a bare hex value without "mac="', (raw) => signatureHeader(raw, CREDS.appId, CREDS.oaSecretKey).slice(4)],
    ['a truncated mac', (raw) => signatureHeader(raw, CREDS.appId, CREDS.oaSecretKey).slice(0, 40)],
    ['an empty header', () => ''],
  ];
  it.each(refused)('refuses %s with 401 and stores nothing', async (_name, makeSignature) => {
    const raw = rawFixture('user_send_text');
    const res = await t.post(raw, makeSignature(raw));
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: 'unauthorized' });
    expect(inboxCount()).toBe(0);
  });

  it('refuses a body whose timestamp was changed after signing', async () => {
    const raw = rawFixture('user_send_text');
    const header = signatureHeader(raw, CREDS.appId, CREDS.oaSecretKey);
    const res = await t.post(raw.replace('"1732845612345"', '"1732845612999"'), header);
    expect(res.status).toBe(401);
    expect(inboxCount()).toBe(0);
  });

  it('answers malformed JSON with 400 and stores nothing', async () => {
    const raw = '{"event_name":"user_send_text","timestamp":"1732845612345",';
    const res = await t.post(raw, `mac=${zaloMac(CREDS.appId, raw, '1732845612345', CREDS.oaSecretKey)}`);
    expect(res.status).toBe(400);
    expect(inboxCount()).toBe(0);
  });

  it('answers a body over 1 MB with 413 and stores nothing', async () => {
    const body = fresh('user_send_text', {});
    (body.message as Record<string, unknown>).text = 'a'.repeat(1024 * 1024 + 10);
    const res = await t.post(body);
    expect(res.status).toBe(413);
    expect(inboxCount()).toBe(0);
  });

  it('accepts a body just under 1 MB', async () => {
    const body = fresh('user_send_text', {});
    (body.message as Record<string, unknown>).text = 'a'.repeat(1000 * 1000);
    const res = await t.post(body);
    expect(res.status).toBe(200);
    expect(inboxCount()).toBe(1);
  });

  it('stores an unknown event name with 200 and answers nothing', async () => {
    const res = await t.post(rawFixture('user_reacted_message'));
    expect(res.status).toBe(200);
    expect(inboxCount()).toBe(1);
    await t.bot.drainInbox();
    expect(firstInbox()).toMatchObject({ event_name: 'user_reacted_message', status: 'done' });
    expect(countRows(t.bot, 'outbox')).toBe(0);
  });

  it('never answers a bad signed shape with a 5xx', async () => {
    const raw = JSON.stringify({ event_name: 'user_send_text', timestamp: '1732845612345', sender: { id: '1' } });
    const res = await t.post(raw);
    expect(res.status).toBeLessThan(500);
    expect(res.status).toBe(400);
  });
});

describe('ids stay strings', () => {
  it('replies to a user id above 2^53 exactly as received', async () => {
    const bigId = '2468458835291979221234';
    expect(BigInt(bigId) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    const raw = JSON.stringify(fresh('user_send_text', { userId: bigId, msgId: uniqueMsgId() }));
    expect((await t.post(raw)).status).toBe(200);
    await t.bot.drainInbox();
    await outboxSettled(t.bot);
    const fake = t.fake!;
    expect(fake.sent.length).toBeGreaterThan(0);
    for (const m of fake.sent) {
      expect((m.body.recipient as Record<string, unknown>).user_id).toBe(bigId);
    }
    expect(firstInbox()!.user_id).toBe(bigId);
    expect(userIds(t.bot)).toEqual([bigId]);
  });
});

describe('ids sent as JSON numbers (issue 12, item 4)', () => {
  // Zalo documents ids as strings, but a body with bare numbers must never be rounded to a double: two citizens
  // whose ids differ only past 2^53 would become one (duplicate drop, someone else's petition, replies to a third id).
  const A = '9007199254740993';
  const B = '9007199254740992';
  const numericText = (userId: string, msgId: string, text: string) =>
    `{"app_id":${CREDS.appId},"sender":{"id":${userId}},"user_id_by_app":5521772797175877302,"recipient":{"id":3886132808788086451},` +
    `"event_name":"user_send_text","message":{"text":${JSON.stringify(text)},"msg_id":${msgId}},"timestamp":"${t.bot.clock.now().getTime()}"}`;

  it('keeps two citizens whose numeric ids differ only past 2^53 apart, and replies to each exact id', async () => {
    expect(Number(A)).toBe(Number(B)); // as doubles the two ids are the same number
    expect((await t.post(numericText(A, '12345678901234567891', 'xin chào'))).json).toEqual({ ok: true, duplicate: false });
    expect((await t.post(numericText(B, '12345678901234567893', 'xin chào'))).json).toEqual({ ok: true, duplicate: false });
    expect(inboxRows(t.bot).map((r) => r.user_id)).toEqual([A, B]);
    expect(inboxRows(t.bot).map((r) => r.event_key)).toEqual([
      'msg:user_send_text:12345678901234567891',
      'msg:user_send_text:12345678901234567893',
    ]);
    await t.bot.drainInbox();
    await outboxSettled(t.bot);
    expect(userIds(t.bot)).toEqual([B, A]);
    const recipients = new Set(t.fake!.sent.map((m) => (m.body.recipient as Record<string, unknown>).user_id));
    expect([...recipients].sort()).toEqual([B, A]);
  });

  it('reads a numeric follower id and a numeric timestamp exactly', async () => {
    const ts = String(t.bot.clock.now().getTime());
    const raw = `{"oa_id":3886132808788086451,"follower":{"id":2468458835291979221},"event_name":"follow","app_id":${CREDS.appId},"timestamp":${ts}}`;
    const res = await t.post(raw, `mac=${zaloMac(CREDS.appId, raw, ts, CREDS.oaSecretKey)}`);
    expect(res.status).toBe(200);
    expect(firstInbox()).toMatchObject({ event_key: `evt:follow:2468458835291979221:${ts}`, user_id: '2468458835291979221' });
  });
});

describe('redelivery', () => {
  it('processes an event posted twice only once and enqueues its replies once', async () => {
    const raw = JSON.stringify(fresh('user_send_text', { msgId: uniqueMsgId(), userId: '7000000000000000001' }));
    const first = await t.post(raw);
    expect(first).toEqual({ status: 200, json: { ok: true, duplicate: false } });
    await t.bot.drainInbox();
    await outboxSettled(t.bot);
    const replies = countRows(t.bot, 'outbox');
    const delivered = t.fake!.sent.length;
    expect(replies).toBeGreaterThan(0);
    expect(delivered).toBeGreaterThanOrEqual(replies);

    const second = await t.post(raw);
    expect(second).toEqual({ status: 200, json: { ok: true, duplicate: true } });
    await t.bot.drainInbox();
    await outboxSettled(t.bot);
    expect(inboxCount()).toBe(1);
    expect(countRows(t.bot, 'outbox')).toBe(replies);
    expect(t.fake!.sent.length).toBe(delivered);
  });

  it('treats the same event re-signed with another signature header as the same event', async () => {
    const raw = JSON.stringify(fresh('follow', { userId: '7000000000000000002' }));
    expect((await t.post(raw)).status).toBe(200);
    expect((await t.post(raw, signatureHeader(raw, CREDS.appId, CREDS.oaSecretKey).toUpperCase().replace('MAC=', 'mac='))).status).toBe(200);
    expect(inboxCount()).toBe(1);
  });
});

describe('every event type', () => {
  // 'silent': the platform never answers these (echoes, receipts, unfollow); 'any': the conversation decides.
  const types: [string, 'replies' | 'silent' | 'any'][] = [
    ['user_send_text', 'replies'],
    ['user_send_image', 'any'],
    ['user_send_location', 'any'],
    ['user_send_sticker', 'any'],
    ['user_send_file', 'any'],
    ['user_send_link', 'any'],
    ['user_submit_info', 'any'],
    ['follow', 'replies'],
    ['unfollow', 'silent'],
    ['user_click_chatnow', 'replies'],
    ['user_received_message', 'silent'],
    ['user_seen_message', 'silent'],
    ['user_withdraw', 'any'],
    ['oa_send_text', 'silent'],
  ];
  it.each(types)('%s is accepted, parsed and handled (%s)', async (name, expected) => {
    const res = await t.post(rawFixture(name));
    expect(res.status).toBe(200);
    await t.bot.drainInbox();
    // 'done' (not 'ignored' or 'failed') means the body parsed into a known event and its handler ran.
    expect(firstInbox()).toMatchObject({ event_name: name, status: 'done', error: null });
    const replies = countRows(t.bot, 'outbox');
    if (expected === 'silent') expect(replies).toBe(0);
    if (expected === 'replies') expect(replies).toBeGreaterThan(0);
    if (replies > 0) {
      await outboxSettled(t.bot);
      const recipients = new Set(t.fake!.sent.map((m) => (m.body.recipient as Record<string, unknown>).user_id));
      expect([...recipients]).toEqual(['2468458835291979221']);
    }
  });

  it('records an oa_send_text echo and never answers it, even from an admin', async () => {
    const res = await t.post(rawFixture('oa_send_text'));
    expect(res.status).toBe(200);
    await t.bot.drainInbox();
    await outboxSettled(t.bot);
    expect(firstInbox()).toMatchObject({
      event_key: 'msg:oa_send_text:0aa1bb2cc3dd4ee5ff607182',
      user_id: '2468458835291979221',
      status: 'done',
    });
    expect(countRows(t.bot, 'outbox')).toBe(0);
    expect(t.fake!.sent).toHaveLength(0);
    expect(countRows(t.bot, 'users')).toBe(0); // the OA writing is not the citizen interacting
  });

  it('keys events without a msg_id by name, user and timestamp', async () => {
    await t.post(rawFixture('follow'));
    await t.post(rawFixture('user_seen_message'));
    const keys = inboxRows(t.bot).map((r) => r.event_key);
    expect(keys).toEqual(['evt:follow:2468458835291979221:1732845689012', 'evt:user_seen_message:2468458835291979221:1732845723456']);
  });
});

describe('users table', () => {
  it('records the last interaction time of the citizen', async () => {
    const userId = '7000000000000000003';
    await t.post(JSON.stringify(fresh('user_send_text', { userId, msgId: uniqueMsgId(), timestamp: '1732845600000' })));
    await t.bot.drainInbox();
    const firstReceived = repos(t.bot).inbox.lastReceivedAt()!;
    expect(repos(t.bot).users.get(userId)).toMatchObject({ first_seen_at: firstReceived, last_interaction_at: firstReceived });

    await new Promise((r) => setTimeout(r, 5)); // the second message arrives strictly later
    await t.post(JSON.stringify(fresh('user_send_image', { userId, msgId: uniqueMsgId(), timestamp: '1732845700000' })));
    await t.bot.drainInbox();
    const secondReceived = repos(t.bot).inbox.lastReceivedAt()!;
    expect(secondReceived).toBeGreaterThan(firstReceived);
    expect(repos(t.bot).users.get(userId)).toMatchObject({ first_seen_at: firstReceived, last_interaction_at: secondReceived });
  });

  it('records follow and unfollow', async () => {
    const follower = () => repos(t.bot).users.get('2468458835291979221')!; // the id of both fixtures
    await t.post(rawFixture('follow'));
    await t.bot.drainInbox();
    expect(follower().is_follower).toBe(1);
    await t.post(rawFixture('unfollow'));
    await t.bot.drainInbox();
    expect(follower().is_follower).toBe(0);
  });
});
