import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { currentPeriodKey, parsePeriod } from '../../src/time.ts';
import { createFakeClock } from '../../src/clock.ts';
import type { TestBot } from '../helpers/bot.ts';
import { expectRefusal } from '../helpers/refusal.ts';
import { citizen } from '../petitions/chat.ts';
import { ADMIN_TOKEN, addAccount, call, loginAs, seedPetition, startConsoleBot } from './console-helpers.ts';

// Dashboard, content and reports: numbers from real conversations (signed webhooks), petitions and posts.

const TZ = 'Asia/Ho_Chi_Minh';
let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.stop();
  tb = undefined;
});

describe('reporting periods', () => {
  it('reads quarters, halves and years in local time', () => {
    const q2 = parsePeriod('2026-q2', TZ)!;
    expect(q2).toMatchObject({ key: '2026-Q2', kind: 'quarter', months: ['2026-04', '2026-05', '2026-06'], offsetMs: 7 * 3600_000 });
    expect(new Date(q2.from).toISOString()).toBe('2026-03-31T17:00:00.000Z');
    expect(new Date(q2.to).toISOString()).toBe('2026-06-30T17:00:00.000Z');
    const h2 = parsePeriod('2025-H2', TZ)!;
    expect(h2.months).toEqual(['2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12']);
    expect(new Date(h2.to).toISOString()).toBe('2025-12-31T17:00:00.000Z');
    expect(parsePeriod('2025', TZ)!.months).toHaveLength(12);
    for (const bad of ['2025-Q5', '2025-H3', '25', '2025-01', 'Q1-2025', '']) expect(parsePeriod(bad, TZ), bad).toBeUndefined();
    expect(currentPeriodKey(new Date('2026-06-30T17:30:00Z'), TZ, 'quarter')).toBe('2026-Q3');
    expect(currentPeriodKey(new Date('2026-06-30T16:30:00Z'), TZ, 'half')).toBe('2026-H1');
  });
});

