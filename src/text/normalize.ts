// Vietnamese-aware text folding used on both the content and the citizen's question.

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const HTML_TAG = /<[^>]{0,200}>/g;
const COMBINING_MARKS = /[\u0300-\u036f]/g;
const KHMER_DIGITS = /[\u17E0-\u17E9]/g;
// Everything that is not a letter or a digit (any script) becomes a space.
// Khmer vowel signs and subscript consonants are marks (\p{M}): they belong to the word.
const NON_WORD = /[^\p{L}\p{M}\p{N}]+/gu;
// Three or more of the same letter ("nhiuuuu", "điiii") collapse to one.
const REPEATED = /(\p{L})\1{2,}/gu;

/** Replaces Khmer digits (០–៩) with ASCII digits. */
export function toAsciiDigits(text: string): string {
  return text.replace(KHMER_DIGITS, (d) => String(d.charCodeAt(0) - 0x17e0));
}

// eslint-disable-next-line no-control-regex -- the whole ASCII range, control characters included
const ASCII_OR_KHMER = /^[\x00-\x7f\u1780-\u17ff]*$/;
const NON_WORD_FAST = /[^a-z0-9\u1780-\u17ff]+/g;
const REPEATED_FAST = /([a-z])\1{2,}/g;
const STRETCHED_WORD = /\S*(\S)\1\1\S*/g;
const ANY_TRIPLE = /(\S)\1\1/;

/** Folds Vietnamese tone and vowel marks and đ→d; the text must already be lower case. */
export function foldMarks(text: string): string {
  const folded = text.normalize('NFD').replace(COMBINING_MARKS, '').replace(/đ/g, 'd');
  return ASCII_OR_KHMER.test(folded) ? folded : folded.normalize('NFC');
}

// Long texts (procedure content) are normalised word by word through a cache: content repeats a few thousand
// distinct words, so most of the Unicode work is done once. The result is the same (a property test checks it).
const LONG_TEXT = 64;
const WORD_CACHE_MAX = 50_000;
const wordCache = new Map<string, string>();
const ASCII_SPACES = /[ \t\n\r]+/;

/**
 * Normalises text for matching: NFC, lower case, no HTML, no zero-width characters,
 * no punctuation, Vietnamese marks folded, đ→d, Khmer digits → ASCII, repeated letters collapsed.
 * Khmer letters survive (only zero-width spaces are removed, which Khmer uses between words).
 */
export function normalizeText(input: string): string {
  if (input.length < LONG_TEXT || input.includes('<')) return normalizeWhole(input);
  const out: string[] = [];
  for (const word of input.split(ASCII_SPACES)) {
    if (word.length === 0) continue;
    let folded = wordCache.get(word);
    if (folded === undefined) {
      folded = normalizeWhole(word);
      if (wordCache.size >= WORD_CACHE_MAX) wordCache.clear();
      wordCache.set(word, folded);
    }
    if (folded.length > 0) out.push(folded);
  }
  return out.join(' ');
}

const KHMER_COENG_DA = '\u17D2\u178A';
const KHMER_COENG_TA = '\u17D2\u178F';

/** normalizeText in one pass over the whole string (what the word-by-word path must equal). */
export function normalizeWhole(input: string): string {
  if (input.length === 0) return '';
  // NFD (inside foldMarks) accepts NFC and NFD input alike, so no NFC pass is needed first.
  let text = input.replace(ZERO_WIDTH, '').toLowerCase();
  // Khmer writes the subscript of ដ and of ត alike (្ដ / ្ត), and people type either: one spelling for matching.
  if (text.includes(KHMER_COENG_DA)) text = text.replaceAll(KHMER_COENG_DA, KHMER_COENG_TA);
  if (text.includes('<')) text = text.replace(HTML_TAG, ' ');
  const folded = foldMarks(toAsciiDigits(text));
  // Almost every message is ASCII (or Khmer) once folded: plain regexes are several times faster.
  const fast = ASCII_OR_KHMER.test(folded);
  const spaced = fast ? folded.replace(NON_WORD_FAST, ' ') : folded.replace(NON_WORD, ' ');
  // Stretched words ("nhiuuu") have vowels; abbreviations with tripled letters ("cccd") do not.
  const collapsed = !ANY_TRIPLE.test(spaced)
    ? spaced
    : spaced.replace(STRETCHED_WORD, (w) => (/[aeiouy]/.test(w) ? w.replace(fast ? REPEATED_FAST : REPEATED, '$1') : w));
  // The fast path's pattern already turned every run of separators into one space.
  return fast ? collapsed.trim() : collapsed.replace(/\s+/g, ' ').trim();
}

/** Splits normalised text into tokens. */
export function tokenize(normalized: string): string[] {
  return normalized.length === 0 ? [] : normalized.split(' ');
}

/** True when the text holds Khmer script. */
export function hasKhmer(text: string): boolean {
  return /[\u1780-\u17FF]/.test(text);
}
