import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../src/clock.ts';
import { loadProcedureFiles } from '../../src/procedures/content-loader.ts';
import { startTestBot, waitFor, type TestBot } from '../helpers/bot.ts';
import { uniqueMsgId } from '../helpers/fixtures.ts';

// The whole path: signed webhook → inbox → intent layer → outbox → fake Zalo over HTTP.

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.stop();
  tb = undefined;
});

interface Sent {
  text: string;
  buttons: { title: string; type: string; payload: unknown }[];
}

/** A text event dated by the bot's clock (the webhook refuses events more than a day old, by that clock). */
function textEvent(userId: string, text: string, at = tb!.bot.clock.now().getTime()) {
  return {
    app_id: '3608465249409039670',
    event_name: 'user_send_text',
    timestamp: String(at),
    sender: { id: userId },
    recipient: { id: '4318000000000000001' },
    message: { msg_id: uniqueMsgId(), text },
  };
}

/** Sends a message and waits for `count` new replies to the user. */
async function say(userId: string, text: string, count = 1): Promise<Sent[]> {
  const before = tb!.fake!.messagesFor(userId).length;
  const res = await tb!.post(textEvent(userId, text));
  expect(res.status).toBe(200);
  const all = await waitFor(`${count} replies to "${text}"`, () => {
    const m = tb!.fake!.messagesFor(userId);
    return m.length >= before + count ? m : undefined;
  });
  return all.slice(before).map((m) => {
    const message = m.body.message as { text?: string; attachment?: { payload?: { buttons?: Sent['buttons'] } } };
    return { text: message.text ?? '', buttons: message.attachment?.payload?.buttons ?? [] };
  });
}

describe('procedure conversation', () => {
  it('answers a question with today\'s fee, the source and the four buttons', async () => {
    const clock = createFakeClock('2026-11-29T03:00:00Z');
    tb = await startTestBot({ clock, outboxPollMs: 20 });
    const [answer] = await say('9001', 'cccd het han doi o dau vay ad');
    expect(answer!.text).toMatch(/^CẤP, CẤP ĐỔI, CẤP LẠI THẺ CĂN CƯỚC/);
    expect(answer!.text).toContain('25.000 đồng');
    expect(answer!.text).toMatch(/Nguồn: .*\(cập nhật \d\d\/\d\d\/\d{4}\)/);
    expect(answer!.buttons.map((b) => b.title)).toEqual(['Hồ sơ cần chuẩn bị', 'Lệ phí & thời gian', 'Nộp trực tuyến', 'Thủ tục khác']);
    expect(answer!.buttons[2]!.type).toBe('oa.open.url');
  });

  it('takes follow-ups about the procedure just discussed, until 30 minutes of silence', async () => {
    const clock = createFakeClock('2026-11-29T03:00:00Z');
    tb = await startTestBot({ clock, outboxPollMs: 20 });
    await say('9002', 'đăng ký tạm trú'); // the answer alone: no satisfaction question under a first answer
    const [time] = await say('9002', 'mất bao lâu', 2); // the detail, then the satisfaction question (second turn)
    expect(time!.text).toMatch(/^Lệ phí & thời gian – Đăng ký tạm trú:/);
    expect(time!.text).toContain('Thời hạn giải quyết');
    const [papers] = await say('9002', 'cần giấy gì');
    expect(papers!.text).toMatch(/^Hồ sơ cần chuẩn bị – Đăng ký tạm trú:/);
    clock.advance(31 * 60_000);
    const [lost] = await say('9002', 'mất bao lâu');
    expect(lost!.text).toMatch(/thủ tục nào/);
  });

  it('offers choices when several procedures fit, and "số 2" picks the second', async () => {
    tb = await startTestBot({ outboxPollMs: 20 });
    const [choices] = await say('9003', 'cà vẹt');
    expect(choices!.text).toMatch(/^Có phải bạn muốn hỏi:\n1\. /);
    expect(choices!.buttons.length).toBeGreaterThan(1);
    expect(choices!.buttons.length).toBeLessThanOrEqual(3);
    const second = String(choices!.buttons[1]!.payload);
    const [picked] = await say('9003', 'số 2');
    const id = second.replace('#cmd:proc:', '');
    const title = loadProcedureFiles('content/procedures').procedures.find((p) => p.id === id)!.title;
    expect(picked!.text.startsWith(title.toUpperCase())).toBe(true);
    expect(picked!.buttons.some((b) => String(b.payload) === `#cmd:docs:${id}`)).toBe(true);
  });

  it('starts an emergency reply with the number, with a call button', async () => {
    tb = await startTestBot({ outboxPollMs: 20 });
    const [reply] = await say('9004', 'chay nha ke ben roi goi ai');
    expect(reply!.text).toMatch(/^114 – GỌI NGAY/);
    expect(reply!.text).toContain('không có người trực');
    expect(reply!.buttons[0]).toMatchObject({ type: 'oa.open.phone', payload: { phone_code: '114' } });
  });

  it('browses fields and procedures with at most 5 buttons per message', async () => {
    tb = await startTestBot({ outboxPollMs: 20 });
    const [fields] = await say('9005', '#cmd:procedures');
    expect(fields!.buttons.length).toBeLessThanOrEqual(5);
    expect(fields!.buttons.at(-1)!.title).toBe('Xem thêm');
    const [field] = await say('9005', String(fields!.buttons[0]!.payload));
    expect(field!.buttons.length).toBeLessThanOrEqual(5);
    const more = field!.buttons.find((b) => b.title === 'Xem thêm');
    expect(more).toBeDefined();
    const [page2] = await say('9005', String(more!.payload));
    expect(page2!.text).not.toBe(field!.text);
  });

  it('logs questions it could not answer without any user id', async () => {
    tb = await startTestBot({ outboxPollMs: 20 });
    await say('9006', 'xyzzy plugh', 2);
    await say('9007', 'Xyzzy  PLUGH!!', 2);
    const rows = tb.bot.db.prepare('SELECT * FROM unanswered_questions').all() as Record<string, unknown>[];
    expect(rows).toEqual([expect.objectContaining({ normalized: 'xyzzy plugh', count: 2 })]);
    expect(Object.keys(rows[0]!)).not.toContain('user_id');
    expect(JSON.stringify(rows)).not.toContain('9006');
  });
});
