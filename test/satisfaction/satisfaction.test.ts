import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../src/clock.ts';
import { outboxSettled, startTestBot, type TestBot } from '../helpers/bot.ts';
import { citizen, last } from '../petitions/chat.ts';
import { satisfactionRatings } from '../helpers/db-reads.ts';

const ADMIN_TOKEN = 'test-admin-token-0123456789abcdefgh';
let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.stop();
  tb = undefined;
});

describe('satisfaction index', () => {
  it('asks after the second turn on a procedure, not under the first answer, once a day, with two quick buttons', async () => {
    const clock = createFakeClock('2026-11-29T03:00:00Z');
    tb = await startTestBot({ clock, outboxPollMs: 10, env: { ADMIN_TOKEN } });
    const c = citizen(tb, '9101');
    // The first answer comes alone: no rating buttons under it.
    const first = await c.say('đổi căn cước hết hạn');
    expect(first).toHaveLength(1);
    expect(first[0]!.text).toMatch(/^CẤP, CẤP ĐỔI, CẤP LẠI THẺ CĂN CƯỚC/);
    // The second turn on the same procedure: its answer (the long fee detail comes in two Zalo messages), then the question.
    const second = await c.say('mất bao lâu');
    expect(second[0]!.text).toMatch(/^Lệ phí & thời gian – Cấp, cấp đổi, cấp lại thẻ căn cước:/);
    const ask = last(second);
    expect(ask.text).toBe('Bạn có hài lòng với câu trả lời?');
    expect(ask.buttons.map((b) => b.title)).toEqual(['👍 Có', '👎 Chưa']);
    // Not again the same day.
    expect(await c.say('cần giấy gì')).toHaveLength(1);
    expect(last(await c.say('làm hộ chiếu')).text).toMatch(/^CẤP HỘ CHIẾU/);
    expect(last(await c.tap(ask, '👍 Có')).text).toMatch(/Cảm ơn bạn đã đánh giá/);
    expect(await c.tap(ask, '👎 Chưa')).toEqual([]);
    // A forged payload is ignored too.
    expect(await c.say('#rate:procedure:cap-ho-chieu:2026-11-29.0000000000000000:1')).toEqual([]);
    const rows = satisfactionRatings(tb.bot);
    // 👍 counts as "hài lòng" (4) on the report's 1–5 scale.
    expect(rows).toEqual([expect.objectContaining({ score: 4, subject: 'procedure', procedure_id: 'cap-cap-doi-cap-lai-the-can-cuoc' })]);
    expect(JSON.stringify(rows)).not.toContain('9101');

    // The next day: a first answer alone again; opening a detail behind its buttons brings the question.
    clock.advance(24 * 3600_000);
    const answer = await c.say('đăng ký tạm trú');
    expect(answer).toHaveLength(1);
    const detail = await c.tap(answer[0], 'Lệ phí & thời gian');
    expect(detail.map((r) => r.text)).toEqual([expect.stringMatching(/^Lệ phí & thời gian – Đăng ký tạm trú:/), 'Bạn có hài lòng với câu trả lời?']);
    expect(last(await c.tap(last(detail), '👎 Chưa')).text).toMatch(/Cảm ơn bạn đã đánh giá/);

    const report = await (await fetch(`${tb.bot.url}/admin/api/reports/satisfaction?period=2026-Q4`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json();
    expect(report).toMatchObject({ period: '2026-Q4', count: 2, average: 3, distribution: { '2': 1, '4': 1, '5': 0 }, bySubject: { procedure: 2, petition: 0 } });
  });

  it('still counts a tap on an older five-face question', async () => {
    const clock = createFakeClock('2026-11-29T03:00:00Z');
    tb = await startTestBot({ clock, outboxPollMs: 10, env: { ADMIN_TOKEN } });
    const c = citizen(tb, '9103');
    const [answer] = await c.say('đăng ký tạm trú');
    const ask = last(await c.tap(answer, 'Hồ sơ cần chuẩn bị'));
    // Buttons already in citizens' chat history carry any score 1–5 with the same signature.
    const payload = String(ask.buttons[0]!.payload).replace(/:4$/, ':5');
    expect(last(await c.say(payload)).text).toMatch(/Cảm ơn bạn đã đánh giá/);
    const rows = satisfactionRatings(tb.bot).map(({ score }) => ({ score }));
    expect(rows).toEqual([{ score: 5 }]);
  });

  it('asks after a petition is answered', async () => {
    tb = await startTestBot({ outboxPollMs: 10, env: { ADMIN_TOKEN } });
    const c = citizen(tb, '9102');
    await c.say('xin chào');
    const r = tb.bot.petitions.submit({ userId: '9102', kind: 'kien_nghi', topic: 'other', procedureId: undefined, content: 'Kiến nghị mở thêm quầy tiếp nhận buổi sáng.', language: 'vi', needsTranslation: false, name: 'A B', phone: '+84912345678', address: 'Ấp 1', consentAt: Date.now(), attachments: [] });
    if (!r.ok) throw new Error('seed');
    await fetch(`${tb.bot.url}/admin/api/petitions/${r.petition.code}`, { method: 'PATCH', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ status: 'answered', reply: 'Đã bố trí thêm một quầy từ tháng sau.' }) });
    await outboxSettled(tb.bot);
    const texts = tb.fake!.messagesFor('9102').map((m) => (m.body.message as { text?: string }).text);
    expect(texts.slice(-2)).toEqual([expect.stringMatching(/^Phản hồi cho phản ánh/), 'Bạn có hài lòng với câu trả lời?']);
  });
});
