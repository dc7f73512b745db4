import type { ProcedureIndex, SearchHit } from '../procedures/search.ts';
import { prepareQuery, searchWords, type PreparedQuery } from '../text/expand.ts';
import type { Aspect, Lexicon } from '../text/lexicon.ts';
import { normalizeText, tokenize } from '../text/normalize.ts';

// The understanding step: pure functions from a message to what the citizen wants. Order is the contract:
// emergency → crime_report → complaint → petition_status (a code) → petition → greeting / menu
// → procedure search (procedure | clarify) → out_of_scope → unknown.

export const INTENTS = [
  'emergency',
  'crime_report',
  'complaint',
  'petition',
  'petition_status',
  'greeting',
  'menu',
  'procedure',
  'clarify',
  'out_of_scope',
  'unknown',
] as const;
export type IntentName = (typeof INTENTS)[number];

export interface Understanding {
  intent: IntentName;
  query: PreparedQuery;
  /** Numbers to call, the most relevant first (emergency only). */
  emergencyNumbers: string[];
  emergencyKinds: string[];
  petitionCode: string | undefined;
  /** Ranked procedures: the answer first, or the choices for clarify. */
  hits: SearchHit[];
  /** What the question asks about the procedure (fee, time, papers…), if anything. */
  aspect: Aspect | undefined;
  /** Where to go instead (out_of_scope); '' when the topic has nothing to do with any agency. */
  outOfScopeWhere: string | undefined;
  /**
   * The city police department whose business the message names (from its words), when no procedure fits: the reply
   * says the bot has no guide for it yet and names the department, instead of the nearest procedure card.
   */
  department: { code: string; name: string } | undefined;
  /** A request that is not a question: erase my data, change the language, take the quiz, how to reach the police. */
  request: CitizenRequest | undefined;
}

/**
 * Requests beside the intents: `erase` ("xóa dữ liệu của tôi"), `language` ("ngôn ngữ", "language", "ភាសា"),
 * `quiz` ("thi tìm hiểu CCHC"), `contact` (phone, address, office hours; its intent is `menu`).
 */
export type CitizenRequest = 'erase' | 'language' | 'quiz' | 'contact';

export interface Understander {
  understand(text: string): Understanding;
}

// Score thresholds, tuned on the development questions and checked on held-out ones.
const MIN_SCORE = 20;
const CLOSE_RATIO = 0.85;
const MAX_CHOICES = 3;
// Only the start of a long message is read: a question fits in far less, a petition part is capped at 2,000
// characters anyway, and a ~1 MB text (the webhook's limit) would otherwise be folded and searched whole.
export const MAX_UNDERSTOOD_CHARS = 2000;

const PETITION_CODE = /\bpa ?(\d{4}) ?(\d{1,6})\b/;

/** Finds a petition tracking code (PA-2025-000123, "pa 2025 123", Khmer digits…) in folded text. */
export function findPetitionCode(folded: string): string | undefined {
  const m = PETITION_CODE.exec(folded);
  return m ? `PA-${m[1]}-${m[2]!.padStart(6, '0')}` : undefined;
}

/** Emergency kinds and their numbers found in a message (none → not an emergency). */
export function detectEmergency(query: PreparedQuery, lexicon: Lexicon): { kinds: string[]; numbers: string[] } {
  const folded = lexicon.emergencyIgnore.strip(query.folded);
  const raw = lexicon.emergencyIgnoreRaw.reduce((text, phrase) => text.split(phrase).join(' '), query.raw.toLowerCase());
  const kinds: string[] = [];
  const numbers: string[] = [];
  // "nhà bị cháy hồi năm ngoái, giờ xin nghiệm thu PCCC": a past event told to ask about paperwork.
  if (lexicon.past.test(query.folded, query.raw) && lexicon.policeAnchors.test(query.expanded, query.raw)) return { kinds, numbers };
  for (const e of lexicon.emergency) {
    if (!e.matcher.test(folded, raw)) continue;
    kinds.push(e.kind);
    if (!numbers.includes(e.number)) numbers.push(e.number);
  }
  return { kinds, numbers };
}

/** Which aspect of a procedure a message asks about (time before fee: "bao nhiêu ngày" is time). */
export function detectAspect(query: PreparedQuery, lexicon: Lexicon): Aspect | undefined {
  return lexicon.aspects.find((a) => a.matcher.test(query.expanded, query.raw))?.aspect;
}

