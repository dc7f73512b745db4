import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { readCsv } from '../../scripts/lib/units-build.ts';
import { checkUnits } from '../../src/units/content-check.ts';
import { loadUnitFiles, loadUnits } from '../../src/units/load.ts';
import { foldName } from '../../src/units/names.ts';
import { isVietnamesePhone } from '../../src/units/schema.ts';

const REFERENCE_CSV = resolve('..', 'shared', 'reference', 'units-2025.csv');
const TODAY = new Date('2026-03-01T03:00:00Z');

describe('content/units as shipped', () => {
  const { units, departments, issues } = loadUnitFiles('content');

  it('has the 103 units (31 phường, 72 xã) and passes every rule', () => {
    expect(issues).toEqual([]);
    expect(checkUnits('content', TODAY)).toEqual([]);
    expect(units).toHaveLength(103);
    expect(units.filter((u) => foldName(u.type) === 'phuong')).toHaveLength(31);
    expect(units.filter((u) => u.old_units.length === 0)).toEqual([]);
  });

  it('holds all 263 old units; only the three split ones appear twice, marked', () => {
    const keys = units.flatMap((u) => u.old_units.map((o) => `${o.name}|${o.district}|${o.province}`));
    expect(keys).toHaveLength(266);
    expect(new Set(keys).size).toBe(263);
    const split = units.flatMap((u) => u.old_units.filter((o) => o.split).map((o) => o.name)).sort();
    expect(split).toEqual(['Phường Bùi Hữu Nghĩa', 'Phường Bùi Hữu Nghĩa', 'Phường Long Tuyền', 'Phường Long Tuyền', 'Phường Thốt Nốt', 'Phường Thốt Nốt']);
  });

  it.skipIf(!existsSync(REFERENCE_CSV))('matches the reference conversion table row for row', () => {
    const fromCsv = readCsv(readFileSync(REFERENCE_CSV, 'utf8')).map((r) => `${r.new_unit}|${r.old_unit.replace(' (một phần)', '')}|${r.old_district}|${r.old_province}`).sort();
    const fromYaml = units.flatMap((u) => u.old_units.map((o) => `${u.name}|${o.name}|${o.district}|${o.province}`)).sort();
    expect(fromYaml).toEqual(fromCsv);
  });

  it('names a centre for 102 units and says why for the other', () => {
    expect(units.filter((u) => u.centre !== null)).toHaveLength(102);
    expect(units.filter((u) => u.centre === null).every((u) => (u.centre_note ?? '').length > 0)).toBe(true);
  });

  it('carries the departments citizens deal with, none with a made-up address', () => {
    expect(departments.map((d) => d.id)).toEqual(expect.arrayContaining(['truc-ban', 'pc06', 'pa08', 'pc08', 'pc07', 'ly-lich-tu-phap']));
    expect(departments.filter((d) => d.address.status === 'confirmed').map((d) => d.id)).toEqual(['hanh-chinh-cong']);
    expect(loadUnits('content').units).toHaveLength(103);
  });
});

describe('content:check rules for units', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const source = [{ name: 'Bảng chuyển đổi (thử)', url: 'https://example.org/s1' }];
  const old = (name: string, extra: Record<string, unknown> = {}) => ({ name, type: name.startsWith('Xã') ? 'xã' : 'phường', district: 'Huyện Thử', province: 'Sóc Trăng', ...extra });
  const unit = (id: string, name: string, olds: unknown[], extra: Record<string, unknown> = {}) => ({ id, name, type: 'xã', province_before: 'Sóc Trăng', old_units: olds, centre: 'UBND xã Thử', sources: source, ...extra });
  function check(...docs: Record<string, unknown>[]): string[] {
    dir = mkdtempSync(join(tmpdir(), 'units-'));
    mkdirSync(join(dir, 'units'));
    for (const { file, ...d } of docs) writeFileSync(join(dir, 'units', `${String(file ?? d.id)}.yaml`), stringify(d));
    return checkUnits(dir, TODAY).map((i) => i.message);
  }

  it('accepts a valid pair of units with a split old unit', () => {
    expect(check(unit('xa-a', 'Xã A', [old('Xã Một'), old('Phường Hai', { split: true, note: 'phần còn lại thuộc Xã B' })]), unit('xa-b', 'Xã B', [old('Phường Hai', { split: true, note: 'phần còn lại thuộc Xã A' })]))).toEqual([]);
  });

  it('refuses an old unit in two units unless both say split, and a split with no other half', () => {
    expect(check(unit('xa-a', 'Xã A', [old('Xã Một')]), unit('xa-b', 'Xã B', [old('Xã Một')])).join()).toMatch(/not marked split/);
    expect(check(unit('xa-a', 'Xã A', [old('Xã Một', { split: true, note: 'x' })])).join()).toMatch(/no other unit has the rest/);
  });

  it('refuses a unit without old units, a duplicate name, a wrong type word', () => {
    expect(check(unit('xa-a', 'Xã A', [])).join()).toMatch(/at least one old unit/);
    expect(check(unit('xa-a', 'Xã A', [old('Xã Một')]), unit('xa-a2', 'Xã A', [old('Xã Hai')])).join()).toMatch(/also the name/);
    expect(check(unit('xa-a', 'Phường A', [old('Xã Một')])).join()).toMatch(/begin with its type word/);
    expect(check(unit('xa-a', 'Xã A', [old('Xã Một')]), { ...unit('xa-b', 'Xã B', [old('Xã Hai')]), file: 'xa-c' }).join()).toMatch(/must match the file name/);
  });

  it('refuses phones that are not Vietnamese numbers and dates that are not real or not yet', () => {
    expect(check(unit('xa-a', 'Xã A', [old('Xã Một')], { police: { phone: '12345' } })).join()).toMatch(/Vietnamese phone/);
    expect(check(unit('xa-a', 'Xã A', [old('Xã Một')], { police: { verified_at: '2025-02-30' } })).join()).toMatch(/not a real date/);
    expect(check(unit('xa-a', 'Xã A', [old('Xã Một')], { police: { verified_at: '2026-05-01' } })).join()).toMatch(/in the future/);
    expect(check(unit('xa-a', 'Xã A', [old('Xã Một')], { police: { confirmed: true } })).join()).toMatch(/needs police.verified_at/);
    expect(check(unit('xa-a', 'Xã A', [old('Xã Một')], { police: { lat: 9.6 } })).join()).toMatch(/lat and lng/);
    expect(check(unit('xa-a', 'Xã A', [old('Xã Một')], { police: { phone: ['0292 3820 938', '0912 345 678'], verified_at: '2026-02-01', confirmed: true, lat: 9.6, lng: 105.97 } }))).toEqual([]);
  });

  it('knows Vietnamese numbers', () => {
    for (const ok of ['0292 3820 938', '0693.672130', '0912345678', '+84 292 3820 938', '113', '1900 1234']) expect(isVietnamesePhone(ok), ok).toBe(true);
    for (const bad of ['12345', '0292 38', '292 3820 938', '0292 3820 938 1', 'abc']) expect(isVietnamesePhone(bad), bad).toBe(false);
  });
});
