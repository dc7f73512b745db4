import { afterEach, describe, expect, it } from 'vitest';
import { matchBroadcastChoice } from '../../src/bot/handlers/broadcast-opt-out.ts';
import { createFakeClock } from '../../src/clock.ts';
import { outboxSettled, startTestBot, type TestBot } from '../helpers/bot.ts';
import { eventWith, uniqueMsgId } from '../helpers/fixtures.ts';
import { loadLexicon } from '../../src/text/lexicon.ts';
import { repos } from '../helpers/repos.ts';

// The shipped phrases (content/lexicon/replies.yaml).
const words = loadLexicon('content').replies;

describe('matchBroadcastChoice', () => {
  it.each([
    ['dừng nhận tin', 'out'],
    ['Dừng nhận tin.', 'out'],
    ['DUNG NHAN TIN', 'out'],
    ['ngừng nhận tin', 'out'],
    ['huỷ nhận tin', 'out'],
    ['hủy nhận tin!', 'out'],
    ['nhận tin', 'in'],
    ['Nhận tin lại', 'in'],
    ['nhan tin', 'in'],
    ['tiếp tục nhận tin', 'in'],
    ['bật nhận tin', 'in'],
    ['NHẬN TIN', 'in'],
  ])('%s → %s', (input, expected) => {
    expect(matchBroadcastChoice(input, words)).toBe(expected);
  });

  it.each([['nhắn tin'], ['Nhắn tin lại'], ['tôi muốn nhận tin về hộ chiếu'], ['dừng'], ['làm căn cước'], [''], ['nhận tin nhận tin nhận tin nhận tin nhận tin']])('%j is not a choice', (input) => {
    expect(matchBroadcastChoice(input, words)).toBeUndefined();
  });
});

describe('opt-out by chat, end to end', () => {
  let t: TestBot | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it('"dừng nhận tin" is answered and kept: the next broadcast skips the user; "nhận tin" brings them back', async () => {
    const clock = createFakeClock('2025-03-10T08:00:00+07:00');
    t = await startTestBot({ clock, env: { BROADCAST_TICK: '0 0 1 1 *', BROADCAST_QUIET_HOURS: 'off' } });
    const { bot } = t;
    const fake = t.fake!;
    const citizen = '8410000000000000123';
    const other = '8410000000000000456';
    const say = async (userId: string, text: string) => {
      const event = eventWith('user_send_text', { userId, msgId: uniqueMsgId(), timestamp: String(clock.now().getTime()) });
      (event.message as { text: string }).text = text;
      expect((await t!.post(event)).status).toBe(200);
      await bot.drainInbox();
      await outboxSettled(bot);
    };
    for (const id of [citizen, other]) {
      repos(bot).users.setFollower(id, true, 0);
    }
    await say(other, 'xin chào');
    await say(citizen, 'Dừng nhận tin');
    const reply = fake.sent.filter((m) => m.userId === citizen).at(-1)!;
    expect((reply.body.message as { text: string }).text).toMatch(/đã dừng nhận tin/);
    expect(bot.broadcasts.followers.isOptedOut(citizen)).toBe(true);

    const sendPost = async (sendAt: string) => {
      const id = bot.broadcasts.posts.create(
        { title: 't', body: `Tin CCHC ${sendAt}`, imageUrl: null, linkUrl: null, mode: 'message', audienceTag: null, sendAt: Date.parse(sendAt), status: 'scheduled', createdBy: 'test', approvedBy: 'test' },
        clock.now().getTime(),
      );
      clock.set(sendAt);
      await bot.broadcasts.tick();
      await bot.broadcasts.idle();
      return id;
    };
    const firstPost = await sendPost('2025-03-10T09:00:00+07:00');
    const gotFirst = (userId: string) => fake.sent.some((m) => m.userId === userId && (m.body.message as { text?: string }).text === 'Tin CCHC 2025-03-10T09:00:00+07:00');
    expect(gotFirst(other)).toBe(true);
    expect(gotFirst(citizen)).toBe(false);
    expect(bot.broadcasts.deliveries.counts(firstPost)).toMatchObject({ sent: 1 });

    await say(citizen, 'nhận tin');
    expect((fake.sent.filter((m) => m.userId === citizen).at(-1)!.body.message as { text: string }).text).toMatch(/Bạn sẽ nhận tin/);
    expect(bot.broadcasts.followers.isOptedOut(citizen)).toBe(false);
    await sendPost('2025-03-10T10:00:00+07:00');
    expect(fake.sent.some((m) => m.userId === citizen && (m.body.message as { text?: string }).text === 'Tin CCHC 2025-03-10T10:00:00+07:00')).toBe(true);
  });
});
