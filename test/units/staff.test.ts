import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../src/clock.ts';
import { ADMIN_TOKEN, addAccount, auditRows, call, loginAs, startConsoleBot } from '../admin/console-helpers.ts';
import { makeTempDir, type TestBot } from '../helpers/bot.ts';
import { citizen, last } from '../petitions/chat.ts';

// Staff complete a unit's police fields over the real server: validated, written to the unit's file, audited, and
// answered to the next citizen without a restart. The content is a copy (units copied, the rest linked).

const CONTENT = resolve('content');
let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.stop(true);
  tb = undefined;
});

function contentCopy(dir: string): string {
  const out = join(dir, 'content');
  mkdirSync(out);
  for (const name of readdirSync(CONTENT)) {
    if (name === 'units') cpSync(join(CONTENT, name), join(out, name), { recursive: true });
    else symlinkSync(join(CONTENT, name), join(out, name));
  }
  return out;
}

async function start() {
  const dir = makeTempDir();
  const content = contentCopy(dir);
  // 10:00 on 2 December 2026 in Cần Thơ (03:00 UTC).
  tb = await startConsoleBot({ dir, clock: createFakeClock('2026-12-02T03:00:00Z'), env: { CONTENT_DIR: content } });
  await addAccount(tb, 'bt.vien', 'editor', { displayName: 'Nguyễn Văn Viên' });
  await addAccount(tb, 'xem.dv', 'viewer');
  return { tb, content };
}

describe('staff complete the units', () => {
  it('lists units with their empty fields; an editor fills one, written, audited, and answered live', async () => {
    const { tb, content } = await start();
    const editor = await loginAs(tb, 'bt.vien');
    const list = await call(tb, 'GET', '/units', { as: await loginAs(tb, 'xem.dv') });
    expect(list.status).toBe(200);
    const before = list.json.items.find((u: { id: string }) => u.id === 'phuong-soc-trang');
    expect(before).toMatchObject({ name: 'Phường Sóc Trăng', empty: expect.arrayContaining(['address', 'phone', 'hours', 'map_url']) });
    expect(list.json.total).toBe(103);
    const dash = await call(tb, 'GET', '/dashboard', { as: editor });
    expect(dash.json.units).toEqual({ total: 103, withoutAddress: list.json.withoutAddress, withoutPhone: list.json.withoutPhone });

    const body = { address: '12 Trần Hưng Đạo, phường Sóc Trăng', phone: '0299 3822 113', hours: 'Thứ Hai – Thứ Sáu, 7:00–17:00', map_url: 'https://maps.example.vn/p/soc-trang' };
    const patched = await call(tb, 'PATCH', '/units/phuong-soc-trang', { as: editor, body });
    expect(patched.status).toBe(200);
    expect(patched.json.empty).toEqual([]);
    const file = parseYaml(readFileSync(join(content, 'units', 'phuong-soc-trang.yaml'), 'utf8'));
    expect(file.police).toMatchObject({
      address: body.address,
      phone: ['0299 3822 113'],
      hours: body.hours,
      map_url: body.map_url,
      verified_at: '2026-12-02',
      source: 'Cán bộ Nguyễn Văn Viên cập nhật qua trang quản trị',
    });
    expect(file.old_units.length).toBeGreaterThan(1);
    const again = await call(tb, 'GET', '/dashboard', { as: editor });
    expect(again.json.units.withoutAddress).toBe(list.json.withoutAddress - 1);

    await new Promise((r) => setTimeout(r, 20)); // the audit line is written when the response closes
    const rows = auditRows(tb, 'unit.update');
    expect(rows).toEqual([expect.objectContaining({ actor: 'bt.vien', role: 'editor', target: 'phuong-soc-trang' })]);
    expect(JSON.parse(rows[0]!.detail!)).toMatchObject({ address: body.address, phone: body.phone });

    const r = last(await citizen(tb, '7301').say('cong an phuong 5 soc trang o dau'));
    expect(r.text).toContain('12 Trần Hưng Đạo, phường Sóc Trăng');
    expect(r.text).toContain('0299 3822 113');
    // Entered by an officer: no longer marked unconfirmed.
    expect(r.text).not.toMatch(/12 Trần Hưng Đạo, phường Sóc Trăng[^\n]*chưa được xác nhận/);
  });

  it('refuses a bad phone, a non-https link, an unknown field, an empty change and an unknown unit; a viewer may not write', async () => {
    const { tb } = await start();
    const editor = await loginAs(tb, 'bt.vien');
    const bad = await call(tb, 'PATCH', '/units/phuong-soc-trang', { as: editor, body: { phone: '12345', map_url: 'http://maps.example.vn/x', fax: '1' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('invalid_request');
    expect(bad.json.error.fields.phone).toMatch(/^Số điện thoại phải là số điện thoại Việt Nam/);
    expect(bad.json.error.fields.map_url).toMatch(/^Liên kết bản đồ phải là địa chỉ web bắt đầu bằng https:\/\//);
    expect(bad.json.error.fields.fax).toBeDefined();
    const empty = await call(tb, 'PATCH', '/units/phuong-soc-trang', { as: editor, body: {} });
    expect(empty.json.error).toMatchObject({ code: 'nothing_to_change', message: expect.stringContaining('ít nhất một thông tin') });
    const unknown = await call(tb, 'PATCH', '/units/phuong-khong-co', { bearer: ADMIN_TOKEN, body: { hours: 'Cả tuần' } });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('unit_not_found');

    const viewer = await call(tb, 'PATCH', '/units/phuong-soc-trang', { as: await loginAs(tb, 'xem.dv'), body: { hours: 'Cả tuần' } });
    expect(viewer.status).toBe(403);
    expect(viewer.json.error.code).toBe('forbidden');
    await new Promise((r) => setTimeout(r, 20));
    expect(auditRows(tb, 'unit.update')).toEqual([]);
    expect(auditRows(tb, 'access.denied')).toEqual([expect.objectContaining({ actor: 'xem.dv', target: 'unit.update' })]);
  });
});
