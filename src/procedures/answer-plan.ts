import { expandAbbreviations, type PreparedQuery } from '../text/expand.ts';
import type { Aspect, Lexicon } from '../text/lexicon.ts';
import { normalizeText, tokenize } from '../text/normalize.ts';
import { feesOn } from './fees.ts';
import type { ChannelKind, FeeItem, Procedure } from './schema.ts';

// The answer planner: from a procedure and the message that asked about it, what the first reply leads with (the
// asked aspect, else the note that answers the message's words, else the summary) and which short lines follow.
// Pure: no i18n, no I/O; answer-format.ts renders the plan in the reader's language.

/** What the message asked: its aspect (understand.ts) and its words (folded, expanded, stopwords kept). */
export interface Question {
  aspect?: Aspect | undefined;
  words: readonly string[];
}

/** A sentence of the content that can answer a sub-question. */
export type NoteRef =
  | { source: 'note'; index: number }
  | { source: 'channel'; kind: ChannelKind }
  | { source: 'exemption'; index: number }
  | { source: 'eligibility' };

export type Lead =
  | { kind: 'summary' }
  /** The fee asked: the items of the case the words name (the asked channel first), or today's fees when none. */
  | { kind: 'fee'; items: FeeItem[] | undefined; otherChannel: boolean }
  | { kind: 'time'; channel: ChannelKind | undefined }
  | { kind: 'documents' }
  | { kind: 'where' }
  | { kind: 'online' }
  | { kind: 'legal' }
  | { kind: 'note'; ref: NoteRef };

export type Line = 'where' | 'fee' | 'time' | 'online';

export interface AnswerPlan {
  lead: Lead;
  /** A note that answers the words too, said after a lead on the asked aspect. */
  note: NoteRef | undefined;
  /** The fee case the words name (for the fee line), else undefined: today's fees in short. */
  feeItems: FeeItem[] | undefined;
  /** The channel the words name (online, by post, in person), if any. */
  channel: ChannelKind | undefined;
  /** The short lines after the lead, in order; never the lead's own aspect. */
  lines: Line[];
  /** The message's content words (folded, not the procedure's name): which sentences of a long note to keep. */
  focus: string[];
}

export interface AnswerPlanner {
  plan(p: Procedure, today: string, question?: Question): AnswerPlan;
  /** The question of a prepared message: its words as typed (abbreviations expanded, no derived words). */
  question(query: PreparedQuery, aspect: Aspect | undefined): Question;
}

const ALL_LINES: Line[] = ['where', 'fee', 'time', 'online'];
const LEAD_LINE: Partial<Record<Lead['kind'], Line>> = { fee: 'fee', time: 'time', where: 'where', online: 'online' };

/** The plan without a question (a button tap, a test): the summary and every line. */
export function defaultPlan(): AnswerPlan {
  return { lead: { kind: 'summary' }, note: undefined, feeItems: undefined, channel: undefined, lines: [...ALL_LINES], focus: [] };
}

// Cues, on folded text. "mất" is a loss only next to what was lost ("bị mất", "mất thẻ"): "mất bao lâu" is time,
// "mống mắt" an eye.
const CUES = {
  lai: /\b(?:cap lai|lam lai|xin lai|hu hong|bi hu|bi hong|bi gay|bi rach|(?:bi|lam|danh|rot|da|vua|lo) mat|mat (?:the|can|cccd|cmnd|giay|ho|bang|vi|so|dang|passport|chung)|replac\w*|lost|damag\w*)\b/,
  doi: /\b(?:cap doi|doi|het han|renew\w*|exchang\w*|expir\w*)\b/,
  dau: /\b(?:lan dau|cap moi|first)\b/,
} as const;
type Cue = keyof typeof CUES;
const CHANNEL_CUES: [ChannelKind, RegExp][] = [
  ['truc_tuyen', /\b(?:truc tuyen|online|qua mang|tren mang|vneid|dich vu cong)\b/],
  ['buu_chinh', /\b(?:buu chinh|buu dien|post|mail)\b/],
  ['truc_tiep', /\b(?:truc tiep|in person)\b/],
];
// "được không", "có phải… không", "có cần", "can I", "do I need": a yes/no question about who may or must.
const YES_NO = /\b(?:duoc khong|co duoc|co phai|phai khong|co can|can khong|co bat buoc|bat buoc|ai duoc|co the|can i|do i need|must i|am i|is it|allowed|eligible|who can)\b/g;

// A note leads only on a clear overlap: this much shared weight, from at least two shared words or word pairs.
const NOTE_MIN_SCORE = 2;
const NOTE_MIN_UNITS = 2;
const EXTRA_MIN_SCORE = 3;
const ELIGIBILITY_MIN_SCORE = 1;
// A fee case is named by a cue ("làm lại", "đổi", "lần đầu"), the asked channel with a word, or a pair of its words.
const FEE_CASE_MIN_SCORE = 1.5;
// A word in more than this share of all the catalogue's notes says little (người, hồ sơ, công an…).
const COMMON_SHARE = 0.08;

