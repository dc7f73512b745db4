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

/** Folds Vietnamese tone and vowel marks and đ→d; the text must already be lower case. */
export function foldMarks(text: string): string {
  return text.normalize('NFD').replace(COMBINING_MARKS, '').replace(/đ/g, 'd').normalize('NFC');
}

/**
 * Normalises text for matching: NFC, lower case, no HTML, no zero-width characters,
 * no punctuation, Vietnamese marks folded, đ→d, Khmer digits → ASCII, repeated letters collapsed.
 * Khmer letters survive (only zero-width spaces are removed, which Khmer uses between words).
 */
export function normalizeText(input: string): string {
  const text = toAsciiDigits(input.normalize('NFC').replace(ZERO_WIDTH, '').replace(HTML_TAG, ' ').toLowerCase());
  return foldMarks(text).replace(NON_WORD, ' ').replace(REPEATED, '$1').replace(/\s+/g, ' ').trim();
}

/** Splits normalised text into tokens. */
export function tokenize(normalized: string): string[] {
  return normalized.length === 0 ? [] : normalized.split(' ');
}

/** True when the text holds Khmer script. */
export function hasKhmer(text: string): boolean {
  return /[\u1780-\u17FF]/.test(text);
}
