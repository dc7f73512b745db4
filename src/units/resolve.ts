import { normalizeText, tokenize } from '../text/normalize.ts';
import { districtKey, withinOneEdit, type District, type PlaceEntry, type PlaceIndex } from './place-index.ts';
import {
  ANCHORS, COMMON_WORD_NAMES, COMMUNE_TYPES, DISTRICT_TYPES, ENGLISH_TYPES, FILLER, HAMLET_WORDS, KHMER_WORDS, LIVE_PHRASES, NAME_STOP, NEW_WORDS, NOT_FUZZY,
  OFFICE_WORDS, OLD_WORDS, POLICE_WORDS, SHORT_TYPES, TYPE_WORDS, WHERE_PHRASES, WHERE_STRICT, type PlaceType,
} from './place-words.ts';
import type { Department, OldUnit } from './schema.ts';

// From a message to the place it names: the new unit serving it now, a question with choices when an old name
// existed in several places, the units covering an old district, a department, or nothing. Pure.

/** A name found in the message, with the type word said with it. */
export interface Mention {
  start: number;
  end: number;
  /** Where the type word before it starts (= start when none). */
  from: number;
  entries: PlaceEntry[];
  type: PlaceType | undefined;
  anchored: boolean;
  fuzzy: boolean;
  old: boolean;
  fresh: boolean;
  /** The name is also an everyday word ("an ninh"): only its type word makes it a place. */
  everyday: boolean;
}

export type PlaceOption = { kind: 'unit'; unitId: string; old: OldUnit | undefined } | { kind: 'district'; district: District };

export type PlaceAnswer =
  | { kind: 'none' }
  /** `old`: the old units the message named that are now part of the unit (empty when it used the new name). */
  | { kind: 'unit'; unitId: string; old: OldUnit[] }
  | { kind: 'choose'; options: PlaceOption[] }
  | { kind: 'district'; district: District }
  | { kind: 'department'; department: Department }
  /** A type word with a name no old or new unit has ("xã Cái Cao"). */
  | { kind: 'not_found'; name: string; type: PlaceType };

export interface PlaceResolution {
  answer: PlaceAnswer;
  /** Every unit the primary name may mean, best first. */
  candidates: { unitId: string; score: number }[];
  /** The message asks where, how to reach, or what a place became. */
  asksWhere: boolean;
  /** "Tôi ở …": the citizen says where they live. */
  lives: boolean;
  /** Nothing but the place (with police and politeness words). */
  bare: boolean;
  /** Asks where in so many words ("ở đâu", "chỗ nào", "công an xã nào"), not only names an address or a phone. */
  asksWhereStrictly: boolean;
  /** The message speaks of the police ("công an", "đồn", "police"). */
  police: boolean;
  /** The place is certainly one: said with its type word or after "công an", or alone. */
  strong: boolean;
}

const ROMAN: Record<string, string> = { i: '1', ii: '2', iii: '3', iv: '4', v: '5', vi: '6', vii: '7', viii: '8', ix: '9', x: '10' };
// Only these before folding: normalizeText would collapse their "iii". The others are read in findName.
const ROMAN_AFTER_WARD = /(?<![\p{L}\p{N}])(phường|phuong|p|f)\s*\.?\s*(viii|iii)(?![\p{L}\p{N}])/gu;
const POLITE_A = /(?<![\p{L}\p{N}])ạ(?![\p{L}\p{N}])/gu;
const MAX_NAME_TOKENS = 4;
const LIVES_MAX_TOKENS = 12;

/** The message as tokens: Khmer words in Vietnamese, roman ward numbers as digits, everyday short forms expanded. */
export function placeTokens(text: string): string[] {
  let s = text.normalize('NFC').toLowerCase().replace(POLITE_A, ' ');
  for (const [k, v] of KHMER_WORDS) if (s.includes(k)) s = s.split(k).join(v);
  s = s.replace(ROMAN_AFTER_WARD, (_m, w: string, r: string) => `${w} ${ROMAN[r]}`);
  const out: string[] = [];
  const tokens = tokenize(normalizeText(s));
  tokens.forEach((t, i) => {
    const glued = /^(p|f|phuong)(\d{1,2})$/.exec(t);
    if (glued) out.push('phuong', glued[2]!);
    else if (t === 'f' && /^\d{1,2}$/.test(tokens[i + 1] ?? '')) out.push('phuong');
    else if (SHORT_TYPES[t]) out.push(...SHORT_TYPES[t]!.split(' '));
    else out.push(t);
  });
  return out;
}

