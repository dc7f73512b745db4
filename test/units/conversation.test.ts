import { afterEach, describe, expect, it } from 'vitest';
import { createUnitHandlers } from '../../src/bot/handlers/units.ts';
import type { BotContext } from '../../src/bot/context.ts';
import { createI18n } from '../../src/i18n/index.ts';
import { loadUnits } from '../../src/units/load.ts';
import { createPlaceIndex } from '../../src/units/place-index.ts';
import { outboxSettled, startTestBot, type TestBot } from '../helpers/bot.ts';
import { eventWith, uniqueMsgId } from '../helpers/fixtures.ts';
import { citizen, last } from '../petitions/chat.ts';

// "Where is my commune police" over the real server: signed webhook → route `unit` → fake Zalo.

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.stop(true);
  tb = undefined;
});

describe('units conversation', () => {
  it('names the ward police serving an old ward now, says what is not known, the centre and who to ask', async () => {
    tb = await startTestBot({ outboxPollMs: 20 });
    const c = citizen(tb, '7101');
    const r = last(await c.say('cong an phuong 5 soc trang o dau'));
    expect(r.text).toContain('Phường 5 cũ của TP Sóc Trăng nay thuộc phường Sóc Trăng.');
    expect(r.text).toContain('Công an phường Sóc Trăng (gồm phường 5, 6, 7, 8 cũ của TP Sóc Trăng)');
    expect(r.text).toContain('chưa có địa chỉ được xác nhận');
    expect(r.text).toContain('chưa có số điện thoại được xác nhận');
    expect(r.text).toContain('UBND phường 6');
    // No hotline configured: the duty desk, marked as one source, and 113.
    expect(r.text).toMatch(/trực ban .*0693 672 010 \(theo một nguồn, chưa kiểm chứng\)/);
    expect(r.buttons.map((b) => b.title)).toEqual(['Gọi 113']);
  });

  it('shows a known phone marked unconfirmed, and the configured hotline', async () => {
    tb = await startTestBot({ outboxPollMs: 20, env: { UNIT_HOTLINE: '0292 3999 999' } });
    const c = citizen(tb, '7102');
    const r = last(await c.say('công an phường Ninh Kiều ở đâu'));
    expect(r.text).toContain('• Điện thoại: 0292 3820 938 (chưa được xác nhận)');
    expect(r.text).toContain('Đường dây nóng Công an thành phố Cần Thơ: 0292 3999 999.');
    expect(r.buttons.map((b) => b.type)).toEqual(['oa.open.phone', 'oa.open.phone']);
  });

  it('asks which "Phường 1" with one button per old town, and a tap answers', async () => {
    tb = await startTestBot({ outboxPollMs: 20 });
    const c = citizen(tb, '7103');
    const q = last(await c.say('Phường 1'));
    expect(q.text).toMatch(/^«Phường 1» có ở 4 nơi trước khi sắp xếp/);
    expect(q.text).toContain('• phường 1 – TX Vĩnh Châu → phường Vĩnh Châu');
    expect(q.buttons.map((b) => b.title).sort()).toEqual(['Phường 1 – TP Sóc Trăng', 'Phường 1 – TX Ngã Năm', 'Phường 1 – TX Vĩnh Châu', 'Phường I – TP Vị Thanh']);
    const a = last(await c.tap(q, 'Phường 1 – TX Vĩnh Châu'));
    expect(a.text).toContain('Công an phường Vĩnh Châu (gồm phường 1, 2, xã Lạc Hòa cũ của TX Vĩnh Châu)');
    // Typed with its old town, no question.
    expect(last(await c.say('phường 1 vị thanh ở đâu')).text).toContain('Công an phường Vị Thanh');
  });

  it('lists the communes of an old district, each with what it took, and a tap opens one', async () => {
    tb = await startTestBot({ outboxPollMs: 20 });
    const c = citizen(tb, '7104');
    const d = last(await c.say('huyện Trần Đề cũ'));
    expect(d.text).toMatch(/^Huyện Trần Đề cũ \(Sóc Trăng\) nay gồm 5 xã, phường:/);
    expect(d.text).toContain('• xã Trần Đề: xã Đại Ân 2, Trung Bình, thị trấn Trần Đề');
    expect(d.text).toContain('Từ 1/3/2025 không còn công an huyện');
    expect(d.buttons).toHaveLength(5);
    const a = last(await c.tap(d, 'Xã Tài Văn'));
    expect(a.text).toContain('Công an xã Tài Văn (gồm xã Tài Văn, Viên An cũ của huyện Trần Đề)');
  });

  it('answers a where-question about a commune-level procedure with the unit, and its card behind a button', async () => {
    tb = await startTestBot({ outboxPollMs: 20 });
    const c = citizen(tb, '7105');
    const r = last(await c.say('tôi ở thị trấn Long Phú cũ làm căn cước ở đâu'));
    expect(r.text).toMatch(/^«Cấp, cấp đổi, cấp lại thẻ căn cước» – nơi làm: /);
    expect(r.text).toContain('Thị trấn Long Phú cũ của huyện Long Phú nay thuộc xã Long Phú.');
    expect(r.text).toContain('Công an xã Long Phú (gồm thị trấn Long Phú, xã Long Phú cũ của huyện Long Phú)');
    const [card] = await c.tap(r, 'Xem thủ tục');
    expect(card!.text).toMatch(/^CẤP, CẤP ĐỔI, CẤP LẠI THẺ CĂN CƯỚC/);
    // "Tôi ở …" was remembered: a commune-level procedure answer now names the citizen's unit after the card.
    const [answer, yours] = await c.say('làm căn cước ở đâu');
    expect(answer!.text).toMatch(/^CẤP, CẤP ĐỔI, CẤP LẠI THẺ CĂN CƯỚC/);
    expect(yours!.text).toBe('📍 Công an xã, phường của bạn: Công an xã Long Phú (gồm thị trấn Long Phú, xã Long Phú cũ của huyện Long Phú).');
  });

  it('answers a bare unit name, an unchanged commune, a department, an unknown name, and English', async () => {
    tb = await startTestBot({ outboxPollMs: 20 });
    const c = citizen(tb, '7106');
    expect(last(await c.say('xã Lai Hòa')).text).toContain('Công an xã Lai Hòa (xã Lai Hòa cũ của TX Vĩnh Châu, giữ nguyên sau sắp xếp)');
    const pa08 = last(await c.say('phòng xuất nhập cảnh cần thơ ở đâu'));
    expect(pa08.text).toMatch(/^Phòng Quản lý xuất nhập cảnh \(PA08\)/);
    expect(pa08.text).toContain('chưa tìm thấy địa chỉ sau sáp nhập');
    expect(last(await c.say('cong an xa Cai Cao cu gio sap nhap ve dau')).text).toMatch(/^Mình chưa tìm thấy «cai cao»/);
    const [en] = await c.say('Where is the police station for Cai Khe ward?');
    expect(en!.text).toContain('Police of phường Cái Khế (made of the former phường Cái Khế, An Hòa of Ninh Kiều urban district; the former phường Bùi Hữu Nghĩa (part of it) of Bình Thủy urban district)');
    expect(en!.text).toContain('• Phone: 0292 3890 379 (not confirmed)');
  });

  it('answers a shared location by asking for the commune name', async () => {
    tb = await startTestBot({ outboxPollMs: 20 });
    const body = eventWith('user_send_location', { userId: '7107', msgId: uniqueMsgId(), timestamp: String(tb.bot.clock.now().getTime()) });
    expect((await tb.post(body)).status).toBe(200);
    await tb.bot.drainInbox();
    await outboxSettled(tb.bot);
    const sent = tb.fake!.messagesFor('7107').map((m) => (m.body.message as { text?: string }).text ?? '');
    expect(sent.at(-1)).toMatch(/^Cảm ơn bạn đã gửi vị trí\. Mình chưa có vị trí trụ sở công an xã, phường/);
    expect(sent.at(-1)).toContain('113');
  });
});

