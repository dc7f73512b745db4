import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../src/clock.ts';
import { addAccount, ADMIN_TOKEN, call, loginAs, seedPetition, startConsoleBot, type StaffClient } from '../admin/console-helpers.ts';
import type { TestBot } from '../helpers/bot.ts';
import { citizen, last } from './chat.ts';

// Issue 12, item 9: phone, CCCD and email numbers that citizens type into the petition text are personal data too.
// Every masked view masks them, erasure and retention remove them, and a viewer's search cannot confirm a name.

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.stop();
  tb = undefined;
});

const SECRETS = ['079 123 456 789', '079123456789', '0987.654.321', '0987654321', '912-345-678', 'binh.tran@gmail.com'];
const CONTENT = 'CCCD của tôi 079 123 456 789, gọi 0987.654.321 hoặc +84 912-345-678, email binh.tran@gmail.com. Đường vào bộ phận một cửa bị ngập.';
const leaks = (s: string) => SECRETS.filter((x) => s.includes(x));

async function withAccounts() {
  tb = await startConsoleBot({ clock: createFakeClock('2026-03-10T02:00:00Z') });
  await addAccount(tb, 'xem.vien', 'viewer');
  await addAccount(tb, 'xu.ly', 'handler');
  return { viewer: await loginAs(tb, 'xem.vien'), handler: await loginAs(tb, 'xu.ly') };
}
const csvRows = async (as: StaffClient, query: string) => parse((await call(tb!, 'GET', `/petitions/export?format=csv${query}`, { as })).text, { bom: true }) as string[][];

