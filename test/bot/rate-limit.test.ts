import { afterEach, describe, expect, it } from 'vitest';
import { countRows, outboxSettled, startTestBot, type TestBot } from '../helpers/bot.ts';
import { uniqueMsgId } from '../helpers/fixtures.ts';

// Issue 12 (low): 300 messages from one user in 0.44 s produced 601 replies. At most 20 answered a minute per
// citizen, then one short notice; an emergency is always answered. Through the real webhook, dispatcher and outbox.

let t: TestBot | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const text = (userId: string, msg: string) => ({
  app_id: '3608465249409039670',
  event_name: 'user_send_text',
  timestamp: String(t!.bot.clock.now().getTime()),
  sender: { id: userId },
  recipient: { id: '4318000000000000001' },
  message: { msg_id: uniqueMsgId(), text: msg },
});

const repliesTo = (userId: string) => t!.fake!.messagesFor(userId).map((m) => String((m.body.message as { text?: string }).text ?? ''));

describe('per-citizen limit', () => {
  it('answers 20 of 300 messages sent at once, sends one notice, and still answers an emergency among them', async () => {
    t = await startTestBot({ outboxPollMs: 10 });
    const flooder = '7600000000000000001';
    const bodies = Array.from({ length: 300 }, (_, i) => text(flooder, i === 250 ? 'cứu với có người đang cướp xe trước nhà' : `lam cccd can j ${i}`));
    const acks = await Promise.all(bodies.map((b) => t!.post(b)));
    expect(acks.every((a) => a.status === 200)).toBe(true);
    // Someone else writing at the same time is not limited.
    expect((await t.post(text('7600000000000000002', 'xin chào'))).status).toBe(200);
    await t.bot.drainInbox();
    await outboxSettled(t.bot);

    const replies = repliesTo(flooder);
    const notices = replies.filter((r) => r.includes('quá nhiều tin nhắn'));
    const emergency = replies.filter((r) => r.includes('113') && /GỌI NGAY/.test(r));
    console.log(`per-citizen limit: 300 messages → ${replies.length} replies (${notices.length} notice, ${emergency.length} emergency)`);
    expect(notices).toHaveLength(1);
    expect(emergency.length).toBeGreaterThanOrEqual(1);
    // 20 answered messages (an answer may be one or two Zalo messages), the notice and the emergency answer.
    const keys = t.bot.db.prepare(`SELECT dedupe_key FROM outbox WHERE user_id = ?`).pluck().all(flooder) as string[];
    expect(new Set(keys.map((k) => k.split(':')[1])).size).toBe(22);
    expect(repliesTo('7600000000000000002').length).toBeGreaterThan(0);
    expect(countRows(t.bot, 'inbox', "status = 'done'")).toBe(301);
  }, 60_000);
});
