import type { Lexicon } from './lexicon.ts';
import { hasKhmer, normalizeText, toAsciiDigits, tokenize } from './normalize.ts';

export type QueryLanguage = 'vi' | 'en' | 'km';

/** A citizen's message prepared for matching. */
export interface PreparedQuery {
  /** As typed (NFC). */
  raw: string;
  /** Normalised (folded) text. */
  folded: string;
  /** Folded text with abbreviations and teencode expanded. */
  expanded: string;
  /** Content words of `expanded` (stopwords dropped). */
  tokens: string[];
  language: QueryLanguage;
}

const VIETNAMESE_MARKS = /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i;
// Common English words that are not Vietnamese syllables, to tell an English question from unaccented Vietnamese.
const ENGLISH_HINTS = new Set(
  'how what where when which who why do does did i my is are am the a an for to of in on with please want need get apply can could should would lost lose card id passport licence license driving register registration renew renewal residence temporary permanent fee cost much long take visa record criminal vehicle motorbike car child children foreigner hello hi thanks thank you help'.split(' '),
);

/** Guesses the language of a message: Khmer script, English, or Vietnamese (the default). */
export function detectLanguage(raw: string, folded: string): QueryLanguage {
  if (hasKhmer(raw)) return 'km';
  if (VIETNAMESE_MARKS.test(raw)) return 'vi';
  const tokens = tokenize(folded);
  if (tokens.length === 0) return 'vi';
  const english = tokens.filter((t) => ENGLISH_HINTS.has(t)).length;
  return english / tokens.length >= 0.4 && english >= 2 ? 'en' : 'vi';
}

/** Picks a contextual rule's outcome for the word at `i`: `to` when a neighbour confirms it, else `default`. */
function contextualOutcome(rule: Lexicon['contextual'][number], words: string[], i: number): string | undefined {
  const window = [...words.slice(Math.max(0, i - 3), i), ...words.slice(i + 1, i + 4)];
  const near = (rule.near.size > 0 && window.some((w) => rule.near.has(w))) || (rule.next.size > 0 && rule.next.has(words[i + 1] ?? ''));
  return near ? rule.to : rule.default;
}

/** Expands abbreviations: phrases first, then single words, then context-dependent ones. */
export function expandAbbreviations(folded: string, lexicon: Lexicon): string {
  const input = tokenize(folded);
  // Expansions may hold several words: the output is built word by word so the contextual rules see single words.
  const flat: string[] = [];
  const push = (text: string) => {
    if (text.includes(' ')) {
      for (const w of text.split(' ')) flat.push(w);
    } else flat.push(text);
  };
  // Longest phrase first at each position, then single words.
  for (let i = 0; i < input.length; ) {
    const word = input[i]!;
    let matched = 0;
    const phrases = lexicon.phraseExpansions.get(word);
    if (phrases !== undefined) {
      for (const phrase of phrases) {
        if (phrase.words.every((w, k) => input[i + k] === w)) {
          if (phrase.to) push(phrase.to);
          matched = phrase.words.length;
          break;
        }
      }
    }
    if (matched === 0) {
      push(lexicon.tokenExpansions.get(word) ?? word);
      matched = 1;
    }
    i += matched;
  }
  // Rules apply in the lexicon's order, each to the whole text.
  for (const rule of lexicon.contextual) {
    let i = flat.indexOf(rule.key);
    while (i !== -1) {
      const replacement = contextualOutcome(rule, flat, i);
      // An empty outcome means "not a search word here"; the text keeps it for phrase matching.
      if (replacement) flat[i] = replacement;
      i = flat.indexOf(rule.key, i + 1);
    }
  }
  // The input is normalised (single spaces) and so are the lexicon's expansions: only empty words need dropping.
  return flat.filter((w) => w.length > 0).join(' ');
}

/** The first contextual rule for each word (the lexicon is loaded once; the map is made on first use). */
const rulesByKey = new WeakMap<Lexicon, Map<string, Lexicon['contextual'][number]>>();
function contextualRuleFor(lexicon: Lexicon, word: string): Lexicon['contextual'][number] | undefined {
  let map = rulesByKey.get(lexicon);
  if (map === undefined) {
    map = new Map();
    for (const rule of lexicon.contextual) if (!map.has(rule.key)) map.set(rule.key, rule);
    rulesByKey.set(lexicon, map);
  }
  return map.get(word);
}

/** Search words of an expanded text: ambiguous words that turned out to be function words are dropped. */
export function searchWords(expanded: string, lexicon: Lexicon, stopwords: ReadonlySet<string>): string[] {
  const words = tokenize(lexicon.noise.strip(expanded));
  return words.filter((w, i) => {
    if (stopwords.has(w)) return false;
    const rule = contextualRuleFor(lexicon, w);
    return !rule || contextualOutcome(rule, words, i) !== '';
  });
}

/** Normalises, detects the language, expands abbreviations and drops stopwords. */
export function prepareQuery(input: string, lexicon: Lexicon): PreparedQuery {
  const raw = input.normalize('NFC');
  const language = detectLanguage(raw, normalizeText(raw));
  const folded = language === 'km' ? normalizeText(translateKhmer(raw, lexicon)) : normalizeText(raw);
  let expanded: string;
  let tokens: string[];
  if (language === 'en') {
    // English stopwords go first: "the", "can" are also Vietnamese syllables (thẻ, căn) after folding.
    const kept = tokenize(folded).filter((t) => !lexicon.stopwords.en.has(t));
    expanded = expandAbbreviations(folded, lexicon);
    tokens = tokenize(expandAbbreviations(kept.join(' '), lexicon));
  } else {
    expanded = expandAbbreviations(folded, lexicon);
    tokens = searchWords(expanded, lexicon, lexicon.stopwords.vi);
  }
  // Derived words help names match ("dưới 14 tuổi") but are not search words themselves.
  for (const rule of lexicon.derive) {
    if (rule.pattern.test(expanded) && !expanded.includes(rule.add)) expanded = `${expanded} ${rule.add}`;
  }
  return { raw, folded, expanded, tokens, language };
}

/** Replaces known Khmer words with their Vietnamese equivalents and drops the remaining Khmer letters. */
export function translateKhmer(raw: string, lexicon: Lexicon): string {
  let text = toAsciiDigits(raw).replace(/[\u200B-\u200D\uFEFF]/g, '');
  for (const { from, to } of lexicon.khmer) text = text.split(from).join(` ${to} `);
  return text.replace(/[\u1780-\u17FF\u19E0-\u19FF]+/g, ' ');
}
