import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../src/clock.ts';
import type { NewPetition } from '../../src/petitions/petition-repository.ts';
import { startTestBot, type TestBot } from '../helpers/bot.ts';
import { expectRefusal } from '../helpers/refusal.ts';
import { citizen, last } from './chat.ts';
import { piiExports } from '../helpers/db-reads.ts';
import { repos } from '../helpers/repos.ts';

const ADMIN_TOKEN = 'test-admin-token-0123456789abcdefgh';
let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.stop();
  tb = undefined;
});

const start = (clock = createFakeClock('2026-03-10T02:00:00Z'), extra: Parameters<typeof startTestBot>[0] = {}) =>
  startTestBot({ clock, outboxPollMs: 10, env: { ADMIN_TOKEN }, ...extra });

function seed(userId: string, overrides: Partial<NewPetition> = {}) {
  const p = {
    userId,
    kind: 'phan_anh' as const,
    topic: 'other' as const,
    procedureId: undefined,
    content: 'Nội dung phản ánh thử nghiệm đủ dài để hợp lệ.',
    language: 'vi',
    needsTranslation: false,
    name: 'Nguyễn Văn An',
    phone: '+84912345678',
    address: 'Ấp 3, xã Mỹ Xuyên',
    consentAt: Date.now(),
    attachments: [],
    ...overrides,
  };
  return petitions().submit(p);
}
const petitions = () => tb!.bot.petitions;