const phraseAt = (tokens: string[], i: number, len: number) => (i < 0 || i + len > tokens.length ? '' : tokens.slice(i, i + len).join(' '));
const hasPhrase = (joined: string, phrases: readonly string[]) => phrases.some((p) => joined.includes(` ${p} `));

/** The type word right before token `i` (two-word types first). */
function typeBefore(tokens: string[], i: number): { type: PlaceType; len: number } | undefined {
  for (const [word, type] of TYPE_WORDS) {
    const len = word.split(' ').length;
    if (phraseAt(tokens, i - len, len) === word) return { type, len };
  }
  return undefined;
}

/** True when a type word starts at token `j`. */
const startsType = (tokens: string[], j: number) => TYPE_WORDS.some(([w]) => phraseAt(tokens, j, w.split(' ').length) === w);

/** Token positions that belong to a hamlet, street or landmark name ("ấp Phú Hữu", "đường Mậu Thân"). */
function hamletBlocks(tokens: string[]): boolean[] {
  const blocked = tokens.map(() => false);
  for (let i = 0; i < tokens.length; i++) {
    const len = HAMLET_WORDS.has(phraseAt(tokens, i, 2)) ? 2 : HAMLET_WORDS.has(tokens[i]!) ? 1 : 0;
    if (len === 0) continue;
    // "công an khu vực Tài Văn" is the area's police, not a hamlet.
    if (phraseAt(tokens, i, 2) === 'khu vuc' && (phraseAt(tokens, i - 2, 2) === 'cong an' || tokens[i - 1] === 'ca')) continue;
    // "ấp 3": the number is the hamlet's name; "ấp Phú Thành xã Phú Hữu": words up to the next type word.
    if (/^\d+$/.test(tokens[i + len] ?? '')) {
      blocked[i + len] = true;
      continue;
    }
    for (let j = i + len; j < Math.min(tokens.length, i + len + 3); j++) {
      if (startsType(tokens, j) || NAME_STOP.has(tokens[j]!)) break;
      blocked[j] = true;
    }
  }
  return blocked;
}

function findName(index: PlaceIndex, tokens: string[], i: number): { len: number; entries: PlaceEntry[]; fuzzy: boolean } | undefined {
  for (let len = Math.min(MAX_NAME_TOKENS, tokens.length - i); len >= 1; len--) {
    const phrase = phraseAt(tokens, i, len);
    const exact = index.byName.get(phrase) ?? (len === 1 ? index.byCompact.get(phrase) : undefined);
    if (exact) return { len, entries: exact, fuzzy: false };
    // "phường V": a roman ward number (Vị Thanh numbered its wards so).
    const roman = len === 1 && tokens[i - 1] === 'phuong' ? ROMAN[phrase] : undefined;
    if (roman && index.byName.has(roman)) return { len, entries: index.byName.get(roman)!, fuzzy: false };
    // A one-letter typo in a long name is tried before a shorter exact name ("tân phú thạn" is Tân Phú Thạnh).
    const words = tokens.slice(i, i + len);
    if (len < 2 || phrase.length < 8 || words.some((w) => NOT_FUZZY.has(w) || /\d/.test(w))) continue;
    // As near to two names: both, and the answer asks which.
    const near = index.fuzzy.filter((f) => f.tokens === len && withinOneEdit(f.name, phrase)).flatMap((f) => f.entries);
    if (near.length > 0) return { len, entries: near, fuzzy: true };
  }
  return undefined;
}

