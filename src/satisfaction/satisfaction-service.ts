import { createHmac } from 'node:crypto';
import type { Db } from '../db/open.ts';
import type { Translate } from '../i18n/index.ts';
import { queryButton, text, type OutgoingMessage } from '../messages.ts';
import { localDate, startOfLocalDay } from '../time.ts';
import { payloads } from '../bot/payloads.ts';

export type RatingSubject = 'procedure' | 'petition';
// Two quick buttons on the 1–5 scale the report keeps (older five-face questions in chat history still count):
// 👍 is "hài lòng" (4), 👎 "chưa hài lòng" (2).
const QUICK = [
  { key: 'yes', score: 4 },
  { key: 'no', score: 2 },
] as const;

/** Count, average and distribution of ratings in a period. */
export interface SatisfactionSummary {
  count: number;
  average: number | null;
  distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
  bySubject: { procedure: number; petition: number };
}

export interface SatisfactionService {
  /** The rating question (two quick buttons), unless this user was already asked today. */
  maybePrompt(userId: string, subject: RatingSubject, ref: string, now: Date, t: Translate): OutgoingMessage | undefined;
  /** Stores a tap on a rating button; a repeated or forged tap is ignored. */
  record(userId: string, payload: string, now: Date, language: string): 'saved' | 'ignored';
  summary(from: number, to: number): SatisfactionSummary;
  forgetUser(userId: string): void;
}

/** Satisfaction index: one question a day at most, ratings stored without the user. */
export function createSatisfactionService(deps: { db: Db; secret: string; timeZone: string }): SatisfactionService {
  const lastAsked = deps.db.prepare(`SELECT last_asked_at FROM satisfaction_prompts WHERE user_id = ?`).pluck();
  const setAsked = deps.db.prepare(
    `INSERT INTO satisfaction_prompts (user_id, last_asked_at) VALUES (?, ?) ON CONFLICT(user_id) DO UPDATE SET last_asked_at = excluded.last_asked_at`,
  );
  const insert = deps.db.prepare(
    `INSERT INTO satisfaction_ratings (prompt_id, at, score, subject, procedure_id, petition_code, language) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(prompt_id) DO NOTHING`,
  );
  const stats = deps.db.prepare(
    `SELECT score, subject, count(*) AS n FROM satisfaction_ratings WHERE at BETWEEN ? AND ? GROUP BY score, subject`,
  );
  const forget = deps.db.prepare(`DELETE FROM satisfaction_prompts WHERE user_id = ?`);

  // The prompt id binds user, subject, reference and day, so a typed "#rate:…" cannot rate at will.
  const sign = (userId: string, subject: string, ref: string, day: string) =>
    createHmac('sha256', deps.secret).update(`${userId}|${subject}|${ref}|${day}`).digest('hex').slice(0, 16);

  return {
    maybePrompt(userId, subject, ref, now, t) {
      const last = lastAsked.get(userId) as number | undefined;
      if (last !== undefined && last >= startOfLocalDay(now, deps.timeZone)) return undefined;
      setAsked.run(userId, now.getTime());
      const day = localDate(now, deps.timeZone);
      const id = `${day}.${sign(userId, subject, ref, day)}`;
      return text(
        t('satisfaction.ask'),
        QUICK.map((q) => queryButton(t(`satisfaction.${q.key}`), payloads.rating(`${subject}:${ref}:${id}:${q.score}`))),
      );
    },
    record(userId, payload, now, language) {
      const [subject, ref, id, scoreText] = payload.slice(payloads.ratingPrefix.length).split(':');
      const score = Number(scoreText);
      if ((subject !== 'procedure' && subject !== 'petition') || !ref || !id || !Number.isInteger(score) || score < 1 || score > 5) return 'ignored';
      const day = id.split('.')[0] ?? '';
      if (id !== `${day}.${sign(userId, subject, ref, day)}`) return 'ignored';
      const saved = insert.run(id, now.getTime(), score, subject, subject === 'procedure' ? ref : null, subject === 'petition' ? ref : null, language).changes;
      return saved === 1 ? 'saved' : 'ignored';
    },
    summary(from, to) {
      const rows = stats.all(from, to) as { score: number; subject: RatingSubject; n: number }[];
      const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
      const bySubject = { procedure: 0, petition: 0 };
      let count = 0;
      let sum = 0;
      for (const r of rows) {
        distribution[String(r.score) as keyof typeof distribution] += r.n;
        bySubject[r.subject] += r.n;
        count += r.n;
        sum += r.score * r.n;
      }
      return { count, average: count === 0 ? null : Math.round((sum / count) * 100) / 100, distribution, bySubject };
    },
    forgetUser: (userId) => void forget.run(userId),
  };
}
