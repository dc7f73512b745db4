import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../helpers/bot.ts';
import { citizen } from '../petitions/chat.ts';

// Issue 15 over the real server (signed webhook → understanding → routes → outbox → fake Zalo), with wording written
// for this test (no line of any question set or of the corpus): scams warned, unlawful requests refused with the
// lawful way, danger first, a procedure question whose words sound dangerous answered with the numbers first, and an
// intake that lets another matter through.

let tb: TestBot;
beforeAll(async () => {
  tb = await startTestBot({ outboxPollMs: 10 });
});
afterAll(async () => {
  await tb.stop();
});

const texts = (replies: { text: string }[]) => replies.map((r) => r.text);

describe('understanding, safety first', () => {
  it('warns about a scam and says what to do now', async () => {
    const [reply] = await citizen(tb, '9401').say('có người nhắn tin tự xưng công an phường yêu cầu tôi bấm link cập nhật VNeID');
    expect(reply!.text).toMatch(/^⚠️ Có dấu hiệu LỪA ĐẢO/);
    expect(reply!.text).toMatch(/không bấm link/);
    expect(reply!.buttons.map((b) => b.title)).toEqual([expect.stringContaining('113')]);
  });

  it('refuses an unlawful request in one sentence, then names the lawful way', async () => {
    const [fake] = await citizen(tb, '9402').say('làm giả giấy xác nhận cư trú để con nhập học');
    expect(fake!.text.split('\n')[0]).toMatch(/giấy tờ giả .* vi phạm pháp luật/);
    expect(fake!.text).toMatch(/Cách làm hợp pháp: «Xác nhận thông tin về cư trú»/);
    expect(fake!.buttons).toHaveLength(1);

    const [data] = await citizen(tb, '9403').say('tra giúp tôi chủ của biển số 65A-123.45 là ai');
    expect(data!.text).toMatch(/^Thông tin cá nhân của người khác được pháp luật bảo vệ/);
    expect(data!.buttons).toHaveLength(0);
  });

  it('puts 114 first for a gas leak nobody phrased as a listed emergency', async () => {
    const [reply] = await citizen(tb, '9404').say('nhà hàng xóm xì gas nồng nặc, có tiếng lách tách');
    expect(reply!.text).toMatch(/^114 /);
  });

  it('answers a licence question whose words sound dangerous, with the numbers first', async () => {
    const replies = await citizen(tb, '9405').say('xin giấy phép vận chuyển vật liệu nổ công nghiệp cho công trình');
    expect(replies[0]!.text).toMatch(/^Nếu việc nguy hiểm đang xảy ra, gọi ngay: 114/);
    expect(replies[1]!.text).toMatch(/^CẤP GIẤY PHÉP VẬN CHUYỂN VẬT LIỆU NỔ CÔNG NGHIỆP/);
  });

  it('explains how to stop the news when asked in other words', async () => {
    const [reply] = await citizen(tb, '9406').say('đừng gửi tin tuyên truyền cho tôi nữa');
    expect(reply!.text).toMatch(/"dừng nhận tin"/);
  });
});

describe('context', () => {
  it('keeps the procedure of the conversation for a short follow-up that names no other', async () => {
    const c = citizen(tb, '9409');
    expect((await c.say('xin hỏi làm hộ chiếu cho con gái 8 tuổi'))[0]!.text).toMatch(/^CẤP HỘ CHIẾU/);
    // "con" (a child) must not turn into a seal ("con dấu") or the under-14 ID card.
    expect((await c.say('con bé có phải đi theo không'))[0]!.text).toMatch(/^CẤP HỘ CHIẾU/);
    // A question that names another procedure moves on.
    expect((await c.say('làm căn cước ở đâu'))[0]!.text).toMatch(/^CẤP, CẤP ĐỔI, CẤP LẠI THẺ CĂN CƯỚC/);
  });
});

describe('an intake in progress', () => {
  it('lets a tracking code and a procedure question through at the consent step, then offers to go on', async () => {
    const c = citizen(tb, '9407');
    expect(texts(await c.say('tôi muốn gửi phản ánh về thủ tục')).join('\n')).toMatch(/Bạn có đồng ý/);
    const status = await c.say('tra cứu PA-2026-000077');
    expect(status[0]!.text).toMatch(/PA-2026-000077/);
    expect(status.at(-1)!.text).toMatch(/^Bạn đang gửi phản ánh, kiến nghị dở dang/);
    expect(status.at(-1)!.buttons.map((b) => b.title)).toEqual(['Tiếp tục', 'Hủy']);

    const question = await c.say('làm hộ chiếu lần đầu cần giấy tờ gì');
    expect(question[0]!.text).toMatch(/^CẤP HỘ CHIẾU/);
    expect(question.at(-1)!.text).toMatch(/dở dang/);
    // The intake waited: "đồng ý" still answers its consent question.
    expect(texts(await c.say('đồng ý')).join('\n')).not.toMatch(/dở dang/);
  });

  it('still treats the answer to its own question as the answer, and "hủy" as cancel', async () => {
    const c = citizen(tb, '9408');
    await c.say('tôi muốn gửi phản ánh về thủ tục');
    expect(texts(await c.say('hủy')).join('\n')).toMatch(/hủy/i);
    expect(texts(await c.say('làm hộ chiếu lần đầu cần giấy tờ gì')).join('\n')).not.toMatch(/dở dang/);
  });
});
