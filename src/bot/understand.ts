import type { IntentModel, IntentScores } from '../classifier/intent-model.ts';
import type { ProcedureIndex, SearchHit } from '../procedures/search.ts';
import { decideIntent } from './intent-decision.ts';
import { prepareQuery, searchWords, type PreparedQuery } from '../text/expand.ts';
import type { Aspect, Lexicon, RefuseKind } from '../text/lexicon.ts';
import { normalizeText, tokenize } from '../text/normalize.ts';

// The understanding step: from a message to what the citizen wants, once per message. Precise requests (erase,
// language, quiz) first; then the rules' signals and the intent model's probabilities are combined by
// decideIntent (src/bot/intent-decision.ts): emergency first, recall-first; a tracking code; the other intents;
// a procedure card only when confident, else choices (clarify) or an honest "not known".

export const INTENTS = [
  'emergency',
  'crime_report',
  'complaint',
  'petition',
  'petition_status',
  'scam',
  'refuse',
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
  /** The intent model's probability for each corpus label. */
  scores: IntentScores;
  /** How sure the understanding is (0..1); low values go to the unanswered-question log. */
  confidence: number;
  /** Numbers to put first when the bot is unsure whether danger is happening now (empty when not). */
  safetyPreface: string[];
  /** For a refusal: what kind of unlawful request it is (someone's data, a weapon, a bribe, a fake paper). */
  refuseKind?: RefuseKind;
}

/**
 * Requests beside the intents: `erase` ("xóa dữ liệu của tôi"), `language` ("ngôn ngữ", "language", "ភាសា"),
 * `quiz` ("thi tìm hiểu CCHC"), `contact` (phone, address, office hours; its intent is `menu`), `opt_out` (stop or
 * resume the OA's CCHC news, in other words than the exact phrases).
 */
export type CitizenRequest = 'erase' | 'language' | 'quiz' | 'contact' | 'opt_out';

export interface Understander {
  understand(text: string): Understanding;
}

// Score thresholds, tuned on the development questions and checked on held-out ones.
const MIN_SCORE = 20;
const CLOSE_RATIO = 0.85;
// When unsure, only hits this close to the first are offered as choices (a weak one is noise, not a choice).
const UNSURE_RATIO = 0.7;
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

/** How much the procedure model's probability counts against the search score (relative to the best hit). */
export const PROCEDURE_MODEL_WEIGHT = 1;

/**
 * The search's hits re-ranked with the procedure model: each hit's score relative to the best one, plus the model's
 * probability times PROCEDURE_MODEL_WEIGHT; a procedure only the model found joins with its probability alone.
 * A hit keeps the phrase the search found. Scores are scaled back to the best hit's.
 */
function rankProcedures(found: SearchHit[], predicted: { id: string; p: number }[], index: ProcedureIndex): SearchHit[] {
  const best = found[0]?.score ?? 0;
  const combined = new Map<string, { hit: SearchHit; value: number }>();
  for (const h of found) combined.set(h.id, { hit: h, value: best > 0 ? h.score / best : 0 });
  for (const { id, p } of predicted) {
    const entry = combined.get(id);
    if (entry) entry.value += PROCEDURE_MODEL_WEIGHT * p;
    else if (p >= 0.2 && index.get(id)?.status === 'active') combined.set(id, { hit: { id, score: 0, phrase: undefined }, value: PROCEDURE_MODEL_WEIGHT * p });
    // The model never learned merged procedures: one the search found by name shares its replacement's credit (so
    // "căn cước cho bé 6 tuổi" still gets the under-14 entry, whose answer says what replaced it).
    for (const other of combined.values()) {
      const merged = index.get(other.hit.id);
      if (merged?.status === 'merged' && merged.replaced_by.includes(id)) other.value += PROCEDURE_MODEL_WEIGHT * p;
    }
  }
  const scale = best > 0 ? best : MIN_SCORE * 2;
  return [...combined.values()]
    .sort((a, b) => b.value - a.value)
    .map(({ hit, value }) => ({ ...hit, score: Math.round(value * scale * 100) / 100 }))
    .filter((h) => h.score >= MIN_SCORE);
}

