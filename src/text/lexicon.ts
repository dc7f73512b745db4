import { join } from 'node:path';
import { z } from 'zod';
import { readYamlFile } from '../procedures/content-loader.ts';
import { normalizeText } from './normalize.ts';

// The reviewed word lists in content/lexicon/, compiled once into matchers.

const phraseList = z.array(z.string().min(1));

const abbreviationsSchema = z.strictObject({
  expand: z.record(z.string(), z.string()),
  khmer: z.record(z.string(), z.string()).default({}),
  derive: z.array(z.strictObject({ pattern: z.string(), add: z.string() })).default([]),
  contextual: z
    .array(z.strictObject({
        key: z.string(),
        near: z.array(z.string()).default([]),
        next: z.array(z.string()).default([]),
        to: z.string().optional(),
        default: z.string().optional(),
      }))
    .default([]),
});

const intentsSchema = z.strictObject({
  emergency: z
    .object({ ignore: phraseList.default([]), past: phraseList.default([]) })
    .catchall(z.unknown())
    .transform((v) => v),
  crime_report: z.strictObject({ phrases: phraseList }),
  complaint: z.strictObject({ phrases: phraseList }),
  petition: z.strictObject({ phrases: phraseList }),
  greeting: z.strictObject({ phrases: phraseList }),
  erase_data: z.strictObject({ phrases: phraseList }),
  language: z.strictObject({ phrases: phraseList }),
  quiz: z.strictObject({ phrases: phraseList }),
  contact: z.strictObject({ phrases: phraseList }),
  menu: z.strictObject({ phrases: phraseList }),
  police_anchors: z.strictObject({ phrases: phraseList }),
  departments: z.record(z.string().regex(/^[A-Z]{2}\d{2}$/), z.strictObject({ name: z.string().min(5), phrases: phraseList })),
  out_of_scope: z.array(z.strictObject({ phrases: phraseList, where: z.string() })),
  aspects: z.record(z.string(), phraseList),
  emergency_hints: z.record(z.string().regex(/^\d{3}$/), phraseList).default({}),
  refuse_kinds: z.partialRecord(z.enum(['data', 'weapon', 'bribe', 'fake']), phraseList).default({}),
});

const emergencyKindSchema = z.strictObject({ number: z.string().regex(/^\d{3}$/), phrases: phraseList });

const repliesSchema = z.strictObject({
  broadcast_stop: phraseList,
  broadcast_resume: phraseList,
  cancel: phraseList,
  yes: phraseList,
  no: phraseList,
});

const stopwordsSchema = z.strictObject({ vi: phraseList, en: phraseList, noise: phraseList.default([]) });

/** Matches any of a list of phrases (folded, accent-sensitive with "=", or /regex/) in a message. */
export interface PhraseMatcher {
  test(folded: string, raw: string): boolean;
  /** Removes every match from the folded text. */
  strip(folded: string): string;
}

export type RefuseKind = 'data' | 'weapon' | 'bribe' | 'fake';

export type Aspect = 'time' | 'fee' | 'documents' | 'online' | 'where' | 'legal';

