import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { AskResult } from './ask-runner.ts';

/** Where the corpus lives, and the writers never trained or tuned on (scored only at the end). */
export const CORPUS_DIR = 'test/fixtures/corpus';
export const HELD_OUT_WRITERS = ['w-test'];

/** One labelled message of test/fixtures/corpus/ (see its README). */
export const corpusLineSchema = z.object({
  text: z.string().min(1),
  intent: z.string().min(1),
  procedure: z.string().optional(),
  lang: z.string(),
  writer: z.string(),
});
export type CorpusLine = z.infer<typeof corpusLineSchema>;

export function readCorpus(file: string): CorpusLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const parsed = corpusLineSchema.safeParse(JSON.parse(l));
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues.map((x) => x.message).join('; ')}`);
      return parsed.data;
    });
}

// The bot's answer as one of the corpus's intents: the routes that serve requests (erase, language, quiz, contact,
// broadcast opt-out) stand for those labels; a vague message is answered by a clarifying question or the menu.
const ROUTE_LABEL: Record<string, string> = {
  erase: 'erase',
  language: 'language',
  quiz: 'quiz',
  contact: 'contact',
  place: 'place',
  broadcast_choice: 'opt_out',
  broadcast_help: 'opt_out',
};
export function observedLabel(r: AskResult): string {
  return ROUTE_LABEL[r.route] ?? r.intent;
}

/** Whether the observed label is the right handling of a message labelled `gold`. */
export function labelMatches(gold: string, observed: string): boolean {
  if (gold === observed) return true;
  if (gold === 'vague') return observed === 'clarify' || observed === 'unknown';
  // "Where is the commune police": the units answer (route `unit`, intent place), or the contact reply where the
  // resolver finds no place. "How do I reach the city police" may be answered by the units' duty-desk entry.
  if (gold === 'place') return observed === 'contact';
  if (gold === 'contact') return observed === 'place';
  return false;
}

export interface CorpusScore {
  messages: number;
  labelsOk: number;
  /** Per gold label: [handled right, total]. */
  perLabel: Map<string, [number, number]>;
  procedureMessages: number;
  /** The right procedure first, as a card or as the first choice. */
  top1: number;
  /** The right procedure answered with its card. */
  cardsRight: number;
  top3: number;
  /** A procedure card shown as the answer (intent procedure) that is not the gold procedure, over all messages. */
  wrongCards: number;
  confusions: Map<string, number>;
  misses: string[];
  /** Emergencies whose reply leads with an emergency number: the emergency answer, or the preface when unsure. */
  emergencies: number;
  emergenciesHandled: number;
  /** Other messages whose reply still led with an emergency number (the emergency answer or the preface). */
  falseAlarms: number;
}

export function scoreCorpus(lines: CorpusLine[], results: AskResult[]): CorpusScore {
  const s: CorpusScore = { messages: lines.length, labelsOk: 0, perLabel: new Map(), procedureMessages: 0, top1: 0, cardsRight: 0, top3: 0, wrongCards: 0, confusions: new Map(), misses: [], emergencies: 0, emergenciesHandled: 0, falseAlarms: 0 };
  lines.forEach((line, i) => {
    const r = results[i]!;
    const observed = observedLabel(r);
    const ok = labelMatches(line.intent, observed);
    const cell = s.perLabel.get(line.intent) ?? [0, 0];
    cell[1]++;
    if (ok) {
      cell[0]++;
      s.labelsOk++;
    } else {
      const pair = `${line.intent} → ${observed}`;
      s.confusions.set(pair, (s.confusions.get(pair) ?? 0) + 1);
      s.misses.push(`${line.writer} expected ${line.intent}${line.procedure ? `/${line.procedure}` : ''} got ${observed} ${r.procedures.map((p) => p.id).join(',')}: ${line.text}`);
    }
    s.perLabel.set(line.intent, cell);
    if (line.intent === 'emergency') {
      s.emergencies++;
      if (observed === 'emergency' || /\b11[345]\b/.test(r.reply.split('\n')[0] ?? '')) s.emergenciesHandled++;
      else s.misses.push(`${line.writer} MISSED EMERGENCY (no number first): ${line.text}`);
    } else if (observed === 'emergency' || /\b11[345]\b/.test(r.reply.split('\n')[0] ?? '')) {
      s.falseAlarms++;
    }
    const ids = r.intent === 'procedure' || r.intent === 'clarify' ? r.procedures.map((p) => p.id) : [];
    if (line.procedure) {
      s.procedureMessages++;
      if (ids[0] === line.procedure && r.intent === 'procedure') s.cardsRight++;
      if (ids[0] === line.procedure) s.top1++;
      if (ids.slice(0, 3).includes(line.procedure)) s.top3++;
      if (ids[0] !== line.procedure && ids[0] !== undefined && r.intent === 'procedure') {
        s.misses.push(`${line.writer} expected procedure/${line.procedure} got card ${ids[0]}: ${line.text}`);
      }
    }
    if (r.intent === 'procedure' && ids[0] !== undefined && ids[0] !== line.procedure) s.wrongCards++;
  });
  return s;
}

/** The sum of several scores (cross-validation folds). */
export function mergeScores(scores: CorpusScore[]): CorpusScore {
  const out: CorpusScore = { messages: 0, labelsOk: 0, perLabel: new Map(), procedureMessages: 0, top1: 0, cardsRight: 0, top3: 0, wrongCards: 0, confusions: new Map(), misses: [], emergencies: 0, emergenciesHandled: 0, falseAlarms: 0 };
  for (const s of scores) {
    out.messages += s.messages;
    out.labelsOk += s.labelsOk;
    out.procedureMessages += s.procedureMessages;
    out.top1 += s.top1;
    out.cardsRight += s.cardsRight;
    out.top3 += s.top3;
    out.wrongCards += s.wrongCards;
    out.emergencies += s.emergencies;
    out.emergenciesHandled += s.emergenciesHandled;
    out.falseAlarms += s.falseAlarms;
    for (const [k, [a, b]] of s.perLabel) {
      const c = out.perLabel.get(k) ?? [0, 0];
      out.perLabel.set(k, [c[0] + a, c[1] + b]);
    }
    for (const [k, n] of s.confusions) out.confusions.set(k, (out.confusions.get(k) ?? 0) + n);
    out.misses.push(...s.misses);
  }
  return out;
}

const pct = (n: number, d: number) => (d === 0 ? '—' : `${((n / d) * 100).toFixed(1)}%`);

export function formatScore(name: string, s: CorpusScore): string {
  const lines = [
    `${name}: ${s.messages} messages — labels ${pct(s.labelsOk, s.messages)}, procedure top-1 ${pct(s.top1, s.procedureMessages)} (as a card ${pct(s.cardsRight, s.procedureMessages)}), ` +
      `top-3 ${pct(s.top3, s.procedureMessages)} (${s.procedureMessages}), wrong cards shown ${pct(s.wrongCards, s.messages)} (${s.wrongCards}), emergencies with a number first ${pct(s.emergenciesHandled, s.emergencies)}, false alarms ${pct(s.falseAlarms, s.messages - s.emergencies)}`,
    `  per label: ${[...s.perLabel.entries()].sort((a, b) => b[1][1] - a[1][1]).map(([k, [ok, n]]) => `${k} ${pct(ok, n)}/${n}`).join('  ')}`,
    `  top confusions: ${[...s.confusions.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, n]) => `${k} ×${n}`).join(', ')}`,
  ];
  return lines.join('\n');
}
