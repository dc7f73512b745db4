import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldMarks } from '../../src/text/normalize.ts';
import { loadUnits } from '../../src/units/load.ts';
import { createPlaceIndex, splitTypeName, withinOneEdit } from '../../src/units/place-index.ts';
import { NOT_FUZZY, TYPE_WORDS } from '../../src/units/place-words.ts';
import { resolvePlace, type PlaceResolution } from '../../src/units/resolve.ts';

const { units, departments } = loadUnits('content');
const index = createPlaceIndex(units, departments);
const resolve = (text: string) => resolvePlace(index, text);

/** A resolution in the words of the labelled questions: unit:<id>, ask:<ids>, district:<name>|<province>, dept:<id>… */
export function label(r: PlaceResolution): string {
  const a = r.answer;
  switch (a.kind) {
    case 'unit':
      return `unit:${a.unitId}`;
    case 'district':
      return `district:${a.district.name}|${a.district.province}`;
    case 'department':
      return `dept:${a.department.id}`;
    case 'choose':
      return `ask:${a.options.map((o) => (o.kind === 'unit' ? o.unitId : `${o.district.name}|${o.district.province}`)).sort().join(',')}`;
    case 'not_found':
      return 'notfound';
    default:
      return 'none';
  }
}

const at = (text: string) => label(resolve(text));

describe('resolvePlace: everyday forms', () => {
  it.each([
    ['cong an phuong 5 soc trang o dau', 'unit:phuong-soc-trang'],
    ['p5 sóc trăng', 'unit:phuong-soc-trang'],
    ['f5 soc trang', 'unit:phuong-soc-trang'],
    ['phuong5 tp soc trang', 'unit:phuong-soc-trang'],
    ['thị trấn Mỹ Xuyên', 'unit:phuong-my-xuyen'],
    ['tt my xuyen', 'unit:phuong-my-xuyen'],
    ['xã Đại Tâm Mỹ Xuyên', 'unit:phuong-my-xuyen'],
    ['ấp Hòa Lời xã Viên An', 'unit:xa-tai-van'],
    ['xã Lai Hòa', 'unit:xa-lai-hoa'],
    ['tôi ở thị trấn Long Phú cũ làm căn cước ở đâu', 'unit:xa-long-phu'],
    ['phường III Vị Thanh', 'unit:phuong-vi-thanh'],
    ['p.3 ngã năm', 'unit:phuong-my-quoi'],
    ['Where is the police station for Cai Khe ward?', 'unit:phuong-cai-khe'],
    ['ប៉ូលិសឃុំ Nhu Gia នៅត្រង់ណា?', 'unit:xa-nhu-gia'],
    // A one-letter typo in a long name.
    ['xa lich hoi thuonh', 'unit:xa-lich-hoi-thuong'],
    ['cong an xa thanh thoi am o dau', 'unit:xa-thanh-thoi-an'],
    // "Phường Bình Thủy", not "xã Phương Bình" and a word.
    ['công an phường Bình Thủy trụ sở mới', 'unit:phuong-binh-thuy'],
  ])('%s → %s', (text, want) => expect(at(text)).toBe(want));

  it('lists the units covering a district named bare or with its type word', () => {
    expect(at('huyện Trần Đề cũ')).toBe('district:Huyện Trần Đề|Sóc Trăng');
    expect(at('TP Sóc Trăng')).toBe('district:Thành phố Sóc Trăng|Sóc Trăng');
    expect(at('Kế Sách')).toBe('district:Huyện Kế Sách|Sóc Trăng');
    const tranDe = resolve('huyện Trần Đề cũ');
    expect(tranDe.answer.kind === 'district' && tranDe.answer.district.unitIds.sort()).toEqual(['xa-lich-hoi-thuong', 'xa-lieu-tu', 'xa-tai-van', 'xa-thanh-thoi-an', 'xa-tran-de']);
    // Two old districts of one name: which one.
    expect(at('Châu Thành')).toBe('ask:Huyện Châu Thành|Hậu Giang,Huyện Châu Thành|Sóc Trăng');
    expect(at('huyện châu thành hậu giang')).toBe('district:Huyện Châu Thành|Hậu Giang');
  });

  it('asks which one when an old name existed in several places, and resolves it with the district', () => {
    expect(at('Phường 1')).toBe('ask:phuong-nga-nam,phuong-phu-loi,phuong-vi-thanh,phuong-vinh-chau');
    expect(at('phường 1 vị thanh')).toBe('unit:phuong-vi-thanh');
    expect(at('phuong 1 vinh chau')).toBe('unit:phuong-vinh-chau');
    expect(at('xã Thạnh Phú')).toBe('ask:xa-nhu-gia,xa-thanh-phu');
    expect(at('xã Thạnh Phú Mỹ Xuyên')).toBe('unit:xa-nhu-gia');
    // The new name and an old one elsewhere: "cũ" and "mới" decide.
    expect(at('phường Tân An')).toBe('ask:phuong-ninh-kieu,phuong-tan-an');
    expect(at('phường Tân An cũ')).toBe('unit:phuong-ninh-kieu');
    expect(at('phường Tân An mới')).toBe('unit:phuong-tan-an');
    // A split old unit without a namesake: which part.
    expect(at('Phường Bùi Hữu Nghĩa')).toBe('ask:phuong-binh-thuy,phuong-cai-khe');
  });

  it('leaves questions without a place, and everyday words that are also names, alone', () => {
    for (const text of ['làm căn cước ở đâu', 'giấy chứng nhận an ninh trật tự làm ở đâu', 'cong an xa o dau', 'vĩnh viễn không đổi được à', 'mất điện thoại ở đâu báo', 'đường Mậu Thân thuộc công an phường nào'])
      expect(at(text), text).toBe('none');
    expect(at('cong an xa Cai Cao cu gio sap nhap ve dau')).toBe('notfound');
    expect(at('phòng xuất nhập cảnh cần thơ ở đâu')).toBe('dept:pa08');
    expect(at('Phòng PC06 Công an thành phố nằm ở đâu ạ')).toBe('dept:pc06');
    // A topic names the office only after an office word.
    expect(at('thẩm duyệt pccc nộp ở đâu')).toBe('none');
    expect(at('đội pccc gần nhất ở đâu')).toBe('dept:pc07');
  });
});