const fold = (s: string) => tokenize(normalizeText(s));
const cuesOf = (text: string): Set<Cue> => new Set((Object.keys(CUES) as Cue[]).filter((c) => CUES[c].test(text)));

/** Words (not function words) and neighbouring pairs (at least one word not a function word). */
function unitsOf(tokens: readonly string[], stop: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  tokens.forEach((w, i) => {
    if (!stop.has(w) && w.length > 1) out.add(w);
    const next = tokens[i + 1];
    if (next !== undefined) out.add(`${w} ${next}`);
  });
  return out;
}
const isPair = (u: string) => u.includes(' ');
const bothStop = (u: string, stop: ReadonlySet<string>) => u.split(' ').every((w) => stop.has(w));

interface Candidate {
  ref: NoteRef;
  units: Set<string>;
}
interface Prepared {
  candidates: Candidate[];
  summary: Set<string>;
  df: Map<string, number>;
  title: Set<string>;
}

/** The planner over the catalogue (for how common a word is) and the lexicon (abbreviations, function words). */
export function createAnswerPlanner(deps: { procedures: readonly Procedure[]; lexicon: Lexicon }): AnswerPlanner {
  const stop: ReadonlySet<string> = new Set([...deps.lexicon.stopwords.vi, ...deps.lexicon.stopwords.en]);
  const cache = new WeakMap<Procedure, Prepared>();

  // Each text with its English version where the content has one: a question in English (or taken for Vietnamese)
  // matches either.
  function candidateTexts(p: Procedure): { ref: NoteRef; text: string }[] {
    const out: { ref: NoteRef; text: string }[] = [];
    const en = p.en;
    p.notes.forEach((n, index) => out.push({ ref: { source: 'note', index }, text: `${n} ${en?.notes?.length === p.notes.length ? en.notes[index] : ''}` }));
    for (const c of p.channels) if (c.note) out.push({ ref: { source: 'channel', kind: c.kind }, text: `${c.note} ${en?.channel_notes?.[c.kind] ?? ''}` });
    p.fees.exemptions.forEach((e, index) => out.push({ ref: { source: 'exemption', index }, text: `${e} ${en?.exemptions?.[index] ?? ''}` }));
    if (p.eligibility) out.push({ ref: { source: 'eligibility' }, text: `${p.eligibility} ${en?.eligibility ?? ''}` });
    return out;
  }

  // How many of the catalogue's notes hold each word: common words weigh little anywhere.
  const globalDf = new Map<string, number>();
  let globalCount = 0;
  for (const p of deps.procedures) {
    for (const c of candidateTexts(p)) {
      globalCount++;
      for (const u of unitsOf(fold(c.text), stop)) if (!isPair(u)) globalDf.set(u, (globalDf.get(u) ?? 0) + 1);
    }
  }
  const common = (u: string) => isPair(u) ? u.split(' ').every((w) => stop.has(w) || (globalDf.get(w) ?? 0) > globalCount * COMMON_SHARE) : (globalDf.get(u) ?? 0) > globalCount * COMMON_SHARE;

  function prepared(p: Procedure): Prepared {
    const cached = cache.get(p);
    if (cached) return cached;
    const candidates = candidateTexts(p).map((c) => ({ ref: c.ref, units: unitsOf(fold(c.text), stop) }));
    // The summary counts among the texts that hold a word: what it already says is the topic, not a sub-question.
    // So do the names it is found by ("căn cước hết hạn").
    const summary = unitsOf(fold(`${p.summary} ${p.summary_en ?? ''}`), stop);
    const names = unitsOf(fold([...p.aliases, ...p.en_aliases].join(' | ')), stop);
    const df = new Map<string, number>();
    for (const c of [...candidates, { units: summary }]) for (const u of c.units) df.set(u, (df.get(u) ?? 0) + 1);
    // The names count half: people also name the procedure by the case they ask about ("căn cước gắn chip").
    for (const u of names) df.set(u, (df.get(u) ?? 0) + 0.5);
    const titleText = `${p.title} ${p.en?.title ?? ''}`;
    const result = { candidates, summary, df, title: unitsOf(fold(titleText), stop) };
    cache.set(p, result);
    return result;
  }

  /** How much each note, channel note, exemption and the eligibility text share with the words. */
  function scoreNotes(p: Procedure, words: readonly string[]): { ref: NoteRef; score: number; units: number }[] {
    const prep = prepared(p);
    const asked = unitsOf(words, stop);
    return prep.candidates.map((c) => {
      let score = 0;
      let units = 0;
      for (const u of asked) {
        if (!c.units.has(u) || prep.title.has(u)) continue;
        const weight = ((isPair(u) ? 1.5 : 1) * (bothStop(u, stop) ? 0.4 : 1) * (common(u) ? 0.25 : 1)) / prep.df.get(u)!;
        score += weight;
        if (weight >= 0.3) units++;
      }
      return { ref: c.ref, score, units };
    });
  }

  /** The note the words clearly ask about, if any (never a weak match); `min` is higher for a note after an aspect. */
  function bestNote(scores: { ref: NoteRef; score: number; units: number }[], min: number): NoteRef | undefined {
    let best: { ref: NoteRef; score: number } | undefined;
    for (const s of scores) if (s.score >= min && s.units >= NOTE_MIN_UNITS && (!best || s.score > best.score)) best = s;
    return best?.ref;
  }

  /** The fee items of the case the words name, the asked channel first. */
  function feeCase(p: Procedure, today: string, text: string, words: readonly string[], channel: ChannelKind | undefined) {
    const items = feesOn(p, today);
    const cases = [...new Set(items.map((f) => f.case))];
    if (cases.length === 0) return undefined;
    const asked = unitsOf(words, stop);
    const askedCues = cuesOf(text);
    const title = prepared(p).title;
    const caseUnits = new Map(cases.map((c) => [c, unitsOf(fold(`${c} ${p.en?.fee_cases?.[c] ?? ''}`), stop)]));
    const df = new Map<string, number>();
    for (const us of caseUnits.values()) for (const u of us) df.set(u, (df.get(u) ?? 0) + 1);
    let best: { name: string; score: number } | undefined;
    for (const name of cases) {
      const us = caseUnits.get(name)!;
      let score = 0;
      for (const u of asked) {
        // The procedure's own name (thẻ căn cước) tells no case from another; the cues below do ("đổi", "làm lại"), and
        // only they read "mất" (lost, or what it costs).
        if (!us.has(u) || df.get(u)! >= cases.length || bothStop(u, stop) || u.split(' ').some((w) => title.has(w) || w === 'mat')) continue;
        score += (isPair(u) ? 1.5 : 1) / df.get(u)!;
      }
      for (const cue of cuesOf(normalizeText(name))) if (askedCues.has(cue)) score += 2;
      if (channel && channelOf(items.find((f) => f.case === name)!) === channel) score += 1;
      if (score >= FEE_CASE_MIN_SCORE && (!best || score > best.score)) best = { name, score };
    }
    if (!best) return undefined;
    const ofCase = items.filter((f) => f.case === best.name);
    const general = ofCase.filter((f) => channelOf(f) === undefined);
    const asked_ = channel ? ofCase.filter((f) => channelOf(f) === channel) : [];
    if (asked_.length > 0) return { items: [...asked_, ...general], otherChannel: false };
    if (general.length > 0) return { items: general, otherChannel: general.length < ofCase.length };
    return { items: ofCase, otherChannel: false };
  }

  return {
    question: (query, aspect) => ({ aspect, words: tokenize(expandAbbreviations(query.folded, deps.lexicon)) }),
    plan(p, today, question) {
      if (!question) return defaultPlan();
      const text = question.words.join(' ');
      const channel = CHANNEL_CUES.find(([, re]) => re.test(text))?.[0];
      const fee = feeCase(p, today, text, question.words, channel);
      // The question's form ("có bắt buộc… không") is no content: "không bắt buộc" in a note must not match it.
      const yesNo = text.search(YES_NO) >= 0;
      const scores = scoreNotes(p, tokenize(text.replace(YES_NO, ' | ')));
      // Who may apply answers only a yes/no question ("… được không?"): its words describe everyone's situation.
      const note = bestNote(scores.filter((s) => s.ref.source !== 'eligibility'), NOTE_MIN_SCORE);
      // After the asked aspect, a note only on a stronger overlap, and never the eligibility text.
      const extra = bestNote(scores.filter((s) => s.ref.source !== 'eligibility'), EXTRA_MIN_SCORE);
      // "… được không?" with words of the eligibility text: who may apply answers it.
      const eligible = yesNo && scores.some((s) => s.ref.source === 'eligibility' && s.score >= ELIGIBILITY_MIN_SCORE);
      const aspect = question.aspect;
      let lead: Lead;
      if (aspect === 'fee') lead = { kind: 'fee', items: fee?.items, otherChannel: fee?.otherChannel ?? false };
      else if (aspect === 'time') lead = { kind: 'time', channel };
      else if (aspect === 'documents' || aspect === 'where' || aspect === 'online' || aspect === 'legal') lead = { kind: aspect };
      else if (note) lead = { kind: 'note', ref: note };
      else if (eligible) lead = { kind: 'note', ref: { source: 'eligibility' } };
      else lead = { kind: 'summary' };
      const own = LEAD_LINE[lead.kind];
      return {
        lead,
        note: lead.kind === 'note' || lead.kind === 'summary' ? undefined : extra,
        feeItems: fee?.items,
        channel,
        lines: ALL_LINES.filter((l) => l !== own),
        focus: [...unitsOf(question.words, stop)].filter((u) => !isPair(u) && !prepared(p).title.has(u)),
      };
    },
  };
}

/** The channel a fee item is for: its `channel`, or the one its case names ("Nộp trực tuyến"). */
export function channelOf(f: FeeItem): ChannelKind | undefined {
  if (f.channel) return f.channel;
  const c = normalizeText(f.case);
  return /\btruc tuyen\b/.test(c) ? 'truc_tuyen' : /\btruc tiep\b/.test(c) ? 'truc_tiep' : undefined;
}