describe('personal data inside free text', () => {
  it('the list (viewer and handler) masks phone, CCCD and email inside the petition text', async () => {
    const { viewer, handler } = await withAccounts();
    seedPetition(tb!, 'u1', { content: CONTENT });
    for (const as of [viewer, handler]) {
      const list = await call(tb!, 'GET', '/petitions', { as });
      expect(list.status).toBe(200);
      const content = list.json.items[0].content as string;
      expect(leaks(content)).toEqual([]);
      expect(content).toContain('Đường vào bộ phận một cửa bị ngập');
    }
    // The handler's detail is the unmasked view (the one with name and phone).
    const code = (await call(tb!, 'GET', '/petitions', { as: handler })).json.items[0].code as string;
    expect((await call(tb!, 'GET', `/petitions/${code}`, { as: handler })).json.content).toBe(CONTENT);
  });

  it('a viewer\'s search matches code, topic and the masked text, never the name, phone or a number in the text', async () => {
    const { viewer, handler } = await withAccounts();
    const p = seedPetition(tb!, 'u1', { content: CONTENT, name: 'Trần Thị Bình', phone: '+84912000111' });
    const total = async (as: StaffClient, q: string) => (await call(tb!, 'GET', `/petitions?q=${encodeURIComponent(q)}`, { as })).json.total as number;
    for (const q of ['Trần Thị Bình', 'Bình', '0987', '079 123', 'binh.tran', '+84912000111']) expect(await total(viewer, q), q).toBe(0);
    for (const q of [p.code, 'ngập', 'other']) expect(await total(viewer, q), q).toBe(1);
    // The masked export honours the same rule (a row count would otherwise confirm a name).
    expect(await csvRows(viewer, `&q=${encodeURIComponent('Trần Thị Bình')}`)).toHaveLength(1);
    // Handlers still find a petition by the citizen's name.
    expect(await total(handler, 'Trần Thị Bình')).toBe(1);
  });

  it('masked CSV and XLSX exports mask the text and the reply; the export with personal data keeps them', async () => {
    const { viewer, handler } = await withAccounts();
    const p = seedPetition(tb!, 'u1', { content: CONTENT });
    expect((await call(tb!, 'PATCH', `/petitions/${p.code}`, { as: handler, body: { status: 'answered', reply: 'Cán bộ sẽ gọi lại số 0987.654.321 của bạn.' } })).status).toBe(200);
    const masked = await csvRows(viewer, '');
    expect(masked[1]![5]).toContain('Đường vào bộ phận một cửa bị ngập');
    expect(leaks(masked[1]!.join('|'))).toEqual([]);
    const res = await fetch(`${tb!.bot.url}/admin/api/petitions/export?format=xlsx`, { headers: { cookie: viewer.cookie } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const row = wb.worksheets[0]!.getRow(2);
    expect(leaks(`${String(row.getCell(6).value)}|${String(row.getCell(12).value)}`)).toEqual([]);
    const full = await csvRows(handler, '&include_pii=true');
    expect(full[1]![5]).toBe(CONTENT);
    expect(full[1]![11]).toContain('0987.654.321');
  });

  it('erasure and retention mask the numbers in the text and replies, and the citizen\'s own name where the text repeats it', async () => {
    const clock = createFakeClock('2024-01-10T02:00:00Z');
    tb = await startConsoleBot({ clock, env: { ADMIN_TOKEN, PETITION_RETENTION_DAYS: '730' } });
    const withName = `Tôi là Trần Thị Bình. ${CONTENT}`;
    const old = seedPetition(tb, 'u1', { content: withName, name: 'Trần Thị Bình' });
    expect((await call(tb, 'PATCH', `/petitions/${old.code}`, { bearer: ADMIN_TOKEN, body: { status: 'answered', reply: 'Đã gọi số 0987654321.', note: 'Liên hệ 0987654321' } })).status).toBe(200);
    clock.set('2026-01-12T02:00:00Z');
    expect(tb.bot.petitions.runRetention()).toBe(1);
    // Raw SQL on purpose in this file: the point is what the database itself still holds, past any reader in src/.
    const get = (code: string) => tb!.bot.db.prepare('SELECT content, public_reply, name FROM petitions WHERE code = ?').get(code) as { content: string; public_reply: string; name: string | null };
    const history = (code: string) => (tb!.bot.db.prepare('SELECT coalesce(note, \'\') || \'|\' || coalesce(reply, \'\') FROM petition_history h JOIN petitions p ON p.id = h.petition_id WHERE p.code = ?').pluck().all(code) as string[]).join('\n');
    const retained = get(old.code);
    expect(retained.name).toBeNull();
    expect(leaks(`${retained.content}|${retained.public_reply}|${history(old.code)}`)).toEqual([]);
    expect(retained.content).not.toContain('Trần Thị Bình');
    expect(retained.content).toContain('Đường vào bộ phận một cửa bị ngập');

    // History stays append-only: a live petition's lines cannot change, an anonymised one's only in note and reply.
    const live = seedPetition(tb, 'u3');
    const update = (code: string, set: string) => () => tb!.bot.db.prepare(`UPDATE petition_history SET ${set} WHERE petition_id = (SELECT id FROM petitions WHERE code = ?)`).run(code);
    expect(update(live.code, "note = 'sửa'")).toThrow(/append-only/);
    expect(update(old.code, "actor = 'ai đó'")).toThrow(/append-only/);
    expect(() => tb!.bot.db.prepare('DELETE FROM petition_history').run()).toThrow(/append-only/);

    // "xóa dữ liệu của tôi": the same for every petition of that citizen.
    const mine = seedPetition(tb, 'u2', { content: withName, name: 'Trần Thị Bình' });
    expect(last(await citizen(tb, 'u2').say('xóa dữ liệu của tôi')).text).toMatch(/Đã xóa thông tin cá nhân/);
    expect(leaks(get(mine.code).content)).toEqual([]);
    expect(get(mine.code).content).not.toContain('Trần Thị Bình');
  });

  it('the unanswered-question log stores no phone, CCCD or email that a citizen typed', async () => {
    tb = await startConsoleBot();
    const c = citizen(tb, 'u3');
    await c.say('qwxz blorf 0987.654.321 binh.tran@gmail.com 079123456789');
    // Raw SQL on purpose: every stored line, not the top lines the log's own reader shows.
    const stored = (tb.bot.db.prepare('SELECT normalized FROM unanswered_questions').pluck().all() as string[]).join('\n');
    expect(stored).toContain('qwxz blorf');
    for (const x of ['0987', '654', '321', '079123456789', 'binh', 'gmail']) expect(stored, x).not.toContain(x);
  });

  it('the CSV formula guard also catches a formula after leading spaces, tabs or line breaks', async () => {
    const { viewer } = await withAccounts();
    const cells = [' =cmd|\' /C calc\'!A0 nội dung thử nghiệm đủ dài', '\t+SUM(1+1) nội dung thử nghiệm đủ dài', '\r\n-2+3 nội dung thử nghiệm đủ dài'];
    for (const [i, content] of cells.entries()) seedPetition(tb!, `u${i}`, { content });
    const rows = await csvRows(viewer, '');
    expect(rows.slice(1).map((r) => r[5]!.startsWith("'"))).toEqual([true, true, true]);
  });
});
