import { afterEach, describe, expect, it } from 'vitest';
import { MAX_WEBHOOK_BYTES } from '../../src/zalo/webhook.ts';
import { outboxSettled, startTestBot, type TestBot } from '../helpers/bot.ts';
import { uniqueMsgId } from '../helpers/fixtures.ts';
import { citizen, last, type Received } from './chat.ts';
import { repos } from '../helpers/repos.ts';

// Issue 12, item 8: a petition draft has a size cap at intake. Each text is cut to what still fits in the
// 2,000 characters (the citizen is told how much was kept), a full draft takes no more, photos are capped, and a
// ~1 MB question outside an intake is answered from its start only.

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.stop();
  tb = undefined;
});

const draftOf = (userId: string) => {
  // now 0 and no age limit: the store's read never drops the draft it is asked for.
  return repos(tb!.bot).flows.get<{ parts: string[]; attachments: unknown[] }>(userId, 0, Infinity)!.data;
};
const chars = (d: { parts: string[] }) => d.parts.join('\n').length;

/** Walks to the content step ("Vấn đề khác": no procedure to pick). */
async function toContent(c: ReturnType<typeof citizen>): Promise<Received> {
  const consent = last(await c.say('tôi muốn gửi phản ánh'));
  const kind = last(await c.tap(consent, 'Đồng ý'));
  const topic = last(await c.tap(kind, 'Phản ánh'));
  const ask = last(await c.tap(topic, 'Vấn đề khác'));
  expect(ask.text).toMatch(/20 đến 2\.000 ký tự/);
  return ask;
}

describe('petition draft size caps', () => {
  it('keeps only what fits in 2,000 characters as the citizen types, and says how much was kept', async () => {
    tb = await startTestBot({ outboxPollMs: 10 });
    const c = citizen(tb, '7101');
    await toContent(c);
    await c.say('Phản ánh việc chậm trễ giải quyết hồ sơ tạm trú.'); // 48 characters
    const long = 'Nội dung rất dài. '.repeat(200); // 3,600 characters
    const cutReply = last(await c.say(long));
    expect(cutReply.text).toMatch(/chỉ giữ lại 1\.951 ký tự đầu của đoạn vừa gửi \(dài 3\.599 ký tự\)/);
    expect(cutReply.buttons.map((b) => b.title)).toEqual(['Xong', 'Xóa đoạn vừa gửi', 'Hủy']);
    expect(chars(draftOf('7101'))).toBe(2000);
    // Full: nothing more is stored, and the citizen is told.
    const full = last(await c.say('Thêm một câu nữa.'));
    expect(full.text).toMatch(/đã đủ 2\.000 ký tự/);
    expect(draftOf('7101').parts).toHaveLength(2);
    // Removing the cut part makes room again.
    await c.tap(full, 'Xóa đoạn vừa gửi');
    expect(last(await c.say('Cán bộ hẹn nhiều lần.')).text).toMatch(/Đã ghi \(70\/2\.000 ký tự\)/);
  });

  it('tells an English-speaking citizen in English', async () => {
    tb = await startTestBot({ outboxPollMs: 10 });
    const c = citizen(tb, '7102');
    await toContent(c);
    repos(tb.bot).users.setLanguage('7102', 'en');
    expect(last(await c.say('x'.repeat(2500))).text).toMatch(/only the first 2,000 characters of what you just sent were kept \(it had 2,500\)/);
  });

  it('keeps at most 10 photos in a draft', async () => {
    tb = await startTestBot({ outboxPollMs: 10 });
    const c = citizen(tb, '7103');
    await toContent(c);
    for (let i = 1; i <= 10; i++) await c.image(`https://zalo.example/p-${i}.jpg`);
    const over = last(await c.image('https://zalo.example/p-11.jpg'));
    expect(over.text).toMatch(/tối đa 10 ảnh: mình đã giữ 10 ảnh/);
    expect(draftOf('7103').attachments).toHaveLength(10);
  });

  it('answers a ~1 MB question outside an intake from its first 2,000 characters, and logs at most 300', async () => {
    tb = await startTestBot({ outboxPollMs: 10 });
    const envelope = 400;
    // Nonsense first, then a real question far past the cap: only the start is read, so the bot does not answer it.
    const text = `${'qwxz blorf '.repeat(300)}${'x'.repeat(MAX_WEBHOOK_BYTES - envelope - 3300 - 40)} làm hộ chiếu phổ thông ở đâu`;
    const res = await tb.post({ app_id: '3608465249409039670', event_name: 'user_send_text', timestamp: String(Date.now()), sender: { id: '7104' }, recipient: { id: '1' }, message: { msg_id: uniqueMsgId(), text } });
    expect(res.status).toBe(200);
    await tb.bot.drainInbox();
    await outboxSettled(tb.bot);
    const replies = tb.fake!.messagesFor('7104').map((m) => JSON.stringify(m.body.message));
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.join('\n')).not.toMatch(/hộ chiếu/i);
    const logged = repos(tb.bot).questions.topUnanswered(1_000).map((q) => q.normalized);
    expect(logged).toHaveLength(1);
    expect(logged[0]!.length).toBeLessThanOrEqual(300);
  });
});
