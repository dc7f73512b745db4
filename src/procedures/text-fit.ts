import { normalizeText, tokenize } from '../text/normalize.ts';

// Fitting content text into the room a reply has: whole sentences, then clauses, then words, never silently dropping
// a caveat.

// Khmer ends a sentence with "។".
const SENTENCE_END = /[.!?…។](?=\s)/g;
const CLAUSE_END = /[;:](?=\s)/g;

/** The last match of `re` ending at or before `max`, past 40% of it (so a cut keeps a real part of the text). */
function lastEnd(s: string, re: RegExp, max: number): number | undefined {
  let best: number | undefined;
  for (const m of s.matchAll(re)) {
    const end = m.index + m[0].length;
    if (end > max) break;
    if (end >= max * 0.4) best = end;
  }
  return best;
}

/** `s` in at most `max` characters: whole sentences, else whole clauses, else whole words, marked "…" when cut. */
export function shorten(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max <= 1) return '';
  const sentence = lastEnd(s, SENTENCE_END, max);
  if (sentence !== undefined) return s.slice(0, sentence);
  const clause = lastEnd(s, CLAUSE_END, max - 1);
  if (clause !== undefined) return `${s.slice(0, clause - 1).trimEnd()}…`;
  const cut = s.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.5 ? cut.slice(0, space) : cut).replace(/[\s,;:(–-]+$/, '')}…`;
}

/** A short line's value: up to its first ";" or "(" clause (or `at`) when longer than `max`, then whole words. */
export function clip(s: string, max: number, at: RegExp = /\s\(|;\s/): string {
  if (s.length <= max) return s;
  const clause = s.search(at);
  const head = clause >= 12 ? `${s.slice(0, clause).trimEnd()}…` : s;
  return head.length <= max ? head : shorten(head, max);
}

/** Sentences of a text (the full stop stays with its sentence). */
export function sentences(s: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const m of s.matchAll(SENTENCE_END)) {
    const end = m.index + m[0].length;
    out.push(s.slice(start, end).trim());
    start = end;
  }
  const rest = s.slice(start).trim();
  if (rest) out.push(rest);
  return out.filter(Boolean);
}

/** How many of a text's words are among `focus` (the question's content words). */
export function sharedWith(focus: readonly string[]): (s: string) => number {
  const words = new Set(focus);
  return (s) => tokenize(normalizeText(s)).filter((w) => words.has(w)).length;
}

// A sentence that says the note is not confirmed: never dropped silently.
export const CAVEAT = /chưa (?:được )?(?:xác nhận|đối chiếu|kiểm chứng|rõ)|not (?:been )?(?:confirmed|checked)|not clear|មិនទាន់(?:បាន)?(?:បញ្ជាក់|ផ្ទៀងផ្ទាត់|ច្បាស់)/i;

/**
 * A note in `room`: its first sentence, then the sentences that share most words with the question, in their order;
 * a left-out part is marked "…", and a left-out caveat ("chưa được xác nhận") by `marker`. Undefined when even the
 * first sentence cannot keep `min` characters.
 */
export function focused(note: string, focus: readonly string[], room: number, options: { marker: string; min: number; trailing?: boolean }): string | undefined {
  if (note.length <= room) return note;
  const all = sentences(note);
  const { marker, min, trailing = true } = options;
  // Room for the marker, in case a caveat has to be left out.
  const avail = room - (all.some((s, i) => i > 0 && CAVEAT.test(s)) ? marker.length + 1 : 0);
  if (avail < min) return undefined;
  const overlap = sharedWith(focus);
  // Each sentence whole, or down to its first clause when that is what fits.
  const kept = new Map<number, string>([[0, all[0]!.length <= avail ? all[0]! : shorten(all[0]!, avail)]]);
  const size = () => [...kept.values()].reduce((n, s) => n + s.length + 3, 0);
  const ranked = all
    .map((s, i) => ({ i, score: (CAVEAT.test(s) ? 100 : 0) + overlap(s) }))
    .filter((x) => x.i > 0 && x.score > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i);
  for (const { i } of ranked) {
    const whole = all[i]!;
    const clause = firstClause(whole);
    if (size() + whole.length <= avail) kept.set(i, whole);
    else if (clause && size() + clause.length <= avail) kept.set(i, clause);
    else {
      // The first sentence gives way to its first clause when that lets a sentence the question asks about in.
      const head = firstClause(kept.get(0)!);
      if (!head) continue;
      const rest = size() - kept.get(0)!.length + head.length;
      const add = rest + whole.length <= avail ? whole : clause && rest + clause.length <= avail ? clause : undefined;
      if (add === undefined) continue;
      kept.set(0, head);
      kept.set(i, add);
    }
  }
  let out = '';
  for (let i = 0; i < all.length; i++) {
    const s = kept.get(i);
    if (s !== undefined) out += `${out ? ' ' : ''}${s}`;
    else if (!out.endsWith('…')) out += ' …';
  }
  if (!trailing) out = out.replace(/ …$/, '');
  return all.some((s, i) => !kept.has(i) && CAVEAT.test(s)) ? `${out} ${marker}` : out;
}

/** A sentence cut after its first clause (":" or ";"), marked "…"; undefined when it has no such clause. */
export function firstClause(s: string): string | undefined {
  const m = [...s.matchAll(/[;:](?=\s)/g)].find((x) => x.index >= 30);
  return m && m.index < s.length - 10 ? `${s.slice(0, m.index)}…` : undefined;
}