/** Creates the understander over the lexicon and the procedure index. */
export function createUnderstander(lexicon: Lexicon, index: ProcedureIndex): Understander {
  return {
    understand(text) {
      const query = prepareQuery(text.length > MAX_UNDERSTOOD_CHARS ? text.slice(0, MAX_UNDERSTOOD_CHARS) : text, lexicon);
      const base: Understanding = {
        intent: 'unknown',
        query,
        emergencyNumbers: [],
        emergencyKinds: [],
        petitionCode: undefined,
        hits: [],
        aspect: detectAspect(query, lexicon),
        outOfScopeWhere: undefined,
        request: undefined,
        department: undefined,
      };
      const f = query.expanded;
      const raw = query.raw;
      const emergency = detectEmergency(query, lexicon);
      if (emergency.numbers.length > 0) {
        return { ...base, intent: 'emergency', emergencyNumbers: emergency.numbers, emergencyKinds: emergency.kinds };
      }
      if (lexicon.eraseData.test(f, raw)) return { ...base, request: 'erase' };
      // Only a short message is a language request ("ngôn ngữ"), not a question that mentions one.
      const plain = normalizeText(raw);
      if (lexicon.language.test(plain, raw) && plain.split(' ').length <= 4) return { ...base, request: 'language' };
      if (lexicon.quiz.test(f, raw)) return { ...base, request: 'quiz' };
      if (lexicon.crimeReport.test(f, raw)) return { ...base, intent: 'crime_report' };
      if (lexicon.complaint.test(f, raw)) return { ...base, intent: 'complaint' };
      const code = findPetitionCode(query.folded);
      if (code) return { ...base, intent: 'petition_status', petitionCode: code };
      if (lexicon.petition.test(f, raw)) return { ...base, intent: 'petition' };
      if (lexicon.contact.test(f, raw)) return { ...base, intent: 'menu', request: 'contact' };

      // Words about fees, time or papers say nothing about which procedure: search without them.
      const searchText = lexicon.aspects.reduce((acc, a) => a.matcher.strip(acc), query.expanded);
      const searchQuery: PreparedQuery = {
        ...query,
        tokens: query.language === 'en' ? query.tokens : searchWords(searchText, lexicon, lexicon.stopwords.vi),
      };
      const hits = index.search(searchQuery, 6).filter((h) => h.score >= MIN_SCORE);
      const top = hits[0];
      const strong = top !== undefined && top.phrase !== undefined;

      const leftover = (m: { strip(s: string): string }) =>
        tokenize(lexicon.noise.strip(m.strip(f))).filter((t) => !lexicon.stopwords.vi.has(t) && !lexicon.stopwords.en.has(t));
      if (lexicon.greeting.test(f, raw) && (!top || (!strong && leftover(lexicon.greeting).length <= 2))) return { ...base, intent: 'greeting' };
      if (lexicon.menu.test(f, raw) && !strong) return { ...base, intent: 'menu' };

      const outOfScope = lexicon.outOfScope.find((o) => o.matcher.test(f, raw));
      if (outOfScope && !strong && !lexicon.policeAnchors.test(f, raw)) return { ...base, intent: 'out_of_scope', outOfScopeWhere: outOfScope.where };

      const department = lexicon.departments.find((d) => d.matcher.test(f, raw));
      const named = department ? { code: department.code, name: department.name } : undefined;
      if (!top) return { ...base, department: named };
      const close = hits.filter((h) => h.score >= top.score * CLOSE_RATIO);
      // No procedure fits: the words name one department's business, and no close hit is that department's (and none
      // was found by its name). A first, simple rule; calibrated confidence replaces it.
      if (named && !strong && !close.some((h) => { const d = index.get(h.id)?.department; return d === undefined || d === named.code; })) {
        return { ...base, department: named };
      }
      // A known name wins over close scores when no other close hit has a name it does not contain.
      const nameWins = strong && close.every((h) => h === top || !h.phrase || ` ${top.phrase} `.includes(` ${h.phrase} `));
      if (close.length > 1 && !nameWins) {
        return { ...base, intent: 'clarify', hits: close.slice(0, MAX_CHOICES) };
      }
      return { ...base, intent: 'procedure', hits };
    },
  };
}
