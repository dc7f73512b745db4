import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../src/clock.ts';
import { startTestBot, type TestBot } from '../helpers/bot.ts';
import { citizen, last, type Received } from './chat.ts';
import { countFlows } from '../helpers/db-reads.ts';
import { repos } from '../helpers/repos.ts';

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.stop();
  tb = undefined;
});

const count = (what: 'petitions' | 'conversation_flows') => (what === 'petitions' ? repos(tb!.bot).petitions.list({}, 0, 0).total : countFlows(tb!.bot));
const CONTENT = 'Bộ phận một cửa Công an phường hẹn trả kết quả tạm trú đã quá 5 ngày mà chưa có, mong được xem xét.';

/** Walks a citizen from "phản ánh" to the summary; returns the summary message. */
async function intakeToSummary(c: ReturnType<typeof citizen>): Promise<Received> {
  const consent = last(await c.say('tôi muốn gửi phản ánh về thủ tục'));
  expect(consent.text).toMatch(/Bạn có đồng ý/);
  const kind = last(await c.tap(consent, 'Đồng ý'));
  const topic = last(await c.tap(kind, 'Phản ánh'));
  const askProc = last(await c.tap(topic, 'Thủ tục hành chính'));
  expect(askProc.text).toMatch(/gõ tên thủ tục/);
  const pick = last(await c.say('đăng ký tạm trú'));
  expect(pick.buttons[0]!.title).toMatch(/Đăng ký tạm trú/);
  const askContent = last(await c.tap(pick, pick.buttons[0]!.title));
  expect(askContent.text).toMatch(/20 đến 2\.000 ký tự/);
  await c.say(CONTENT.slice(0, 60));
  await c.say(CONTENT.slice(60));
  const img = last(await c.image('https://zalo.example/photo-1.jpg'));
  expect(img.text).toMatch(/Đã nhận 1 ảnh/);
  const askName = last(await c.tap(img, 'Xong'));
  expect(askName.buttons.map((b) => b.title)).toContain('Dùng thông tin Zalo');
  expect(last(await c.say('Nguyễn Văn An')).text).toMatch(/điện thoại/);
  expect(last(await c.say('0912 34'))).toMatchObject({ text: expect.stringMatching(/chưa đúng/) });
  await c.say('0912 345 678');
  return last(await c.say('Ấp 3, phường Phú Lợi'));
}

