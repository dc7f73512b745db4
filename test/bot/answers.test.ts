import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../src/clock.ts';
import { startTestBot, type TestBot } from '../helpers/bot.ts';
import { citizen, type Received } from '../petitions/chat.ts';

// The whole path (signed webhook → understanding → answer planner → outbox → fake Zalo): the first reply leads with
// what was asked, fits one phone screen, and comes alone (issue 15 §3).

let tb: TestBot;
beforeAll(async () => {
  tb = await startTestBot({ clock: createFakeClock('2026-11-29T03:00:00Z'), outboxPollMs: 10 });
});
afterAll(async () => {
  await tb.stop();
});

const BUTTONS = ['Hồ sơ cần chuẩn bị', 'Lệ phí & thời gian', 'Nộp trực tuyến', 'Thủ tục khác'];

/** The one message a first question gets: one screen, the four buttons, no rating question after it. */
function only(replies: Received[]): string[] {
  expect(replies).toHaveLength(1);
  const [answer] = replies;
  expect(answer!.text.length).toBeLessThanOrEqual(600);
  expect(answer!.buttons.map((b) => b.title)).toEqual(BUTTONS);
  return answer!.text.split('\n');
}

describe('first replies', () => {
  it('answer a sub-question from the note that answers it', async () => {
    const chip = only(await citizen(tb, '9301').say('cccd gắn chip còn dùng được không ad'));
    expect(chip[0]).toBe('CẤP, CẤP ĐỔI, CẤP LẠI THẺ CĂN CƯỚC');
    expect(chip[1]).toMatch(/^Lưu ý: Thẻ căn cước công dân \(CCCD, kể cả loại gắn chip\) đã cấp vẫn dùng được đến ngày hết hạn in trên thẻ/);

    const home = only(await citizen(tb, '9302').say('Mẹ tôi già yếu nằm một chỗ, không tự đi được, làm căn cước có cán bộ xuống tận nhà không?'));
    expect(home[1]).toBe('Lưu ý: Người già yếu, bệnh nặng hoặc khuyết tật không tự đi được có thể hỏi Công an xã, phường nơi ở về việc cán bộ đến làm thủ tục tại nhà.');

    const seal = only(await citizen(tb, '9303').say('cong ty tnhh moi thanh lap co phai dang ky mau con dau voi cong an khong'));
    expect(seal[0]).toBe('ĐĂNG KÝ MẪU CON DẤU MỚI');
    expect(seal[1]).toMatch(/^Lưu ý: Doanh nghiệp thông thường .* KHÔNG phải đăng ký mẫu con dấu với Công an/);
  });

  it('lead with the fee of the case the words name', async () => {
    const fee = only(await citizen(tb, '9304').say('lam lai can cuoc mat bao nhieu tien'));
    expect(fee[1]).toMatch(/^Lệ phí: Cấp lại thẻ căn cước \(mất, hư hỏng, trở lại quốc tịch\): 35\.000 đồng, áp dụng đến 31\/12\/2026/);
    expect(fee.at(-1)).toMatch(/^Nguồn: .+ \(cập nhật 01\/12\/2026\)$/);
  });

  it('answer a sub-question about the procedure just discussed, then ask about satisfaction', async () => {
    const c = citizen(tb, '9305');
    only(await c.say('đổi căn cước'));
    const next = await c.say('còn người già yếu không tự đi được thì sao');
    expect(next.map((r) => r.text)).toEqual([expect.stringMatching(/^CẤP, CẤP ĐỔI, CẤP LẠI THẺ CĂN CƯỚC\nLưu ý: Người già yếu/), 'Bạn có hài lòng với câu trả lời?']);
    expect(next[1]!.buttons).toHaveLength(2);
  });
});
