import type { Translate } from '../i18n/index.ts';
import { foldName } from './names.ts';
import { splitTypeName, type District, type PlaceIndex } from './place-index.ts';
import type { PlaceOption } from './resolve.ts';
import { policePhones, type Department, type FactStatus, type OldUnit, type Unit } from './schema.ts';

// The texts of the units conversation, from the unit files: which commune police serves a place now, what is known
// of its address and phone (and that the rest is not known), the centre, and who to ask instead. Place names stay
// as the files write them, in every language; the sentences around them come from the locale files.

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "Thành phố Sóc Trăng" → "TP Sóc Trăng", "Huyện Long Phú" → "huyện Long Phú" (in the locale's words). */
export function districtShort(t: Translate, district: string): string {
  const { type } = splitTypeName(district);
  const name = district.split(' ').slice(type.split(' ').length).join(' ');
  return t(`units.districtShort.${type.replace(' ', '_')}`, { name });
}

/** "phường 1, 2, 3, 4", "thị trấn Long Phú, xã Long Phú": old units of one district, grouped by their type word. */
export function oldNames(t: Translate, olds: OldUnit[]): string {
  const byType = new Map<string, string[]>();
  for (const o of olds) {
    const type = lowerFirst(o.name.split(' ').slice(0, o.type.split(' ').length).join(' '));
    const rest = o.name.split(' ').slice(o.type.split(' ').length).join(' ');
    const name = o.split ? t('units.partly', { name: rest }) : rest;
    byType.set(type, [...(byType.get(type) ?? []), name]);
  }
  const numeric = (s: string) => (/^\d+$/.test(s) ? Number(s) : Number.NaN);
  return [...byType]
    .map(([type, names]) => `${type} ${names.sort((a, b) => (Number.isNaN(numeric(a)) || Number.isNaN(numeric(b)) ? 0 : numeric(a) - numeric(b))).join(', ')}`)
    .join(', ');
}

/** "gồm phường 1, 2, 3, 4 cũ của TP Sóc Trăng", or "xã Lai Hòa cũ của TX Vĩnh Châu, giữ nguyên sau sắp xếp". */
export function composition(t: Translate, unit: Unit): string {
  const districts = new Map<string, OldUnit[]>();
  for (const o of unit.old_units) districts.set(o.district, [...(districts.get(o.district) ?? []), o]);
  const only = unit.old_units[0]!;
  if (unit.old_units.length === 1 && foldName(only.name) === foldName(unit.name)) {
    return t('units.unchanged', { names: lowerFirst(only.name), district: districtShort(t, only.district) });
  }
  const parts = [...districts].map(([district, olds]) => t('units.part', { names: oldNames(t, olds), district: districtShort(t, district) }));
  return t('units.composition', { parts: parts.join('; ') });
}

/** "Công an phường Phú Lợi" in the locale's words. */
export const policeName = (t: Translate, unit: Unit) => t('units.policeOf', { unit: lowerFirst(unit.name) });

/** "0693 672 010 (Trực ban; theo một nguồn, chưa kiểm chứng)". */
function phoneWithStatus(t: Translate, p: { number: string; label?: string; status: FactStatus }): string {
  const notes = [p.label, p.status === 'confirmed' ? undefined : t(`units.status.${p.status}`)].filter(Boolean);
  return notes.length > 0 ? `${p.number} (${notes.join('; ')})` : p.number;
}

const statusMark = (t: Translate, status: FactStatus) => (status === 'confirmed' ? '' : ` (${t(`units.status.${status}`)})`);

/** What to do when the unit's own contacts are not known: the configured hotline, or the duty desk, then 113. */
export function fallbackLines(t: Translate, hotline: string | undefined, dutyDesk: Department | undefined): string[] {
  const lines: string[] = [];
  // The duty desk's first number (its others are for other matters).
  const desk = (dutyDesk?.phones ?? []).find((p) => p.status !== 'unconfirmed');
  if (hotline) lines.push(t('units.hotline', { hotline }));
  else if (desk) lines.push(t('units.dutyDesk', { phones: phoneWithStatus(t, { number: desk.number, status: desk.status }) }));
  lines.push(t('units.emergency'));
  return lines;
}

export interface UnitAnswerOptions {
  /** The old units the question named, now part of the unit. */
  old: OldUnit[];
  hotline: string | undefined;
  dutyDesk: Department | undefined;
  /** A procedure the question asked about, with where it is filed. */
  procedure?: { title: string; agency: string };
}

/** The answer naming a unit: what the old place became, its police, address, phone, hours, centre, who else to ask. */
export function unitAnswer(t: Translate, index: PlaceIndex, unit: Unit, o: UnitAnswerOptions): string {
  const lines: string[] = [];
  if (o.procedure) lines.push(t('units.procedure', o.procedure));
  for (const old of o.old) {
    lines.push(upperFirst(t('units.lead', { old: lowerFirst(old.name), district: districtShort(t, old.district), unit: lowerFirst(unit.name) })));
    if (old.split) {
      const others = [...index.units.values()].filter((u) => u.id !== unit.id && u.old_units.some((x) => x.split && x.name === old.name && x.district === old.district));
      lines.push(t('units.leadSplit', { old: lowerFirst(old.name), unit: lowerFirst(unit.name), others: others.map((u) => lowerFirst(u.name)).join(', ') }));
    }
  }
  lines.push(t('units.police', { police: policeName(t, unit), composition: composition(t, unit) }));
  const p = unit.police;
  const mark = p?.confirmed && p.verified_at ? t('units.confirmed', { date: p.verified_at.split('-').reverse().join('/') }) : t('units.unconfirmed');
  lines.push(p?.address ? t('units.address', { address: p.address, mark }) : t('units.noAddress'));
  const phones = policePhones(unit);
  lines.push(phones.length > 0 ? t('units.phone', { phones: phones.join(' / '), mark }) : t('units.noPhone'));
  if (p?.hours) lines.push(t('units.hours', { hours: p.hours }));
  lines.push(unit.centre ? t('units.centre', { centre: unit.centre, type: lowerFirst(unit.type) }) : t('units.noCentre'));
  lines.push(...fallbackLines(t, o.hotline, o.dutyDesk));
  return lines.join('\n');
}

/** One line of a choice: the old place and the unit it is part of now. */
export function optionLine(t: Translate, index: PlaceIndex, option: PlaceOption): string {
  if (option.kind === 'district') return t('units.chooseLine', { place: `${districtShort(t, option.district.name)}, ${option.district.province}`, unit: option.district.unitIds.map((id) => lowerFirst(index.units.get(id)!.name)).join(', ') });
  const unit = index.units.get(option.unitId)!;
  const place = option.old ? `${lowerFirst(option.old.name)} – ${districtShort(t, option.old.district)}` : t('units.current', { unit: lowerFirst(unit.name) });
  return t('units.chooseLine', { place, unit: lowerFirst(unit.name) });
}

/** The button of a choice, at most 40 characters. */
export function optionTitle(t: Translate, index: PlaceIndex, option: PlaceOption): string {
  const title =
    option.kind === 'district'
      ? `${districtShort(t, option.district.name)}, ${option.district.province}`
      : option.old
        ? `${option.old.name} – ${districtShort(t, option.old.district)}`
        : index.units.get(option.unitId)!.name;
  return title.length <= 40 ? title : `${title.slice(0, 39).trimEnd()}…`;
}

/** The units covering an old district, each with the old units of that district it took. */
export function districtAnswer(t: Translate, index: PlaceIndex, district: District): string {
  const lines = district.unitIds.map((id) => {
    const unit = index.units.get(id)!;
    const olds = unit.old_units.filter((o) => o.district === district.name && o.province === district.province);
    return t('units.districtLine', { unit: lowerFirst(unit.name), olds: oldNames(t, olds) });
  });
  return t('units.district', { district: upperFirst(districtShort(t, district.name)), province: district.province, count: district.unitIds.length, lines: lines.join('\n') });
}

/** A department: what it handles and what is known of where and how to reach it. */
export function departmentAnswer(t: Translate, d: Department): string {
  const lines = [t('units.department', { name: d.name, handles: d.handles.join('; ') })];
  lines.push(d.address.text ? t('units.deptAddress', { address: d.address.text, mark: statusMark(t, d.address.status) }) : t('units.deptNoAddress'));
  if (d.address.former?.length) lines.push(t('units.deptFormer', { places: d.address.former.join('; ') }));
  const phones = d.phones.filter((p) => p.status !== 'unconfirmed');
  lines.push(phones.length > 0 ? t('units.deptPhones', { phones: phones.map((p) => phoneWithStatus(t, p)).join(', ') }) : t('units.deptNoPhone'));
  lines.push(t('units.emergency'));
  return lines.join('\n');
}