describe("units: the citizen's own unit", () => {
  const texts = (r: { text: string }[]) => r.map((m) => m.text);

  it('asks once when a commune-level answer depends on it, remembers the reply, names it, changes and erases it', async () => {
    tb = await startTestBot({ outboxPollMs: 20 });
    const c = citizen(tb, '7201');
    const first = texts(await c.say('đăng ký thường trú ở đâu'));
    expect(first[0]).toMatch(/^ĐĂNG KÝ THƯỜNG TRÚ/);
    expect(first.at(-1)).toMatch(/^Bạn ở xã, phường nào\?/);
    // Asked once only.
    expect(texts(await c.say('đăng ký thường trú ở đâu')).some((t) => t.startsWith('Bạn ở xã, phường nào'))).toBe(false);
    // The reply to the question: remembered, and said so.
    const reply = last(await c.say('phường 5 sóc trăng'));
    expect(reply.text).toContain('Công an phường Sóc Trăng (gồm phường 5, 6, 7, 8 cũ của TP Sóc Trăng)');
    expect(reply.text).toContain('Mình đã ghi nhớ phường Sóc Trăng là nơi bạn ở');
    expect(reply.buttons.map((b) => b.title)).toContain('Tôi ở xã khác');
    // A commune-level procedure now names the citizen's unit; a provincial one does not.
    const named = await c.say('đăng ký tạm trú');
    expect(named[0]!.text).toMatch(/^ĐĂNG KÝ TẠM TRÚ/);
    expect(named[1]).toMatchObject({ text: '📍 Công an xã, phường của bạn: Công an phường Sóc Trăng (gồm phường 5, 6, 7, 8 cũ của TP Sóc Trăng).' });
    expect(named[1]!.buttons.map((b) => b.title)).toEqual(['Địa chỉ, điện thoại', 'Tôi ở xã khác']);
    expect(texts(await c.say('làm hộ chiếu')).some((t) => t.startsWith('📍'))).toBe(false);
    // "Tôi ở xã khác": forgotten, and the next commune typed is the new one.
    expect(last(await c.say('tôi ở xã khác')).text).toMatch(/^Mình đã bỏ xã, phường đã ghi nhớ/);
    expect(texts(await c.say('đăng ký tạm trú')).some((t) => t.startsWith('📍'))).toBe(false);
    expect(last(await c.say('xã Lai Hòa')).text).toContain('Mình đã ghi nhớ xã Lai Hòa là nơi bạn ở');
    expect(texts(await c.say('đăng ký tạm trú')).some((t) => t.includes('Công an xã Lai Hòa'))).toBe(true);
    // Erasure takes it with the rest.
    await c.say('xóa dữ liệu của tôi');
    expect(texts(await c.say('đăng ký tạm trú')).some((t) => t.startsWith('📍'))).toBe(false);
  });

  it('remembers "tôi ở …" said with a where-question, and a unit tapped right after the question', async () => {
    tb = await startTestBot({ outboxPollMs: 20 });
    const c = citizen(tb, '7202');
    expect(last(await c.say('tôi ở xã Đại Tâm cũ, công an ở đâu')).text).toContain('Mình đã ghi nhớ phường Mỹ Xuyên là nơi bạn ở');
    const d = citizen(tb, '7203');
    await d.say('đăng ký thường trú ở đâu');
    const q = last(await d.say('Phường 1'));
    expect(last(await d.tap(q, 'Phường 1 – TX Ngã Năm')).text).toContain('Mình đã ghi nhớ phường Ngã Năm là nơi bạn ở');
    // Without the bot's question, a tapped or bare name is only looked up.
    const e = citizen(tb, '7204');
    expect(last(await e.say('xã Lai Hòa')).text).not.toContain('ghi nhớ');
  });
});