/** Hits without a merged procedure's twin: a merged entry and what replaced it are one answer, not two choices. */
function withoutMergedTwins(hits: SearchHit[], index: ProcedureIndex): SearchHit[] {
  const kept: SearchHit[] = [];
  for (const h of hits) {
    const p = index.get(h.id);
    const twin = kept.some((k) => {
      const q = index.get(k.id);
      return (p?.status === 'merged' && p.replaced_by.includes(k.id)) || (q?.status === 'merged' && q.replaced_by.includes(h.id));
    });
    if (!twin) kept.push(h);
  }
  return kept;
}

/** Numbers when only the intent model saw danger (no phrase said which): all three, the hinted one first. */
function guessEmergencyNumbers(query: PreparedQuery, lexicon: Lexicon): string[] {
  const hinted = lexicon.emergencyHints.filter((h) => h.matcher.test(query.expanded, query.raw)).map((h) => h.number);
  return [...new Set([...hinted, '113', '114', '115'])];
}

/** Creates the understander over the lexicon, the procedure index and the intent model. */
export function createUnderstander(lexicon: Lexicon, index: ProcedureIndex, model: IntentModel): Understander {
  return {
    understand(text) {
      const query = prepareQuery(text.length > MAX_UNDERSTOOD_CHARS ? text.slice(0, MAX_UNDERSTOOD_CHARS) : text, lexicon);
      const scores = model.scores(text);
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
        scores,
        confidence: 0,
        safetyPreface: [],
      };
      const f = query.expanded;
      const raw = query.raw;
      // Precise requests first: whole phrases that mean one thing.
      if (lexicon.eraseData.test(f, raw)) return { ...base, request: 'erase', confidence: 1 };
      // Only a short message is a language request ("ngôn ngữ"), not a question that mentions one.
      const plain = normalizeText(raw);
      if (lexicon.language.test(plain, raw) && plain.split(' ').length <= 4) return { ...base, request: 'language', confidence: 1 };
      if (lexicon.quiz.test(f, raw)) return { ...base, request: 'quiz', confidence: 1 };
      const code = findPetitionCode(query.folded);

      // Words about fees, time or papers say nothing about which procedure: search without them.
      const searchText = lexicon.aspects.reduce((acc, a) => a.matcher.strip(acc), query.expanded);
      const searchQuery: PreparedQuery = {
        ...query,
        tokens: query.language === 'en' ? query.tokens : searchWords(searchText, lexicon, lexicon.stopwords.vi),
      };
      // "mất bao lâu" alone asks about the procedure being discussed: with the aspect's words gone, one word left
      // ("mất" is also "lost") names no procedure unless it is a name.
      const bareAspect = base.aspect !== undefined && searchQuery.tokens.length <= 1;
      const found = index.search(searchQuery, 6).filter((h) => h.score >= MIN_SCORE && !(bareAspect && h.phrase === undefined));
      const predicted = model.procedures(text, 5);
      const hits = bareAspect && found.length === 0 ? [] : rankProcedures(found, predicted, index);
      const top = hits[0];
      const strong = top !== undefined && top.phrase !== undefined;
      const leftover = (m: { strip(s: string): string }) =>
        tokenize(lexicon.noise.strip(m.strip(f))).filter((t) => !lexicon.stopwords.vi.has(t) && !lexicon.stopwords.en.has(t));
      const emergency = detectEmergency(query, lexicon);
      const outOfScope = lexicon.outOfScope.find((o) => o.matcher.test(f, raw));
      const { decision, preface, confidence } = decideIntent(
        {
          emergency: emergency.numbers.length > 0,
          crimeReport: lexicon.crimeReport.test(f, raw),
          complaint: lexicon.complaint.test(f, raw),
          petition: lexicon.petition.test(f, raw),
          contact: lexicon.contact.test(f, raw),
          greeting: lexicon.greeting.test(f, raw) && (!top || (!strong && leftover(lexicon.greeting).length <= 2)),
          menu: lexicon.menu.test(f, raw),
          outOfScope: outOfScope !== undefined,
          policeAnchor: lexicon.policeAnchors.test(f, raw),
          strongProcedure: strong,
          anyProcedure: top !== undefined,
          procedureModelTop: top === undefined ? 0 : (predicted.find((x) => x.id === top.id)?.p ?? 0),
          searchAgrees: found[0] === undefined ? undefined : found.some((h) => h.id === top?.id),
          words: tokenize(query.folded).length,
          petitionCode: code !== undefined,
        },
        scores,
      );
      const sure = { ...base, confidence, safetyPreface: preface ? (emergency.numbers.length > 0 ? emergency.numbers : guessEmergencyNumbers(query, lexicon)) : [] };
      if (decision.kind === 'emergency') {
        const numbers = emergency.numbers.length > 0 ? emergency.numbers : guessEmergencyNumbers(query, lexicon);
        // Seen by the intent model alone (no phrase): if a flow takes the message after all, the numbers lead it.
        return { ...sure, intent: 'emergency', emergencyNumbers: numbers, emergencyKinds: emergency.kinds, safetyPreface: emergency.kinds.length === 0 ? numbers : [] };
      }
      if (code) return { ...sure, intent: 'petition_status', petitionCode: code };
      if (decision.kind === 'label') {
        const label = decision.label;
        switch (label) {
          case 'refuse': {
            // The lawful way is the procedure the words name, except for someone else's data (there is none).
            const refuseKind = lexicon.refuseKinds.find((k) => k.matcher.test(f, raw))?.kind;
            return { ...sure, intent: 'refuse', hits: refuseKind === 'data' || !strong ? [] : hits.slice(0, 1), refuseKind };
          }
          case 'crime_report':
          case 'complaint':
          case 'scam':
          case 'petition':
          case 'petition_status':
          case 'greeting':
          case 'menu':
            return { ...sure, intent: label };
          case 'place':
          case 'contact':
            return { ...sure, intent: 'menu', request: 'contact' };
          case 'out_of_scope':
            return { ...sure, intent: 'out_of_scope', outOfScopeWhere: outOfScope?.where ?? '' };
          case 'erase':
          case 'language':
          case 'quiz':
            return { ...sure, request: label };
          case 'opt_out':
            return { ...sure, request: 'opt_out' };
          case 'vague':
            return sure;
        }
      }

      const department = lexicon.departments.find((d) => d.matcher.test(f, raw));
      const named = department ? { code: department.code, name: department.name } : undefined;
      if (!top) return { ...sure, department: named };
      const close = withoutMergedTwins(hits.filter((h) => h.score >= top.score * CLOSE_RATIO), index);
      // No procedure fits: the words name one department's business, and no close hit is that department's (and none
      // was found by its name).
      if (named && !strong && !close.some((h) => { const d = index.get(h.id)?.department; return d === undefined || d === named.code; })) {
        return { ...sure, department: named };
      }
      // Not confident in any card: offer the nearest as choices rather than answer with one.
      if (decision.kind === 'unsure') return { ...sure, intent: 'clarify', hits: hits.filter((h) => h.score >= top.score * UNSURE_RATIO).slice(0, MAX_CHOICES) };
      // A known name wins over close scores when no other close hit has a name it does not contain.
      const nameWins = strong && close.every((h) => h === top || !h.phrase || ` ${top.phrase} `.includes(` ${h.phrase} `));
      if (close.length > 1 && !nameWins) {
        return { ...sure, intent: 'clarify', hits: close.slice(0, MAX_CHOICES) };
      }
      // A bare name of a thing ("cà vẹt") that several procedures share: the search's own close hits are the choices,
      // whatever the procedure model learned from longer questions.
      const searchClose = found.filter((h) => found[0] && h.score >= found[0].score * CLOSE_RATIO);
      if (!strong && tokenize(query.folded).length <= 2 && searchClose.length > 1) {
        return { ...sure, intent: 'clarify', hits: searchClose.slice(0, MAX_CHOICES) };
      }
      return { ...sure, intent: 'procedure', hits };
    },
  };
}