async function api(method: string, path: string, body?: unknown, token: string | null = ADMIN_TOKEN) {
  const res = await fetch(`${tb!.bot.url}/admin/api${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const type = res.headers.get('content-type') ?? '';
  const json = type.includes('json') ? await res.json() : undefined;
  return { status: res.status, type, json, body: json ?? Buffer.from(await res.arrayBuffer()) };
}

describe('staff petition API', () => {
  it('needs the bearer token', async () => {
    tb = await start();
    expect((await api('GET', '/petitions', undefined, null)).status).toBe(401);
    expect((await api('GET', '/petitions', undefined, 'wrong-token-wrong-token')).status).toBe(401);
    expect((await api('GET', '/petitions')).status).toBe(200);
  });

  it('lists with filters and masks contact details in the list', async () => {
    tb = await start();
    seed('u1');
    seed('u2', { content: 'Kiến nghị về giờ làm việc buổi chiều của bộ phận một cửa.' });
    const all = await api('GET', '/petitions');
    expect(all.body).toMatchObject({ total: 2, page: 1, pageSize: 20 });
    expect(all.body.items[0]).toMatchObject({ name: 'N*** V*** A***', phone: '+8491*****78' });
    expect((await api('GET', '/petitions?q=giờ làm việc')).body.total).toBe(1);
    expect((await api('GET', '/petitions?status=answered')).body.total).toBe(0);
    expect((await api('GET', '/petitions?from=2026-03-10&to=2026-03-10')).body.total).toBe(2);
    expect((await api('GET', '/petitions?from=2026-03-11')).body.total).toBe(0);
    expectRefusal(await api('GET', '/petitions?status=bogus'), 400, 'invalid_request', 'status');
    expect((await api('GET', "/petitions?q=' OR 1=1 --")).body.total).toBe(0);
  });

  it('changes status with history, and sends the reply to the citizen', async () => {
    tb = await start();
    const c = citizen(tb, 'u3');
    await c.say('xin chào');
    const r = seed('u3');
    if (!r.ok) throw new Error('seed failed');
    const code = r.petition.code;
    expect((await api('PATCH', `/petitions/${code}`, { status: 'processing', note: 'Chuyển Đội QLHC', actor: 'can-bo-a' })).status).toBe(200);
    const answered = await api('PATCH', `/petitions/${code}`, { status: 'answered', reply: 'Phường đã trả kết quả ngày 12/3. Xin lỗi vì chậm trễ.' });
    expect(answered.status).toBe(200);
    expectRefusal(await api('PATCH', `/petitions/${code}`, { status: 'processing' }), 409, 'invalid_transition');
    const detail = (await api('GET', `/petitions/${code}`)).body;
    expect(detail.history.map((h: { from: string; to: string; actor: string }) => `${h.actor}:${h.from}->${h.to}`)).toEqual([
      'citizen:null->received',
      // A bearer caller cannot name someone else in the history: the body's actor is ignored.
      'admin-token:received->processing',
      'admin-token:processing->answered',
    ]);
    expect(detail).toMatchObject({ status: 'answered', publicReply: expect.stringMatching(/^Phường đã trả/), phone: '+84912345678' });
    await tb.bot.drainInbox();
    const { outboxSettled } = await import('../helpers/bot.ts');
    await outboxSettled(tb.bot);
    const sent = tb.fake!.messagesFor('u3').map((m) => (m.body.message as { text?: string }).text ?? '');
    // The reply, then the satisfaction question (asked once a day at most).
    expect(sent.at(-2)).toMatch(new RegExp(`^Phản hồi cho phản ánh ${code} \\(Đã trả lời\\)`));
    expect(sent.at(-1)).toBe('Bạn có hài lòng với câu trả lời?');
    // The owner sees it in a status lookup; a stranger gets the same answer as for an unknown code.
    expect(last(await c.say(`tra cứu ${code}`)).text).toMatch(/Đã trả lời\.\nTrả lời gần nhất: Phường đã trả/);
    const stranger = last(await citizen(tb, 'u4').say(`tra cứu ${code}`)).text;
    const unknown = last(await citizen(tb, 'u4').say('tra cứu PA-2026-999999')).text;
    expect(stranger).toBe(unknown.replace('PA-2026-999999', code));
  });

  it('needs a reason to reject, and refuses bad bodies', async () => {
    tb = await start();
    const r = seed('u5');
    if (!r.ok) throw new Error('seed failed');
    expectRefusal(await api('PATCH', `/petitions/${r.petition.code}`, { status: 'rejected' }), 400, 'reason_required');
    expect((await api('PATCH', `/petitions/${r.petition.code}`, { status: 'rejected', note: 'Không phải phản ánh về quy định hành chính' })).status).toBe(200);
    expectRefusal(await api('PATCH', `/petitions/${r.petition.code}`, { status: 'nope' }), 400, 'invalid_request', 'status');
    expectRefusal(await api('PATCH', '/petitions/PA-2026-000404', { status: 'processing' }), 404, 'petition_not_found');
    const raw = await fetch(`${tb.bot.url}/admin/api/petitions/${r.petition.code}`, { method: 'PATCH', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: '{bad json' });
    expectRefusal({ status: raw.status, json: await raw.json() }, 400, 'invalid_json');
  });

  it('holds a reply while Zalo\'s 7-day window is closed and delivers it after the citizen writes', async () => {
    tb = await start(undefined, { fake: { outOfWindow: new Set(['u6']) } });
    const r = seed('u6');
    if (!r.ok) throw new Error('seed failed');
    await api('PATCH', `/petitions/${r.petition.code}`, { status: 'answered', reply: 'Đã xử lý xong.' });
    const { waitFor } = await import('../helpers/bot.ts');
    // The reply and the satisfaction question both wait.
    await waitFor('the reply to be held', () => repos(tb!.bot).outbox.counts().held === 2);
    expect(tb.fake!.messagesFor('u6')).toHaveLength(0);
    tb.fake!.options.outOfWindow!.delete('u6');
    await citizen(tb, 'u6').say('alo');
    await waitFor('the held reply to arrive', () => tb!.fake!.messagesFor('u6').some((m) => String((m.body.message as { text?: string }).text).includes('Đã xử lý xong.')));
  });

  it('numbers codes per local year', async () => {
    const clock = createFakeClock('2025-12-31T16:59:00Z'); // 23:59 in Asia/Ho_Chi_Minh
    tb = await start(clock);
    const a = seed('u7');
    clock.set('2025-12-31T17:01:00Z'); // 00:01 on 1 January 2026, local
    const b = seed('u7');
    const c = seed('u8');
    expect([a, b, c].map((x) => (x.ok ? x.petition.code : x.error))).toEqual(['PA-2025-000001', 'PA-2026-000001', 'PA-2026-000002']);
  });
});

describe('exports', () => {
  const tricky = 'Dòng 1, có dấu phẩy và "ngoặc kép"\nDòng 2';

  it('CSV: BOM, CRLF, RFC 4180 quoting, formulas neutralised, personal data masked unless asked', async () => {
    tb = await start();
    seed('u1', { content: tricky });
    seed('u2', { content: '=cmd|\' /C calc\'!A0 nội dung độc hại thử nghiệm', name: '@Nguyễn', phone: '+84387654321' });
    const masked = await api('GET', '/petitions/export?format=csv&from=2026-03-01&to=2026-03-31');
    expect(masked.status).toBe(200);
    expect(masked.type).toMatch(/text\/csv/);
    const buf = masked.body as Buffer;
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = buf.toString('utf8');
    expect(text).toContain('\r\n');
    const rows = parse(text, { bom: true }) as string[][];
    expect(rows[0]).toEqual(['Mã', 'Ngày nhận', 'Loại', 'Chủ đề', 'Thủ tục', 'Nội dung', 'Họ tên', 'Điện thoại', 'Địa chỉ', 'Trạng thái', 'Ngày xử lý', 'Trả lời']);
    expect(rows[1]![5]).toBe(tricky);
    expect(rows[1]![1]).toBe('10/03/2026 09:00');
    expect(rows[1]![6]).toBe('N*** V*** A***');
    expect(rows[2]![5]!.startsWith("'=cmd")).toBe(true);
    expect(rows[2]![6]!.startsWith("'@")).toBe(true);
    expect(piiExports(tb.bot)).toHaveLength(0);

    const full = parse((await api('GET', '/petitions/export?format=csv&include_pii=true')).body.toString('utf8'), { bom: true }) as string[][];
    // A phone starts with "+", which the formula guard neutralises like any other such cell.
    expect(full[1]!.slice(6, 9)).toEqual(['Nguyễn Văn An', "'+84912345678", 'Ấp 3, xã Mỹ Xuyên']);
    expect(piiExports(tb.bot)).toEqual([{ actor: 'admin-token', format: 'csv', rows: 2 }]);
  });

  it('XLSX: Vietnamese headers, local dates as dd/mm/yyyy hh:mm, widths and a frozen header', async () => {
    tb = await start();
    seed('u1', { content: tricky });
    const res = await api('GET', '/petitions/export?format=xlsx');
    expect(res.type).toMatch(/spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((res.body as Buffer).buffer as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('Phản ánh, kiến nghị');
    expect(ws.getRow(1).getCell(1).value).toBe('Mã');
    expect(ws.getRow(1).getCell(12).value).toBe('Trả lời');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getColumn(6).width).toBe(60);
    const received = ws.getRow(2).getCell(2);
    expect(received.numFmt).toBe('dd/mm/yyyy hh:mm');
    expect((received.value as Date).toISOString()).toBe('2026-03-10T09:00:00.000Z'); // wall-clock 09:00 local
    expect(ws.getRow(2).getCell(6).value).toBe(tricky);
    expect(ws.getRow(2).getCell(7).value).toBe('N*** V*** A***');
  });

  it('the CLI writes the same export to a file', async () => {
    tb = await start();
    seed('u1');
    const out = join(tb.dir, 'export.csv');
    await promisify(execFile)(join('node_modules', '.bin', 'tsx'), ['scripts/petitions-export.ts', '--from', '2026-01-01', '--to', '2026-12-31', '--format', 'csv', '--out', out, '--include-pii'], {
      env: { ...process.env, DATABASE_PATH: tb.dbPath, LOG_LEVEL: 'silent' },
    });
    const rows = parse(readFileSync(out, 'utf8'), { bom: true }) as string[][];
    expect(rows).toHaveLength(2);
    expect(rows[1]![7]).toBe("'+84912345678");
    expect(piiExports(tb.bot)[0]?.actor).toMatch(/^cli:/);
  });
});

describe('privacy', () => {
  it('erases personal fields of petitions closed longer than the retention period, and nothing else', async () => {
    const clock = createFakeClock('2024-01-10T02:00:00Z');
    tb = await start(clock, { env: { ADMIN_TOKEN, PETITION_RETENTION_DAYS: '730' } });
    const old = seed('u1');
    const openOld = seed('u2');
    if (!old.ok || !openOld.ok) throw new Error('seed failed');
    await api('PATCH', `/petitions/${old.petition.code}`, { status: 'answered', reply: 'Đã trả lời.' });
    clock.set('2026-01-05T02:00:00Z');
    const recent = seed('u3');
    if (!recent.ok) throw new Error('seed failed');
    await api('PATCH', `/petitions/${recent.petition.code}`, { status: 'answered', reply: 'Đã trả lời.' });
    clock.set('2026-01-12T02:00:00Z'); // 733 days after the first one was closed
    expect(petitions().runRetention()).toBe(1);
    const get = (code: string) => repos(tb!.bot).petitions.byCode(code);
    expect(get(old.petition.code)).toMatchObject({ name: null, phone: null, address: null, user_id: null, content: expect.any(String), anonymized_at: expect.any(Number) });
    expect(get(openOld.petition.code)).toMatchObject({ name: 'Nguyễn Văn An', anonymized_at: null });
    expect(get(recent.petition.code)).toMatchObject({ name: 'Nguyễn Văn An', anonymized_at: null });
  });

  it('"xóa dữ liệu của tôi" and user_withdraw erase that user\'s data everywhere and confirm', async () => {
    tb = await start();
    const a = citizen(tb, 'u9');
    await a.say('làm hộ chiếu ở đâu');
    seed('u9', { attachments: [{ type: 'image', url: 'https://zalo.example/a.jpg' }] });
    seed('u10');
    const confirm = last(await a.say('xóa dữ liệu của tôi'));
    expect(confirm.text).toMatch(/Đã xóa thông tin cá nhân/);
    // Raw SQL from here on, on purpose: the point is what the tables still hold after an erasure, wherever it sits.
    const rows = tb.bot.db.prepare('SELECT user_id, name, phone FROM petitions ORDER BY id').all();
    expect(rows).toEqual([{ user_id: null, name: null, phone: null }, { user_id: 'u10', name: 'Nguyễn Văn An', phone: '+84912345678' }]);
    expect(tb.bot.db.prepare('SELECT count(*) FROM petition_attachments').pluck().get()).toBe(0);
    expect(tb.bot.db.prepare("SELECT count(*) FROM users WHERE user_id = 'u9'").pluck().get()).toBe(0);
    expect(tb.bot.db.prepare("SELECT count(*) FROM conversation_state WHERE user_id = 'u9'").pluck().get()).toBe(0);
    expect(tb.bot.db.prepare("SELECT count(*) FROM inbox WHERE payload LIKE '%hộ chiếu%'").pluck().get()).toBe(0);

    const b = citizen(tb, 'u10');
    expect(last(await b.withdraw()).text).toMatch(/Đã xóa thông tin cá nhân/);
    expect(tb.bot.db.prepare("SELECT count(*) FROM petitions WHERE user_id IS NOT NULL OR name IS NOT NULL").pluck().get()).toBe(0);
    // History is append-only and survives.
    expect(tb.bot.db.prepare('SELECT count(*) FROM petition_history').pluck().get()).toBe(2);
  });
});