/** Every place name in the message, left to right, longest first, none inside a hamlet's name. */
export function findMentions(index: PlaceIndex, tokens: string[]): Mention[] {
  const blocked = hamletBlocks(tokens);
  const mentions: Mention[] = [];
  for (let i = 0; i < tokens.length; ) {
    // "phường Bình Thủy" is a type word and a name, not "Phương Bình" and a word.
    const typeLen = TYPE_WORDS.find(([w]) => phraseAt(tokens, i, w.split(' ').length) === w)?.[0].split(' ').length ?? 0;
    if (typeLen > 0 && findName(index, tokens, i + typeLen)) {
      i += typeLen;
      continue;
    }
    const found = blocked[i] ? undefined : findName(index, tokens, i);
    if (!found) {
      i++;
      continue;
    }
    const end = i + found.len;
    const before = typeBefore(tokens, i);
    const english = ENGLISH_TYPES[tokens[end] ?? ''];
    const type = before?.type ?? english;
    const from = i - (before?.len ?? 0);
    const after = tokens[end + (english && !before ? 1 : 0)] ?? '';
    const old = OLD_WORDS.has(after) || tokens[from - 1] === 'old';
    const fresh = NEW_WORDS.has(after) || NEW_WORDS.has(phraseAt(tokens, end, 2));
    // The first words of a message are its topic ("Cù Lao Dung giờ có mấy xã"), unless the name is an everyday word.
    // Names that are everyday words ("công an an ninh") need their type word.
    const everyday = COMMON_WORD_NAMES.has(phraseAt(tokens, i, found.len));
    const topic = from === 0 && !everyday;
    const anchored = type !== undefined || topic || (!everyday && (ANCHORS.has(tokens[from - 1] ?? '') || ANCHORS.has(phraseAt(tokens, from - 2, 2)))) || old || fresh;
    const numeric = found.len === 1 && (/^\d+$/.test(tokens[i]!) || ROMAN[tokens[i]!] !== undefined);
    // A number is a ward only after "phường" ("phường 5", "p5", "f5").
    if (!numeric || type === 'phuong') mentions.push({ start: i, end, from, entries: found.entries, type, anchored, fuzzy: found.fuzzy, old, fresh, everyday });
    i = end;
  }
  return mentions;
}

const isCommune = (e: PlaceEntry) => e.kind === 'new' || e.kind === 'old';
const entryType = (e: PlaceEntry): PlaceType | undefined => (e.kind === 'new' || e.kind === 'old' ? e.type : e.kind === 'district' ? e.district.type : 'tinh');

/** The entries a mention can mean given its type word (a wrong type word is forgiven when nothing else fits). */
function byType(m: Mention): PlaceEntry[] {
  if (m.type === undefined) return m.entries;
  const level = COMMUNE_TYPES.includes(m.type) ? 'commune' : DISTRICT_TYPES.includes(m.type) ? 'district' : 'province';
  const sameLevel = m.entries.filter((e) => (level === 'commune' ? isCommune(e) : level === 'district' ? e.kind === 'district' : e.kind === 'province'));
  const exact = sameLevel.filter((e) => entryType(e) === m.type);
  if (exact.length > 0) return exact;
  if (sameLevel.length > 0) return sameLevel;
  // "xã Châu Thành A": no commune has that name, the old district has.
  const other = m.entries.filter((e) => e.kind !== 'province');
  return other.length > 0 ? other : m.entries;
}

interface Qualifiers {
  districts: Set<string>;
  provinces: Set<string>;
}

function qualifiersOf(mentions: Mention[], primary: Mention): Qualifiers {
  const q: Qualifiers = { districts: new Set(), provinces: new Set() };
  const others = mentions.filter((m) => m !== primary);
  // "Phường 1, thị xã Ngã Năm, Sóc Trăng": with a district said, an untyped "Sóc Trăng" is the province.
  const districtSaid = others.some((m) => m.type !== undefined && DISTRICT_TYPES.includes(m.type));
  for (const m of others) {
    const asProvince = m.type === 'tinh' || (m.type === undefined && districtSaid && m.entries.some((e) => e.kind === 'province'));
    for (const e of m.entries) {
      if (e.kind === 'district' && !asProvince && (m.type === undefined || DISTRICT_TYPES.includes(m.type))) q.districts.add(e.district.key);
      if (e.kind === 'province') q.provinces.add(e.province);
    }
  }
  return q;
}

