import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildUnits, readCentres, readCsv, slugify } from '../../scripts/lib/units-build.ts';

const REFERENCE = resolve('..', 'shared', 'reference');
const hasReference = existsSync(join(REFERENCE, 'units-2025.csv'));

const CSV = [
  'new_unit,new_type,old_unit,old_district,old_province,source_url',
  'Phường Phú Lợi,phường,Phường 2,Thành phố Sóc Trăng,Sóc Trăng,https://example.org/s1',
  'Phường Phú Lợi,phường,Phường 1,Thành phố Sóc Trăng,Sóc Trăng,https://example.org/s1',
  'Phường Bình Thủy,phường,Phường Bùi Hữu Nghĩa (một phần),Quận Bình Thủy,Cần Thơ,https://example.org/s1',
  'Phường Cái Khế,phường,Phường Bùi Hữu Nghĩa (một phần),Quận Bình Thủy,Cần Thơ,https://example.org/s1',
  'Phường Cái Khế,phường,Thị trấn Thử,Quận Bình Thủy,Cần Thơ,https://example.org/s1',
].join('\n');
const MD = '| 1 | Phường Phú Lợi (31510) | phường | … | UBND TP Sóc Trăng | S1 |  |\n| 2 | Phường Cái Khế (31120) | phường | … | UBND phường An Hòa | S1 |  |';

describe('units:import (scripts/lib/units-build.ts)', () => {
  it('builds one document per new unit with its old units, type words and centre', () => {
    const docs = buildUnits(readCsv(CSV), readCentres(MD));
    expect(docs.map((d) => d.id)).toEqual(['phuong-phu-loi', 'phuong-binh-thuy', 'phuong-cai-khe']);
    const phuLoi = docs[0]!;
    expect(phuLoi).toMatchObject({ name: 'Phường Phú Lợi', type: 'phường', code: '31510', centre: 'UBND TP Sóc Trăng', province_before: 'Sóc Trăng' });
    expect(phuLoi.old_units).toEqual([
      { name: 'Phường 2', type: 'phường', district: 'Thành phố Sóc Trăng', province: 'Sóc Trăng' },
      { name: 'Phường 1', type: 'phường', district: 'Thành phố Sóc Trăng', province: 'Sóc Trăng' },
    ]);
    expect(docs[2]!.old_units.map((o) => o.type)).toEqual(['phường', 'thị trấn']);
  });

  it('lists a split old unit under each new unit, marked, naming where the rest went', () => {
    const docs = buildUnits(readCsv(CSV), readCentres(MD));
    const binhThuy = docs[1]!.old_units[0]!;
    expect(binhThuy).toMatchObject({ name: 'Phường Bùi Hữu Nghĩa', split: true });
    expect(binhThuy.note).toContain('Phường Cái Khế');
    expect(docs[2]!.old_units[0]!.note).toContain('Phường Bình Thủy');
    // No source names the centre: null, with what is known said in the note.
    expect(docs[1]!.centre).toBeNull();
    expect(docs[1]!.centre_note).toMatch(/đang cập nhật/);
  });

  it('keeps the police block staff wrote, and seeds only the known phones, unconfirmed', () => {
    const police = { address: '12 Đường Thử', phone: ['0292 3000 000'], confirmed: true, verified_at: '2026-01-05', source: 'gọi kiểm tra' };
    const docs = buildUnits(readCsv(CSV), readCentres(MD), new Map([['phuong-phu-loi', { id: 'phuong-phu-loi', police }]]));
    expect(docs[0]!.police).toEqual(police);
    expect(docs[2]!.police).toMatchObject({ phone: ['0292 3890 379'], confirmed: false });
    expect(docs[1]!.police).toMatchObject({ phone: ['0292 3841 019'], confirmed: false });
  });

  it('slugs names the way file names are written', () => {
    expect(slugify('Xã Vị Thanh 1')).toBe('xa-vi-thanh-1');
    expect(slugify('Phường Ô Môn')).toBe('phuong-o-mon');
  });

  it.skipIf(!hasReference)('reproduces content/units from the reference files exactly', () => {
    const docs = buildUnits(readCsv(readFileSync(join(REFERENCE, 'units-2025.csv'), 'utf8')), readCentres(readFileSync(join(REFERENCE, 'units-2025.md'), 'utf8')));
    expect(docs).toHaveLength(103);
    expect(docs.reduce((n, d) => n + d.old_units.length, 0)).toBe(266);
    expect(docs.filter((d) => d.centre !== null)).toHaveLength(102);
    for (const d of docs) expect(existsSync(join('content', 'units', `${d.id}.yaml`)), d.id).toBe(true);
  });
});
