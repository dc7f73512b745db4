// Builds content/units/*.yaml from the reference conversion table (units-2025.csv: one row per old unit → new unit)
// and the centres named in units-2025.md. Pure: the CLI (scripts/units-import.ts) reads and writes the files.
// What staff add by hand (the `police` block: address, phone, hours, map link, coordinates, verification) is kept.
import { parse as parseCsv } from 'csv-parse/sync';
import { normalizeText } from '../../src/text/normalize.ts';

/** The national statistics office's conversion table (S1 in units-2025.md), as the CSV's source_url names it. */
export const S1_NAME = 'Bảng chuyển đổi đơn vị hành chính mới – cũ (Cục Thống kê), bản sao trên GitHub';
/** The Interior Ministry's merger lookup (S2), scraped 2025-07-17, where the centres come from. */
export const S2_NAME = 'Cổng tra cứu sắp xếp đơn vị hành chính sapnhap.bando.com.vn (Bộ Nội vụ), bản thu thập ngày 17/7/2025';
export const S2_URL = 'https://github.com/tranngocminhhieu/vietnamadminunits/blob/780c27980afdae76d5c6e7b252955f6b571f34ca/data/raw/sapnhap.bando.com.vn_ward_2025-07-17.csv';

/** The hotline page the seven known commune phones were transcribed from (units-2025.md §3, single source). */
const PHONE_SOURCE = 'https://github.com/phucbeo223/Local-Project-For-Student-Room/blob/513dcae4099007459035b2f60da2290690c45065/Data/cantho_contacts.md (chép lại trang https://congan.cantho.gov.vn/page/)';
const PHONE_NOTE = 'Một nguồn duy nhất (bản chép lại trang đường dây nóng của Công an thành phố), chưa gọi thử.';

/**
 * The only commune police phones any source gives (units-2025.md §3, all in the old TP Cần Thơ). Seeded as not
 * confirmed; a police block staff already wrote is never replaced.
 */
const KNOWN_PHONES: Record<string, { phone: string[]; note?: string }> = {
  'Phường Ninh Kiều': { phone: ['0292 3820 938'] },
  'Phường An Bình': { phone: ['0292 3846 024'], note: 'Một nguồn khác ghi 0292 3846 113, không khớp với trang chính thức nên không dùng.' },
  'Phường Tân An': { phone: ['0292 3894 939', '0292 3838 025'] },
  'Phường Cái Khế': { phone: ['0292 3890 379'] },
  'Phường Bình Thủy': { phone: ['0292 3841 019'] },
  'Phường Cái Răng': { phone: ['0292 3836 205'] },
  'Phường Hưng Phú': { phone: ['0292 3916 009', '0292 3836 311', '0292 3916 555'] },
};

/** Centres no source names: what is known instead (units-2025.md §1.3, Bình Thủy). */
const CENTRE_NOTES: Record<string, string> = {
  'Phường Bình Thủy':
    'Cổng tra cứu của Bộ Nội vụ ghi "đang cập nhật". Phương án tháng 4/2025 đặt trung tâm tại trụ sở UBND quận Bình Thủy cũ; đó chỉ là phương án, chưa xác nhận cho kết quả cuối cùng.',
};

export interface CsvRow {
  new_unit: string;
  new_type: string;
  old_unit: string;
  old_district: string;
  old_province: string;
  source_url: string;
}

export interface OldUnitDoc {
  name: string;
  type: string;
  district: string;
  province: string;
  split?: true;
  note?: string;
}

export interface UnitDoc {
  id: string;
  name: string;
  type: string;
  code?: string;
  province_before: string;
  old_units: OldUnitDoc[];
  centre: string | null;
  centre_note?: string;
  sources: { name: string; url: string }[];
  police?: Record<string, unknown>;
}