interface Scored {
  unitId: string;
  score: number;
  old: OldUnit | undefined;
}

/** Scores what a commune-level mention may mean: its type word, "cũ"/"mới", the districts and provinces also named. */
function scoreUnits(m: Mention, entries: PlaceEntry[], q: Qualifiers): Scored[] {
  const out: Scored[] = [];
  const newIds = new Set(entries.flatMap((e) => (e.kind === 'new' ? [e.unit.id] : [])));
  for (const e of entries) {
    const typeBonus = m.type !== undefined && e.kind !== 'district' && entryType(e) === m.type ? 2 : 0;
    if (e.kind === 'new') {
      const inDistrict = e.unit.old_units.some((o) => q.districts.has(districtKey(o.district, o.province)));
      out.push({ unitId: e.unit.id, old: undefined, score: 10 + typeBonus + (m.fresh ? 3 : 0) - (m.old ? 2 : 0) + (inDistrict ? 4 : 0) + (q.provinces.has(e.unit.province_before) ? 2 : 0) });
    } else if (e.kind === 'old') {
      const base = 10 + typeBonus + (m.old ? 3 : 0) + (q.districts.has(e.districtKey) ? 4 : 0) + (q.provinces.has(e.province) ? 2 : 0);
      // A split old unit that kept its name: the unit of that name first, the other part is said in the answer.
      const splitAway = (id: string) => e.unitIds.length > 1 && newIds.size > 0 && e.unitIds.some((x) => newIds.has(x)) && !newIds.has(id);
      for (const id of e.unitIds) out.push({ unitId: id, old: e.old, score: base - (splitAway(id) ? 1 : 0) });
    }
  }
  // One line per unit, its best reading.
  const best = new Map<string, Scored>();
  for (const s of out) if (!best.has(s.unitId) || best.get(s.unitId)!.score < s.score) best.set(s.unitId, s);
  return [...best.values()].sort((a, b) => b.score - a.score);
}

function chooseDistrict(districts: District[], m: Mention, q: Qualifiers): District[] {
  const score = (d: District) => (q.provinces.has(d.province) ? 2 : 0) + (m.type === d.type ? 2 : 0);
  const top = Math.max(...districts.map(score));
  return districts.filter((d) => score(d) === top);
}

/** The primary name: a typed commune first, then a typed district, then a name after "ở", "công an"…, then a bare name. */
function primaryOf(mentions: Mention[], bareOne: boolean): Mention | undefined {
  const communeTyped = mentions.find((m) => m.type !== undefined && COMMUNE_TYPES.includes(m.type));
  const districtTyped = mentions.find((m) => m.type !== undefined && m.type !== 'tinh' && !COMMUNE_TYPES.includes(m.type));
  const anchored = mentions.find((m) => m.anchored && m.entries.some((e) => e.kind !== 'province'));
  return communeTyped ?? districtTyped ?? anchored ?? (bareOne ? mentions[0] : undefined);
}

/** A commune type word said with a name no unit has: "công an xã Cái Cao cũ". */
function unknownName(tokens: string[]): { name: string; type: PlaceType } | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const t = typeBefore(tokens, i + 1);
    if (!t || t.len !== 1 || !COMMUNE_TYPES.includes(t.type) || typeBefore(tokens, i)?.type === 'thi tran') continue;
    const policeBefore = phraseAt(tokens, i - 2, 2) === 'cong an' || tokens[i - 1] === 'ca';
    const words: string[] = [];
    for (let j = i + 1; j < tokens.length && words.length < 3 && /^[a-z]+$/.test(tokens[j]!) && !NAME_STOP.has(tokens[j]!) && !typeBefore(tokens, j + 1); j++) words.push(tokens[j]!);
    if (words.length >= 2 && (policeBefore || OLD_WORDS.has(tokens[i + 1 + words.length] ?? ''))) return { name: words.join(' '), type: t.type };
  }
  return undefined;
}