describe('units: the nearest unit once units carry coordinates', () => {
  const { units, departments } = loadUnits('content');
  const t = createI18n({ unitName: 'Công an thành phố Cần Thơ' }).forLanguage('vi');
  const ctxAt = (lat: string, lng: string) =>
    ({ event: { type: 'location', eventName: 'user_send_location', timestamp: '0', userId: 'u', msgId: 'm', latitude: lat, longitude: lng }, t, text: '', userId: 'u', language: 'vi', now: new Date(), payload: undefined, understanding: undefined, flow: undefined, storedLanguage: 'vi' }) as unknown as BotContext;

  it('names the unit nearest to the shared point, with its distance', () => {
    const placed = units.map((u) => (u.id === 'phuong-phu-loi' ? { ...u, police: { confirmed: false, lat: 9.6025, lng: 105.9739 } } : u.id === 'phuong-ninh-kieu' ? { ...u, police: { confirmed: false, lat: 10.0341, lng: 105.7876 } } : u));
    const store = { get: () => ({ unitId: undefined, askedAt: undefined }), set: () => undefined, asked: () => undefined, clear: () => undefined };
    const handlers = createUnitHandlers({ index: createPlaceIndex(placed, departments), hotline: undefined, procedure: () => undefined, store });
    const out = handlers.location(ctxAt('9.6100', '105.9800'));
    expect(out.unit).toEqual({ id: 'phuong-phu-loi', name: 'Phường Phú Lợi' });
    expect(out.replies[0]).toMatchObject({ text: expect.stringMatching(/^Gần vị trí bạn gửi nhất là trụ sở Công an phường Phú Lợi \(khoảng 1\.\d km/) });
  });
});
