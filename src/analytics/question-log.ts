import type { Db } from '../db/open.ts';
import { maskPersonalText } from '../petitions/contact.ts';
import { normalizeText } from '../text/normalize.ts';

export interface QuestionLog {
  /**
   * Counts a question the bot could not answer (normalised text only, no user id). `raw` is the text as typed:
   * personal data is found there (an email has lost its "@" once normalised) and never reaches the log.
   */
  recordUnanswered(question: { raw: string; folded: string }, at: number): void;
  /** Notes which intent (and procedure) a question was answered with, for reports. */
  recordAnswered(intent: string, procedureId: string | undefined, at: number): void;
  topUnanswered(limit: number): { normalized: string; count: number; first_seen_at: number; last_seen_at: number }[];
}

// Long digit runs (phone or ID numbers) never reach the log.
const maskDigits = (s: string) => s.replace(/\d[\d ]{6,}\d/g, '#');

/** SQLite log of questions for editors and reports. */
export function createQuestionLog(db: Db): QuestionLog {
  const unanswered = db.prepare(
    `INSERT INTO unanswered_questions (normalized, first_seen_at, last_seen_at) VALUES (?, ?, ?)
     ON CONFLICT(normalized) DO UPDATE SET count = count + 1, last_seen_at = excluded.last_seen_at`,
  );
  const answered = db.prepare(`INSERT INTO question_log (at, intent, procedure_id) VALUES (?, ?, ?)`);
  const top = db.prepare(`SELECT normalized, count, first_seen_at, last_seen_at FROM unanswered_questions ORDER BY count DESC, last_seen_at DESC LIMIT ?`);
  return {
    recordUnanswered({ raw, folded }, at) {
      const masked = maskPersonalText(raw);
      // Masked digits and addresses are punctuation once normalised: they disappear from the stored text.
      const normalized = masked === raw ? folded : maskPersonalText(normalizeText(masked));
      const text = maskDigits(normalized).slice(0, 300);
      if (text.length > 0) unanswered.run(text, at, at);
    },
    recordAnswered: (intent, procedureId, at) => void answered.run(at, intent, procedureId ?? null),
    topUnanswered: (limit) => top.all(limit) as { normalized: string; count: number; first_seen_at: number; last_seen_at: number }[],
  };
}
