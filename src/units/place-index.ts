import { normalizeText } from '../text/normalize.ts';
import { foldName } from './names.ts';
import type { DistrictType, PlaceType } from './place-words.ts';
import type { Department, OldUnit, Unit } from './schema.ts';

// The names a question may use, folded and without their type word: every new unit, every old unit (with its old
// district and province), every old district and old province. One name may belong to several places.

/** An old district (huyện, quận, thị xã, thành phố) and the new units that now cover it. */
export interface District {
  key: string;
  name: string;
  province: string;
  type: DistrictType;
  unitIds: string[];
}

export type PlaceEntry =
  | { kind: 'new'; unit: Unit; type: PlaceType }
  | { kind: 'old'; old: OldUnit; unitIds: string[]; type: PlaceType; districtKey: string; province: string }
  | { kind: 'district'; district: District }
  | { kind: 'province'; province: string };

export interface PlaceIndex {
  units: Map<string, Unit>;
  districts: Map<string, District>;
  departments: Department[];
  /** Folded name (tokens joined by spaces) → the places with that name. */
  byName: Map<string, PlaceEntry[]>;
  /** The same names without spaces ("soctrang", "phuloi"). */
  byCompact: Map<string, PlaceEntry[]>;
  /** Names long enough for a one-letter typo to be told apart (no digits, no one-letter words). */
  fuzzy: { name: string; tokens: number; entries: PlaceEntry[] }[];
  /** Each department's names and topics, folded, longest first (a topic asks for the office only after "phòng"…). */
  departmentPhrases: { phrase: string; department: Department; topic: boolean }[];
}

const ROMAN: Record<string, string> = { i: '1', ii: '2', iii: '3', iv: '4', v: '5', vi: '6', vii: '7', viii: '8', ix: '9', x: '10' };

/** "Phường III" → type "phuong", name "3"; "Thành phố Sóc Trăng" → "thanh pho", "soc trang". */
export function splitTypeName(name: string): { type: PlaceType; core: string } {
  const folded = foldName(name);
  const types: PlaceType[] = ['thi tran', 'thi xa', 'thanh pho', 'phuong', 'xa', 'huyen', 'quan', 'tinh'];
  const type = types.find((t) => folded.startsWith(`${t} `));
  if (!type) throw new Error(`place name without a type word: ${name}`);
  let core = folded.slice(type.length + 1);
  if (type === 'phuong' && ROMAN[core]) core = ROMAN[core]!;
  return { type, core: normalizeText(core) };
}

export const districtKey = (district: string, province: string) => `${foldName(district)}|${foldName(province)}`;

/** A district in a button payload: "huyen-tran-de-soc-trang". */
export const districtSlug = (d: District) => foldName(`${d.name} ${d.province}`).replace(/ /g, '-');

const add = (map: Map<string, PlaceEntry[]>, key: string, entry: PlaceEntry) => map.set(key, [...(map.get(key) ?? []), entry]);

export function createPlaceIndex(units: Unit[], departments: Department[]): PlaceIndex {
  const index: PlaceIndex = { units: new Map(), districts: new Map(), departments, byName: new Map(), byCompact: new Map(), fuzzy: [], departmentPhrases: [] };
  const provinces = new Set<string>();
  const oldHomes = new Map<string, { old: OldUnit; unitIds: string[] }>();
  for (const u of units) {
    index.units.set(u.id, u);
    for (const o of u.old_units) {
      const dk = districtKey(o.district, o.province);
      let d = index.districts.get(dk);
      if (!d) {
        d = { key: dk, name: o.district, province: o.province, type: splitTypeName(o.district).type as DistrictType, unitIds: [] };
        index.districts.set(dk, d);
      }
      if (!d.unitIds.includes(u.id)) d.unitIds.push(u.id);
      provinces.add(o.province);
      const ok = `${foldName(o.name)}|${dk}`;
      const home = oldHomes.get(ok);
      if (home) home.unitIds.push(u.id);
      else oldHomes.set(ok, { old: o, unitIds: [u.id] });
    }
  }
  for (const u of units) {
    const { type, core } = splitTypeName(u.name);
    add(index.byName, core, { kind: 'new', unit: u, type });
  }
  for (const { old, unitIds } of oldHomes.values()) {
    const { type, core } = splitTypeName(old.name);
    add(index.byName, core, { kind: 'old', old, unitIds, type, districtKey: districtKey(old.district, old.province), province: old.province });
  }
  for (const d of index.districts.values()) add(index.byName, splitTypeName(d.name).core, { kind: 'district', district: d });
  for (const p of provinces) add(index.byName, normalizeText(p), { kind: 'province', province: p });

  for (const [name, entries] of index.byName) {
    if (/^\d+$/.test(name)) continue;
    for (const e of entries) add(index.byCompact, name.replace(/ /g, ''), e);
    const tokens = name.split(' ');
    if (name.length >= 8 && !/\d/.test(name) && tokens.every((t) => t.length >= 2)) index.fuzzy.push({ name, tokens: tokens.length, entries });
  }
  index.departmentPhrases = departments
    .flatMap((d) => [...d.names.map((p) => ({ phrase: normalizeText(p), department: d, topic: false })), ...d.topics.map((p) => ({ phrase: normalizeText(p), department: d, topic: true }))])
    .sort((a, b) => b.phrase.length - a.phrase.length);
  return index;
}

/** True when `a` and `b` differ by at most one inserted, deleted or replaced letter. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const [s, l] = a.length <= b.length ? [a, b] : [b, a];
  if (l.length - s.length > 1) return false;
  let i = 0;
  while (i < s.length && s[i] === l[i]) i++;
  if (s.length === l.length) return s.slice(i + 1) === l.slice(i + 1);
  return s.slice(i) === l.slice(i + 1);
}
