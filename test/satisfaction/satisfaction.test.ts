import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../src/clock.ts';
import { outboxSettled, startTestBot, type TestBot } from '../helpers/bot.ts';
import { citizen, last } from '../petitions/chat.ts';

const ADMIN_TOKEN = 'test-admin-token-0123456789abcdefgh';
let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.stop();
  tb = undefined;
});

describe('satisfaction index', () => {
  it('asks after a procedure answer at most once a day, stores the rating without the user, ignores repeats', async () => {
    const clock = createFakeClock('2026-11-29T03:00:00Z');
    tb = await startTestBot({ clock, outboxPollMs: 10, env: { ADMIN_TOKEN } });
    const c = citizen(tb, '9101');
    const first = await c.say('đổi căn cước hết hạn');
    const ask = last(first);
    expect(ask.text).toBe('Bạn có hài lòng với câu trả lời?');
    expect(ask.buttons).toHaveLength(5);
    // A second answer the same day comes without the question.
    expect(last(await c.say('làm hộ chiếu')).text).toMatch(/^CẤP HỘ CHIẾU/);
    expect(last(await c.tap(ask, '🙂 Hài lòng')).text).toMatch(/Cảm ơn bạn đã đánh giá/);
    expect(await c.tap(ask, '😍 Rất hài lòng')).toEqual([]);
    // A forged payload is ignored too.
    expect(await c.say('#rate:procedure:cap-ho-chieu:2026-11-29.0000000000000000:1')).toEqual([]);
    const rows = tb.bot.db.prepare('SELECT * FROM satisfaction_ratings').all() as Record<string, unknown>[];
    expect(rows).toEqual([expect.objectContaining({ score: 4, subject: 'procedure', procedure_id: 'cap-cap-doi-cap-lai-the-can-cuoc' })]);
    expect(JSON.stringify(rows)).not.toContain('9101');
    clock.advance(24 * 3600_000);
    expect(last(await c.say('đăng ký tạm trú')).text).toBe('Bạn có hài lòng với câu trả lời?');

    const report = await (await fetch(`${tb.bot.url}/admin/api/reports/satisfaction?period=2026-Q4`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json();
    expect(report).toMatchObject({ period: '2026-Q4', count: 1, average: 4, distribution: { '4': 1, '5': 0 }, bySubject: { procedure: 1, petition: 0 } });
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