export interface Lexicon {
  /** Multi-word expansions, found by their first word (longest phrase first). */
  phraseExpansions: Map<string, { words: string[]; to: string }[]>;
  tokenExpansions: Map<string, string>;
  /** Words whose meaning depends on neighbours: `near` (±3 words) or `next` (the following word) decide. */
  contextual: { key: string; near: Set<string>; next: Set<string>; to: string | undefined; default: string | undefined }[];
  stopwords: { vi: Set<string>; en: Set<string> };
  /** Khmer words (no spaces between words) → Vietnamese words, longest first. */
  khmer: { from: string; to: string }[];
  /** Extra words added when a pattern is found (a child's age → "dưới 14 tuổi"). */
  derive: { pattern: RegExp; add: string }[];
  /** Names of the police and places, removed before search. */
  noise: PhraseMatcher;
  /** Words that only police procedures use: their presence keeps a question in scope. */
  policeAnchors: PhraseMatcher;
  emergencyIgnore: PhraseMatcher;
  /** The same phrases as typed (lower case, accents kept), removed from the raw text. */
  emergencyIgnoreRaw: string[];
  /** Words that put an event in the past. */
  past: PhraseMatcher;
  emergency: { kind: string; number: string; matcher: PhraseMatcher }[];
  crimeReport: PhraseMatcher;
  /** Words that say which number leads when only the intent model saw danger (fire and gas → 114, injury → 115). */
  emergencyHints: { number: string; matcher: PhraseMatcher }[];
  /** Words that say what kind of unlawful request a message is, for the one sentence of why not. */
  refuseKinds: { kind: RefuseKind; matcher: PhraseMatcher }[];
  complaint: PhraseMatcher;
  petition: PhraseMatcher;
  greeting: PhraseMatcher;
  eraseData: PhraseMatcher;
  language: PhraseMatcher;
  quiz: PhraseMatcher;
  contact: PhraseMatcher;
  menu: PhraseMatcher;
  outOfScope: { matcher: PhraseMatcher; where: string }[];
  /** City police departments and the words of their business, in file order. */
  departments: { code: string; name: string; matcher: PhraseMatcher }[];
  aspects: { aspect: Aspect; matcher: PhraseMatcher }[];
  /** Whole-message replies (content/lexicon/replies.yaml), folded: the message must equal one of them. */
  replies: WholeMessageReplies;
}