/** "Phường Phú Lợi" → "phuong-phu-loi". */
export function slugify(name: string): string {
  return normalizeText(name).replace(/ /g, '-');
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

const OLD_TYPES = ['Thị trấn', 'Phường', 'Xã'] as const;
const PART = /\s*\(một phần\)\s*$/;

/** The type word an old unit's name begins with, lower case ("thị trấn", "phường", "xã"). */
export function typeOf(name: string): string {
  const t = OLD_TYPES.find((p) => name.startsWith(`${p} `));
  if (!t) throw new Error(`unit name without a type word: ${name}`);
  return t.toLowerCase();
}

export function readCsv(text: string): CsvRow[] {
  return parseCsv(text, { columns: true, skip_empty_lines: true, trim: true }) as CsvRow[];
}

/** The code (mã) and centre of each new unit, from the tables of units-2025.md §1. */
export function readCentres(markdown: string): Map<string, { code: string; centre: string }> {
  const out = new Map<string, { code: string; centre: string }>();
  for (const line of markdown.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    // | # | New unit (mã) | Type | Old units | Centre | Sources | Notes |
    if (cells.length < 8 || !/^\d+$/.test(cells[1] ?? '')) continue;
    const m = /^(.+?) \((\d{5})\)$/.exec(cells[2] ?? '');
    if (!m) continue;
    out.set(m[1]!, { code: m[2]!, centre: cells[5]! });
  }
  return out;
}

/** One YAML document per new unit, in the order the CSV first names them; `existing` keeps staff fields. */
export function buildUnits(rows: CsvRow[], centres: Map<string, { code: string; centre: string }>, existing: Map<string, Record<string, unknown>> = new Map()): UnitDoc[] {
  const byUnit = new Map<string, CsvRow[]>();
  for (const r of rows) byUnit.set(r.new_unit, [...(byUnit.get(r.new_unit) ?? []), r]);
  // Where each split old unit went: "the rest went to …" in its note.
  const splitHomes = new Map<string, string[]>();
  for (const r of rows) {
    if (!PART.test(r.old_unit)) continue;
    const key = `${r.old_unit.replace(PART, '')}|${r.old_district}|${r.old_province}`;
    splitHomes.set(key, [...(splitHomes.get(key) ?? []), r.new_unit]);
  }
  const docs: UnitDoc[] = [];
  for (const [name, unitRows] of byUnit) {
    const id = slugify(name);
    const provinces = [...new Set(unitRows.map((r) => r.old_province))];
    if (provinces.length !== 1) throw new Error(`${name} straddles old provinces: ${provinces.join(', ')}`);
    const old_units = unitRows.map((r): OldUnitDoc => {
      const oldName = r.old_unit.replace(PART, '');
      const doc: OldUnitDoc = { name: oldName, type: typeOf(oldName), district: r.old_district, province: r.old_province };
      if (PART.test(r.old_unit)) {
        const others = (splitHomes.get(`${oldName}|${r.old_district}|${r.old_province}`) ?? []).filter((n) => n !== name);
        doc.split = true;
        doc.note = `Chỉ một phần ${lowerFirst(oldName)} cũ; phần còn lại thuộc ${others.join(', ')}.`;
      }
      return doc;
    });
    const known = centres.get(name);
    const centreNote = CENTRE_NOTES[name];
    const doc: UnitDoc = {
      id,
      name,
      type: unitRows[0]!.new_type,
      ...(known ? { code: known.code } : {}),
      province_before: provinces[0]!,
      old_units,
      centre: centreNote || !known ? null : known.centre,
      ...(centreNote ? { centre_note: centreNote } : {}),
      sources: [
        { name: S1_NAME, url: unitRows[0]!.source_url },
        { name: S2_NAME, url: S2_URL },
      ],
    };
    const kept = existing.get(id)?.police;
    const seeded = KNOWN_PHONES[name];
    if (kept && typeof kept === 'object') doc.police = kept as Record<string, unknown>;
    else if (seeded) doc.police = { phone: seeded.phone, confirmed: false, source: PHONE_SOURCE, note: seeded.note ? `${PHONE_NOTE} ${seeded.note}` : PHONE_NOTE };
    docs.push(doc);
  }
  return docs;
}

/** The comment at the top of every generated file. */
export const HEADER = [
  '# Generated by `npm run units:import` from the reference conversion table (units-2025.csv) and the centres of',
  '# units-2025.md. Do not edit the generated fields by hand: re-run the import. Staff fill `police` (address, phone,',
  '# hours, map_url, lat/lng, verified_at, source, confirmed); the import keeps it.',
].join('\n');