describe('petition intake in chat', () => {
  it('stores a petition with a code, attachments and history after consent and confirmation', async () => {
    tb = await startTestBot({ clock: createFakeClock('2026-03-10T02:00:00Z'), outboxPollMs: 10 });
    const c = citizen(tb, '7001');
    const summary = await intakeToSummary(c);
    expect(summary.text).toMatch(/Kiểm tra lại trước khi gửi/);
    expect(summary.text).toContain('+84912345678');
    expect(summary.text).toContain('Thủ tục: Đăng ký tạm trú');
    expect(count('petitions')).toBe(0);
    const done = last(await c.tap(summary, 'Gửi'));
    expect(done.text).toMatch(/Mã phản ánh của bạn: PA-2026-000001/);
    const { petitions } = repos(tb.bot);
    const row = petitions.list({}, 1, 0).rows[0]!;
    expect(row).toMatchObject({ code: 'PA-2026-000001', user_id: '7001', kind: 'phan_anh', topic: 'procedure', procedure_id: 'dang-ky-tam-tru', content: CONTENT.slice(0, 60) + '\n' + CONTENT.slice(60), name: 'Nguyễn Văn An', phone: '+84912345678', address: 'Ấp 3, phường Phú Lợi', status: 'received' });
    expect(petitions.attachments(row.id).map(({ type, url }) => ({ type, url }))).toEqual([{ type: 'image', url: 'https://zalo.example/photo-1.jpg' }]);
    expect(petitions.history(row.id).map(({ actor, to_status }) => ({ actor, to_status }))).toEqual([{ actor: 'citizen', to_status: 'received' }]);
    expect(count('conversation_flows')).toBe(0);
  });

  it('stores nothing when consent is refused', async () => {
    tb = await startTestBot({ outboxPollMs: 10 });
    const c = citizen(tb, '7002');
    const consent = last(await c.say('kiến nghị kéo dài giờ tiếp dân'));
    const reply = last(await c.tap(consent, 'Không đồng ý'));
    expect(reply.text).toMatch(/không lưu thông tin nào/);
    expect(count('petitions')).toBe(0);
    expect(count('conversation_flows')).toBe(0);
  });

  it('cancels at any step with "hủy"', async () => {
    tb = await startTestBot({ outboxPollMs: 10 });
    const c = citizen(tb, '7003');
    const consent = last(await c.say('phản ánh'));
    const kind = last(await c.tap(consent, 'Đồng ý'));
    const topic = last(await c.tap(kind, 'Kiến nghị'));
    await c.tap(topic, 'Vấn đề khác');
    await c.say('Đề nghị bố trí thêm ghế ngồi chờ ở bộ phận một cửa');
    expect(last(await c.say('Hủy')).text).toMatch(/Đã hủy/);
    expect(count('petitions')).toBe(0);
    expect(count('conversation_flows')).toBe(0);
  });

  it('continues after a restart, and the intake expires after 24 hours of silence', async () => {
    const clock = createFakeClock('2026-03-10T02:00:00Z');
    tb = await startTestBot({ clock, outboxPollMs: 10 });
    const dir = tb.dir;
    let c = citizen(tb, '7004');
    const consent = last(await c.say('phản ánh'));
    const kind = last(await c.tap(consent, 'Đồng ý'));
    await tb.stop(false);
    tb = await startTestBot({ clock, dir, outboxPollMs: 10 });
    c = citizen(tb, '7004');
    const topic = last(await c.tap(kind, 'Phản ánh'));
    expect(topic.text).toMatch(/liên quan đến/);
    clock.advance(25 * 3600_000);
    // The old intake is gone: the same button starts over at consent.
    const restart = last(await c.tap(topic, 'Vấn đề khác'));
    expect(restart.text).toMatch(/Bạn có đồng ý/);
  });

  it('fills contact details from Zalo\'s shared-info form', async () => {
    tb = await startTestBot({ outboxPollMs: 10 });
    const c = citizen(tb, '7005');
    const consent = last(await c.say('phản ánh'));
    const kind = last(await c.tap(consent, 'Đồng ý'));
    const topic = last(await c.tap(kind, 'Phản ánh'));
    await c.tap(topic, 'Việc làm của cán bộ');
    const more = last(await c.say('Cán bộ tiếp dân trả lời rất chậm và không hướng dẫn rõ ràng hồ sơ cần nộp.'));
    const askName = last(await c.tap(more, 'Xong'));
    const template = await c.tap(askName, 'Dùng thông tin Zalo');
    expect(template[0]!.template).toBe('request_user_info');
    const summary = last(await c.submitInfo({ name: 'Trần Thị Bình', phone: '84987654321', full_address: { user_address: 'Số 12 đường 30/4', user_ward: 'Phường 3', user_city: 'Thành phố Cần Thơ' } }));
    expect(summary.text).toMatch(/Kiểm tra lại/);
    expect(summary.text).toContain('Trần Thị Bình');
    expect(summary.text).toContain('+84987654321');
    expect(summary.text).toContain('Số 12 đường 30/4, Phường 3, Thành phố Cần Thơ');
  });

  it('warns when the text holds an ID number or a phone, and can drop that part', async () => {
    tb = await startTestBot({ outboxPollMs: 10 });
    const c = citizen(tb, '7006');
    const consent = last(await c.say('phản ánh'));
    const kind = last(await c.tap(consent, 'Đồng ý'));
    const topic = last(await c.tap(kind, 'Phản ánh'));
    await c.tap(topic, 'Vấn đề khác');
    const warn = last(await c.say('Tôi tên An, CCCD 092201001234, gọi tôi 0912345678 nhé'));
    expect(warn.text).toMatch(/số căn cước và số điện thoại/);
    const removed = last(await c.tap(warn, 'Xóa đoạn vừa gửi'));
    expect(removed.text).toMatch(/Đã xóa đoạn vừa gửi \(0\//);
    const short = last(await c.tap(removed, 'Xong'));
    expect(short.text).toMatch(/còn ngắn/);
  });

  it('answers an emergency first, even in the middle of an intake, and keeps the intake', async () => {
    tb = await startTestBot({ outboxPollMs: 10 });
    const c = citizen(tb, '7007');
    const consent = last(await c.say('phản ánh'));
    await c.tap(consent, 'Đồng ý');
    expect(last(await c.say('cháy nhà kế bên rồi')).text).toMatch(/^114/);
    expect(count('conversation_flows')).toBe(1);
  });

  it('refuses a sixth petition on the same day', async () => {
    const clock = createFakeClock('2026-05-01T03:00:00Z');
    tb = await startTestBot({ clock, outboxPollMs: 10 });
    for (let i = 0; i < 5; i++) {
      await submitQuick(citizen(tb, '7008'));
      // A minute between petitions: on a clock that stands still, 50 messages would be a flood (20 a minute at most).
      clock.advance(60_000);
    }
    expect(count('petitions')).toBe(5);
    const summary = await toSummaryQuick(citizen(tb, '7008'));
    const refused = last(await citizen(tb, '7008').tap(summary, 'Gửi'));
    expect(refused.text).toMatch(/mức tối đa trong một ngày/);
    expect(count('petitions')).toBe(5);
    clock.advance(24 * 3600_000);
    await submitQuick(citizen(tb, '7008'));
    expect(count('petitions')).toBe(6);
  });
});

async function toSummaryQuick(c: ReturnType<typeof citizen>): Promise<Received> {
  const consent = last(await c.say('phản ánh'));
  const kind = last(await c.tap(consent, 'Đồng ý'));
  const topic = last(await c.tap(kind, 'Kiến nghị'));
  await c.tap(topic, 'Vấn đề khác');
  const more = last(await c.say('Đề nghị niêm yết rõ lệ phí các thủ tục tại bộ phận một cửa.'));
  await c.tap(more, 'Xong');
  await c.say('Lê Văn Cường');
  await c.say('0387654321');
  return last(await c.say('Khóm 2, phường Vĩnh Phước'));
}

async function submitQuick(c: ReturnType<typeof citizen>): Promise<void> {
  const summary = await toSummaryQuick(c);
  const done = last(await c.tap(summary, 'Gửi'));
  expect(done.text).toMatch(/Mã phản ánh/);
}