function findDepartment(index: PlaceIndex, joined: string): Department | undefined {
  const found = index.departmentPhrases.filter(({ phrase, topic }) => joined.includes(` ${phrase} `) && (!topic || OFFICE_WORDS.some((w) => joined.includes(` ${w} ${phrase} `))));
  // The city police in general only when no department is named ("phòng PC06 công an thành phố").
  return (found.find((f) => f.department.code !== null) ?? found[0])?.department;
}

export function resolvePlace(index: PlaceIndex, text: string): PlaceResolution {
  const tokens = placeTokens(text);
  const joined = ` ${tokens.join(' ')} `;
  const asksWhere = hasPhrase(joined, WHERE_PHRASES);
  // "Tôi ở xã Lai Hòa": a short statement of where one lives (in a long message it is only context).
  const lives = tokens.length <= LIVES_MAX_TOKENS && hasPhrase(joined, LIVE_PHRASES);
  const mentions = findMentions(index, tokens);
  const covered = new Set<number>();
  for (const m of mentions) for (let i = m.from; i < m.end + (ENGLISH_TYPES[tokens[m.end] ?? ''] && m.from === m.start ? 1 : 0); i++) covered.add(i);
  const rest = tokens.filter((t, i) => !covered.has(i) && !FILLER.has(t) && !OLD_WORDS.has(t) && !NEW_WORDS.has(t));
  const bare = mentions.length > 0 && rest.length === 0 && mentions.every((m) => m.anchored || !m.everyday);
  const asksWhereStrictly = hasPhrase(joined, WHERE_STRICT);
  const police = hasPhrase(joined, POLICE_WORDS);
  const base = { asksWhere, lives, bare, asksWhereStrictly, police, strong: false };
  const none = (): PlaceResolution => {
    const department = asksWhere ? findDepartment(index, joined) : undefined;
    if (department) return { ...base, answer: { kind: 'department', department }, candidates: [] };
    const unknown = unknownName(tokens);
    return { ...base, answer: unknown ? { kind: 'not_found', ...unknown } : { kind: 'none' }, candidates: [] };
  };

  const found = primaryOf(mentions, bare);
  if (!found) return none();
  // "phường Tân An quận Ninh Kiều cũ": the word after the districts named with it says old or new.
  let next = found.end;
  while (next < tokens.length && (covered.has(next) || (ENGLISH_TYPES[tokens[next]!] !== undefined && next === found.end))) next++;
  const primary = { ...found, old: found.old || OLD_WORDS.has(tokens[next] ?? ''), fresh: found.fresh || NEW_WORDS.has(tokens[next] ?? '') };
  base.strong = bare || primary.type !== undefined || hasPhrase(` ${tokens.slice(Math.max(0, primary.from - 2), primary.from).join(' ')} `, POLICE_WORDS);
  const entries = byType(primary);
  const q = qualifiersOf(mentions, found);
  const districts = entries.flatMap((e) => (e.kind === 'district' ? [e.district] : []));
  const communes = entries.filter(isCommune);
  // An untyped name that is also an old district's ("Kế Sách", "Ngã Bảy"): the units covering the district.
  if (districts.length > 0 && (communes.length === 0 || primary.type === undefined)) {
    const picked = chooseDistrict(districts, primary, q);
    const candidates = picked.flatMap((d) => d.unitIds.map((unitId) => ({ unitId, score: 10 })));
    if (picked.length === 1) return { ...base, answer: { kind: 'district', district: picked[0]! }, candidates };
    return { ...base, answer: { kind: 'choose', options: picked.map((district) => ({ kind: 'district', district })) }, candidates };
  }
  if (communes.length === 0) return none();
  const scored = scoreUnits(primary, communes, q);
  const candidates = scored.map(({ unitId, score }) => ({ unitId, score }));
  const top = scored.filter((s) => s.score === scored[0]!.score);
  if (top.length === 1) {
    const unitId = top[0]!.unitId;
    const old = communes.flatMap((e) => (e.kind === 'old' && e.unitIds.includes(unitId) ? [e.old] : []));
    return { ...base, answer: { kind: 'unit', unitId, old: top[0]!.old ? old : [] }, candidates };
  }
  return { ...base, answer: { kind: 'choose', options: top.map((s) => ({ kind: 'unit', unitId: s.unitId, old: s.old })) }, candidates };
}