describe('dashboard, content and reports', () => {
  async function seed() {
    const clock = createFakeClock('2026-05-20T03:00:00Z'); // Wednesday 10:00 in Cần Thơ
    // The clock jumps hours between calls: an idle timeout longer than that (this is not about sessions).
    tb = await startConsoleBot({ clock, env: { STAFF_IDLE_MINUTES: '1440' } });
    await addAccount(tb, 'xem.bc', 'viewer');
    const me = await loginAs(tb, 'xem.bc');
    const an = citizen(tb, '8001');
    const binh = citizen(tb, '8002');
    // Minutes apart, as real chats are: one person on one day is still one conversation.
    await an.say('làm căn cước cần giấy tờ gì');
    clock.advance(7 * 60_000);
    await an.say('qwxz blorf zzyzx');
    await binh.say('qwxz blorf zzyzx');
    clock.advance(13 * 60_000);
    await binh.say('hộ chiếu phổ thông lệ phí bao nhiêu');
    const a = seedPetition(tb, '8001');
    seedPetition(tb, '8002', { kind: 'kien_nghi', topic: 'procedure', content: 'Kiến nghị mở thêm quầy tiếp nhận buổi sáng thứ Bảy.' });
    clock.advance(2 * 3600_000);
    expect(tb.bot.petitions.changeStatus(a.code, { status: 'answered', reply: 'Đã khắc phục.', actor: 'xl.pa' }).ok).toBe(true);
    const created = await call(tb, 'POST', '/posts', { bearer: ADMIN_TOKEN, body: { title: 'Cấp hộ chiếu trực tuyến', body: 'Nộp hồ sơ qua Cổng dịch vụ công.', mode: 'message', sendAt: '2026-06-02T09:00:00+07:00' } });
    expect(created.status).toBe(201);
    return { clock, me, postId: created.json.id as number };
  }

  it('dashboard: messages today and this week, open and overdue petitions, unanswered questions, next posts, health', async () => {
    const { clock, me, postId } = await seed();
    // (the session ends after 12 hours: the second look logs in again)
    const d = (await call(tb!, 'GET', '/dashboard', { as: me })).json;
    expect(d.messages).toEqual({ today: 4, week: 4 });
    expect(d.conversations).toEqual({ today: 2, week: 2 });
    expect(d.petitions).toMatchObject({ byStatus: { received: 1, answered: 1 }, open: 1, overdue: 0, overdueDays: 15 });
    expect(d.unanswered.top[0]).toMatchObject({ text: expect.stringContaining('qwxz'), count: 2 });
    expect(d.nextPosts).toEqual([expect.objectContaining({ id: postId, title: 'Cấp hộ chiếu trực tuyến', sendAtLocal: '02/06/2026 09:00' })]);
    expect(d.health).toMatchObject({ lastWebhookAt: '2026-05-20T03:20:00.000Z', inboxPending: 0, token: { needsReauth: false }, outbox: { failed: 0 } });

    clock.advance(16 * 86_400_000); // 5 June: next week, and the open petition is now overdue
    const later = (await call(tb!, 'GET', '/dashboard', { as: await loginAs(tb!, 'xem.bc') })).json;
    expect(later.messages).toEqual({ today: 0, week: 0 });
    expect(later.petitions).toMatchObject({ open: 1, overdue: 1, oldestOverdue: [expect.objectContaining({ status: 'received' })] });
    expect(later.nextPosts).toEqual([]);
  });

  it('content: unanswered questions most frequent first; procedures with verified_at and a stale flag past 180 days', async () => {
    const { me } = await seed();
    const unanswered = (await call(tb!, 'GET', '/content/unanswered', { as: me })).json.items;
    expect(unanswered[0]).toMatchObject({ count: 2, text: expect.stringContaining('qwxz') });
    const counts = unanswered.map((q: { count: number }) => q.count);
    expect(counts).toEqual([...counts].sort((x, y) => y - x));
    const procedures = (await call(tb!, 'GET', '/content/procedures', { as: me })).json;
    expect(procedures.staleAfterDays).toBe(180);
    expect(procedures.today).toBe('2026-05-20');
    expect(procedures.items.length).toBeGreaterThan(30);
    for (const p of procedures.items) {
      expect(p.verifiedAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(p.ageDays).toBe(Math.floor((Date.parse('2026-05-20') - Date.parse(p.verifiedAt)) / 86_400_000));
      expect(p.stale).toBe(p.ageDays > 180);
    }
    const dates = procedures.items.map((p: { verifiedAt: string }) => p.verifiedAt);
    expect(dates).toEqual([...dates].sort());
  });

  it('report of a quarter: conversations, answered vs not, top procedures, petitions, posts; XLSX download', async () => {
    const { me } = await seed();
    const r = (await call(tb!, 'GET', '/reports/summary?period=2026-Q2', { as: me })).json;
    expect(r.period).toEqual({ key: '2026-Q2', kind: 'quarter', from: '2026-04-01', to: '2026-06-30', timeZone: TZ, months: ['2026-04', '2026-05', '2026-06'] });
    expect(r.conversations).toEqual({
      total: 2,
      messages: 4,
      byMonth: [
        { month: '2026-04', conversations: 0, messages: 0 },
        { month: '2026-05', conversations: 2, messages: 4 },
        { month: '2026-06', conversations: 0, messages: 0 },
      ],
    });
    expect(r.questions).toEqual({ answered: 2, unanswered: 2, answeredRate: 50 });
    expect(r.topProcedures.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining(['cap-cap-doi-cap-lai-the-can-cuoc']));
    expect(r.topProcedures[0]).toMatchObject({ title: expect.any(String), count: 1 });
    expect(r.petitions).toMatchObject({
      received: 2,
      byKind: expect.arrayContaining([{ key: 'phan_anh', n: 1 }, { key: 'kien_nghi', n: 1 }]),
      byStatus: expect.arrayContaining([{ key: 'answered', n: 1 }, { key: 'received', n: 1 }]),
      closed: 1,
      averageHandlingHours: 2,
    });
    expect(r.posts).toMatchObject({ total: 1, sent: 0, byStatus: [{ key: 'scheduled', n: 1 }], byMonth: [{ posts: 0 }, { posts: 0 }, { month: '2026-06', posts: 1, delivered: 0 }] });

    const empty = (await call(tb!, 'GET', '/reports/summary?period=2026-Q1', { as: me })).json;
    expect(empty).toMatchObject({ conversations: { total: 0, messages: 0 }, questions: { answeredRate: null }, petitions: { received: 0, averageHandlingHours: null }, posts: { total: 0 } });
    expect((await call(tb!, 'GET', '/reports/summary', { as: me })).json.period.key).toBe('2026-Q2');
    expectRefusal(await call(tb!, 'GET', '/reports/summary?period=2026-Q9', { as: me }), 400, 'invalid_request', 'period');

    const res = await fetch(`${tb!.bot.url}/admin/api/reports/summary.xlsx?period=2026-H1`, { headers: { cookie: me.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="bao-cao_2026-H1.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Tổng hợp', 'Theo tháng', 'Thủ tục hỏi nhiều', 'Phản ánh, kiến nghị', 'Bài đăng']);
    const summary = wb.getWorksheet('Tổng hợp')!;
    const values = new Map<string, unknown>();
    summary.eachRow((row) => values.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(values.get('Kỳ báo cáo')).toBe('2026-H1');
    expect(values.get('Số cuộc trò chuyện')).toBe(2);
    expect(values.get('Thời gian xử lý trung bình (giờ)')).toBe(2);
    expect(wb.getWorksheet('Theo tháng')!.rowCount).toBe(7);
    expect(wb.getWorksheet('Bài đăng')!.getRow(2).getCell(2).value).toBe('Cấp hộ chiếu trực tuyến');
  });
});

describe('plan import from the console', () => {
  it('lists content/plans, imports once, and accepts an uploaded plan', async () => {
    tb = await startConsoleBot({ clock: createFakeClock('2025-01-10T02:00:00Z') });
    await addAccount(tb, 'bt.pv01', 'editor');
    const me = await loginAs(tb, 'bt.pv01');
    const plans = (await call(tb, 'GET', '/plans', { as: me })).json.items;
    expect(plans).toEqual([expect.objectContaining({ file: '2025.yaml', id: 'kh-41-cat-2025', items: 10, imported: 0, error: null })]);
    const first = await call(tb, 'POST', '/plans/import', { as: me, body: { file: '2025.yaml' } });
    expect(first.json).toMatchObject({ plan: { id: 'kh-41-cat-2025' }, created: 10, existing: 0 });
    expect((await call(tb, 'POST', '/plans/import', { as: me, body: { file: '2025.yaml' } })).json).toMatchObject({ created: 0, existing: 10 });
    expect((await call(tb, 'GET', '/plans', { as: me })).json.items[0].imported).toBe(10);
    expectRefusal(await call(tb, 'POST', '/plans/import', { as: me, body: { file: '../../etc/passwd' } }), 400, 'invalid_request');
    expectRefusal(await call(tb, 'POST', '/plans/import', { as: me, body: { file: 'khong-co.yaml' } }), 400, 'plan_unreadable');
    expectRefusal(await call(tb, 'POST', '/plans/import', { as: me, body: { yaml: 'plan: [' } }), 400, 'plan_syntax');

    const yaml = [
      'plan: { id: thu-nghiem, title: Kế hoạch thử nghiệm, year: 2025 }',
      'items:',
      '  - no: 1',
      '    topic: Tuyên truyền đăng ký cư trú trực tuyến.',
      '    lead_units: [PV01]',
      '    period: { from: "2025-03", to: "2025-03", text: Tháng 3/2025 }',
    ].join('\n');
    const uploaded = await call(tb, 'POST', '/plans/import', { as: me, body: { yaml } });
    expect(uploaded.json).toMatchObject({ plan: { id: 'thu-nghiem' }, created: 1, items: [{ no: 1, created: true, sendAtLocal: '05/03/2025 09:00' }] });
    const broken = await call(tb, 'POST', '/plans/import', { as: me, body: { yaml: 'plan: {}\nitems: []' } });
    // Each wrong field of the file by its path, in Vietnamese; never the temporary file's path.
    expectRefusal(broken, 400, 'invalid_plan', 'plan.id');
    expect(broken.json.error.fields).toMatchObject({ 'plan.title': expect.any(String), items: expect.stringMatching(/ít nhất 1 mục/) });
    expect(broken.text).not.toMatch(/plan-upload-/);
  });
});