describe('resolvePlace: every old unit', () => {
  // One entry per old unit (its name in its old district and province), with the units it is now part of.
  const homes = new Map<string, { name: string; district: string; province: string; ids: string[] }>();
  for (const u of units) {
    for (const o of u.old_units) {
      const key = `${o.name}|${o.district}|${o.province}`;
      const h = homes.get(key) ?? { name: o.name, district: o.district, province: o.province, ids: [] };
      h.ids.push(u.id);
      homes.set(key, h);
    }
  }
  /** A split old unit whose name one of its new units kept goes to that unit (the answer names the other part). */
  const expected = (h: { name: string; ids: string[] }) => {
    if (h.ids.length === 1) return `unit:${h.ids[0]}`;
    const namesake = h.ids.find((id) => splitTypeName(index.units.get(id)!.name).core === splitTypeName(h.name).core);
    return namesake ? `unit:${namesake}` : `ask:${[...h.ids].sort().join(',')}`;
  };

  it('has all 263', () => expect(homes.size).toBe(263));

  it('resolves each with its old district and province, with and without accents', () => {
    const wrong: string[] = [];
    for (const h of homes.values()) {
      for (const q of [`${h.name}, ${h.district}, ${h.province} cũ ở đâu`, foldMarks(`công an ${h.name} ${h.district} ${h.province} cu`.toLowerCase())]) {
        if (at(q) !== expected(h)) wrong.push(`${q} → ${at(q)} (want ${expected(h)})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('resolves each bare name to its unit, or asks with its unit among the choices', () => {
    const wrong: string[] = [];
    let asked = 0;
    for (const h of homes.values()) {
      const r = resolve(h.name);
      if (label(r) === expected(h)) continue;
      const offered = r.answer.kind === 'choose' ? r.answer.options.flatMap((o) => (o.kind === 'unit' ? [o.unitId] : o.district.unitIds)) : [];
      if (h.ids.every((id) => offered.includes(id))) asked++;
      else wrong.push(`${h.name} → ${label(r)}`);
    }
    expect(wrong).toEqual([]);
    // Ambiguous old names ("Phường 1", "Xã Phú Tân", names of new units elsewhere) are questions, not guesses.
    expect(asked).toBeLessThan(60);
  });
});

describe('resolvePlace: the labelled place questions (corpus writers, test/units/fixtures/place-questions.jsonl)', () => {
  const questions = readFileSync('test/units/fixtures/place-questions.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text: string; writer: string; accept: string[] });
  const right = (q: { text: string; accept: string[] }) => {
    const r = resolve(q.text);
    const l = label(r);
    // A place answer must also be one the route takes (a where-word, "tôi ở …", or the bare name).
    return q.accept.includes(l) && (l === 'none' || l === 'notfound' || r.asksWhere || r.lives || r.bare);
  };

  it('gets at least 97% right, and at least 95% of the held-out writer (w-test)', () => {
    expect(questions.length).toBeGreaterThanOrEqual(150);
    const score = questions.filter(right).length / questions.length;
    const heldOut = questions.filter((q) => q.writer === 'w-test');
    expect(score).toBeGreaterThanOrEqual(0.97);
    expect(heldOut.filter(right).length / heldOut.length).toBeGreaterThanOrEqual(0.95);
  });
});

describe('resolvePlace: properties', () => {
  const named = units.flatMap((u) => u.old_units.filter((o) => !o.split).map((o) => ({ old: o, unit: u })));
  const longNames = [...index.byName.keys()].filter((k) => k.length >= 10 && !/\d/.test(k) && k.split(' ').every((t) => t.length >= 3));

  it('finds an old unit however it is written: case, accents, police words, its district', () => {
    fc.assert(
      fc.property(fc.constantFrom(...named), fc.boolean(), fc.boolean(), fc.constantFrom('', 'công an ', 'cho hỏi công an '), fc.constantFrom('', ' ở đâu', ' giờ thuộc xã nào ạ', ' cũ'), ({ old, unit }, upper, plain, before, after) => {
        let q = `${before}${old.name} ${old.district} ${old.province}${after}`;
        if (plain) q = foldMarks(q.toLowerCase());
        if (upper) q = q.toUpperCase();
        const r = resolve(q);
        return r.answer.kind === 'unit' ? r.answer.unitId === unit.id : r.answer.kind === 'choose' && r.candidates.some((c) => c.unitId === unit.id);
      }),
    );
  });

  it('forgives one wrong letter in a long name said with its type word', () => {
    fc.assert(
      fc.property(fc.constantFrom(...longNames), fc.nat(), fc.constantFrom(...'abcdeghiklmnopqrstuvxy'), (name, pos, letter) => {
        const i = pos % name.length;
        if (name[i] === ' ' || name[i] === letter) return true;
        const typo = `${name.slice(0, i)}${letter}${name.slice(i + 1)}`;
        if (index.byName.has(typo) || /(.)\1\1/.test(typo)) return true; // another real name, or "uuu" (folding collapses it)
        if ([...index.byName.keys()].some((k) => k !== name && withinOneEdit(k, typo))) return true; // …or as near to one
        if (typo.split(' ').some((w) => NOT_FUZZY.has(w) || TYPE_WORDS.some(([t]) => t === w))) return true; // …or a word of the question
        const entry = index.byName.get(name)!.find((e) => e.kind === 'new' || e.kind === 'old');
        const type = entry && (entry.kind === 'new' || entry.kind === 'old') ? entry.type : 'huyen';
        const exact = label(resolve(`cong an ${type} ${name} o dau`));
        return label(resolve(`cong an ${type} ${typo} o dau`)) === exact;
      }),
      { numRuns: 1000 },
    );
  });

  it('answers the same with or without accents', () => {
    const pool = [...units.map((u) => u.name), ...named.map(({ old }) => old.name), 'công an', 'ở đâu', 'cũ', 'mới', 'huyện Mỹ Xuyên', 'Sóc Trăng', 'tôi ở', 'ấp 3', 'giờ thuộc'];
    fc.assert(fc.property(fc.array(fc.constantFrom(...pool), { minLength: 1, maxLength: 5 }), (parts) => {
      const q = parts.join(' ');
      return label(resolve(q)) === label(resolve(foldMarks(q.toLowerCase())));
    }));
  });

  it('finds no unit in questions that name none', () => {
    const words = ['làm', 'căn cước', 'cần', 'giấy tờ', 'gì', 'hộ chiếu', 'đăng ký', 'tạm trú', 'an ninh', 'trật tự', 'bao lâu', 'lệ phí', 'phạt', 'xe', 'mất', 'vĩnh viễn', 'thuận lợi', 'hòa bình', 'an ninh', 'ở đâu', 'công an', 'không'];
    fc.assert(fc.property(fc.array(fc.constantFrom(...words), { minLength: 2, maxLength: 8 }), (parts) => {
      const q = `${parts.join(' ')}`;
      // Names that are also everyday words ("vĩnh viễn", "an ninh") are places only with their type word.
      return !['unit', 'choose', 'district'].includes(resolve(q).answer.kind);
    }));
  });
});