/** Sets of whole messages, folded with normalizeText. */
export interface WholeMessageReplies {
  broadcastStop: ReadonlySet<string>;
  broadcastResume: ReadonlySet<string>;
  cancel: ReadonlySet<string>;
  yes: ReadonlySet<string>;
  no: ReadonlySet<string>;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiles a phrase list into one folded regex, one accent-sensitive regex and raw regexes. */
export function compilePhrases(phrases: string[]): PhraseMatcher {
  const folded: string[] = [];
  const exact: string[] = [];
  const foldedRegex: RegExp[] = [];
  const rawRegex: RegExp[] = [];
  for (const p of phrases) {
    if (p.startsWith('=/') && p.endsWith('/')) rawRegex.push(new RegExp(p.slice(2, -1), 'u'));
    else if (p.startsWith('/') && p.endsWith('/') && p.length > 2) foldedRegex.push(new RegExp(p.slice(1, -1)));
    else if (p.startsWith('=')) exact.push(escape(p.slice(1).normalize('NFC').toLowerCase()));
    else {
      const n = normalizeText(p);
      if (n) folded.push(escape(n));
    }
  }
  folded.sort((a, b) => b.length - a.length);
  const foldedRe = folded.length > 0 ? new RegExp(`(?:^| )(?:${folded.join('|')})(?= |$)`, 'g') : undefined;
  const exactRe = exact.length > 0 ? new RegExp(`(?:^|[^\\p{L}\\p{N}])(?:${exact.join('|')})(?=[^\\p{L}\\p{N}]|$)`, 'u') : undefined;
  return {
    test(f, raw) {
      if (foldedRe) {
        foldedRe.lastIndex = 0;
        if (foldedRe.test(f)) return true;
      }
      if (exactRe && exactRe.test(raw.normalize('NFC').toLowerCase())) return true;
      return foldedRegex.some((r) => r.test(f)) || rawRegex.some((r) => r.test(raw.normalize('NFC').toLowerCase()));
    },
    strip(f) {
      if (!foldedRe) return f;
      return f.replace(foldedRe, ' ').replace(/\s+/g, ' ').trim();
    },
  };
}

/** Loads content/lexicon/{abbreviations,intents,stopwords,replies}.yaml. */
export function loadLexicon(contentDir: string): Lexicon {
  const dir = join(contentDir, 'lexicon');
  const abbr = readYamlFile(join(dir, 'abbreviations.yaml'), abbreviationsSchema);
  const intents = readYamlFile(join(dir, 'intents.yaml'), intentsSchema);
  const stop = readYamlFile(join(dir, 'stopwords.yaml'), stopwordsSchema);
  const replies = readYamlFile(join(dir, 'replies.yaml'), repliesSchema);
  const folded = (list: string[]): ReadonlySet<string> => new Set(list.map(normalizeText));

  const phraseTo = new Map<string, string>();
  const tokenExpansions = new Map<string, string>();
  for (const [key, value] of Object.entries(abbr.expand)) {
    const k = normalizeText(key);
    const v = normalizeText(value);
    if (!k) continue;
    if (k.includes(' ')) phraseTo.set(k, v);
    else tokenExpansions.set(k, v);
  }
  const phraseExpansions: Lexicon['phraseExpansions'] = new Map();
  for (const [key, to] of [...phraseTo].sort((a, b) => b[0].split(' ').length - a[0].split(' ').length)) {
    const words = key.split(' ');
    const list = phraseExpansions.get(words[0]!) ?? [];
    list.push({ words, to });
    phraseExpansions.set(words[0]!, list);
  }

  const emergency: Lexicon['emergency'] = [];
  for (const [kind, value] of Object.entries(intents.emergency)) {
    if (kind === 'ignore' || kind === 'past') continue;
    const parsed = emergencyKindSchema.safeParse(value);
    if (!parsed.success) throw new Error(`${join(dir, 'intents.yaml')}: emergency.${kind}: ${parsed.error.issues[0]?.message}`);
    emergency.push({ kind, number: parsed.data.number, matcher: compilePhrases(parsed.data.phrases) });
  }
  const aspectOrder: Aspect[] = ['time', 'fee', 'documents', 'online', 'where', 'legal'];
  return {
    phraseExpansions,
    tokenExpansions,
    contextual: abbr.contextual.map((c) => ({
      key: normalizeText(c.key),
      near: new Set(c.near.map(normalizeText)),
      next: new Set(c.next.map(normalizeText)),
      to: c.to === undefined ? undefined : normalizeText(c.to),
      default: c.default === undefined ? undefined : normalizeText(c.default),
    })),
    stopwords: { vi: new Set(stop.vi.map(normalizeText)), en: new Set(stop.en.map(normalizeText)) },
    khmer: Object.entries(abbr.khmer)
      .map(([from, to]) => ({ from: from.normalize('NFC').replace(/[\u200B-\u200D\uFEFF]/g, ''), to: normalizeText(to) }))
      .sort((a, b) => b.from.length - a.from.length),
    derive: abbr.derive.map((d) => ({ pattern: new RegExp(d.pattern), add: normalizeText(d.add) })),
    noise: compilePhrases(stop.noise),
    policeAnchors: compilePhrases(intents.police_anchors.phrases),
    emergencyIgnore: compilePhrases(intents.emergency.ignore),
    emergencyIgnoreRaw: intents.emergency.ignore.map((p) => p.normalize('NFC').toLowerCase()).sort((a, b) => b.length - a.length),
    past: compilePhrases(intents.emergency.past),
    emergency,
    crimeReport: compilePhrases(intents.crime_report.phrases),
    complaint: compilePhrases(intents.complaint.phrases),
    petition: compilePhrases(intents.petition.phrases),
    greeting: compilePhrases(intents.greeting.phrases),
    eraseData: compilePhrases(intents.erase_data.phrases),
    language: compilePhrases(intents.language.phrases),
    quiz: compilePhrases(intents.quiz.phrases),
    contact: compilePhrases(intents.contact.phrases),
    menu: compilePhrases(intents.menu.phrases),
    outOfScope: intents.out_of_scope.map((o) => ({ matcher: compilePhrases(o.phrases), where: o.where })),
    emergencyHints: Object.entries(intents.emergency_hints).map(([number, phrases]) => ({ number, matcher: compilePhrases(phrases) })),
    refuseKinds: Object.entries(intents.refuse_kinds).map(([kind, phrases]) => ({ kind: kind as RefuseKind, matcher: compilePhrases(phrases) })),
    departments: Object.entries(intents.departments).map(([code, d]) => ({ code, name: d.name, matcher: compilePhrases(d.phrases) })),
    aspects: aspectOrder.filter((a) => intents.aspects[a]).map((a) => ({ aspect: a, matcher: compilePhrases(intents.aspects[a]!) })),
    replies: {
      broadcastStop: folded(replies.broadcast_stop),
      broadcastResume: folded(replies.broadcast_resume),
      cancel: folded(replies.cancel),
      yes: folded(replies.yes),
      no: folded(replies.no),
    },
  };
}
