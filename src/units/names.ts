import { foldMarks, toAsciiDigits } from '../text/normalize.ts';

/**
 * A place name folded for comparison: lower case, marks and đ folded, punctuation to spaces. Unlike normalizeText it
 * never collapses repeated letters, so "Phường III" stays apart from "Phường I".
 */
export function foldName(name: string): string {
  return foldMarks(toAsciiDigits(name.normalize('NFC').toLowerCase()))
    .replace(/[^a-z0-9\u1780-\u17ff]+/g, ' ')
    .trim();
}
