import type { Db } from '../db/open.ts';

/** A participant's attempt at a quiz (one per user and quiz). */
export interface AttemptRow {
  id: number;
  quiz_id: string;
  user_id: string;
  started_at: number;
  finished_at: number | null;
  current: number;
  score: number;
  answers: string;
}

export interface QuizRepository {
  get(quizId: string, userId: string): AttemptRow | undefined;
  /** Starts an attempt; false when the user already has one (one attempt per quiz). */
  start(quizId: string, userId: string, now: number): boolean;
  /**
   * Records the answer to question `index` only if it is the current one (late or repeated taps change nothing).
   * Returns false when ignored.
   */
  answer(id: number, index: number, choice: number, correct: boolean, finished: boolean, now: number): boolean;
  results(quizId: string): AttemptRow[];
  forgetUser(userId: string): void;
}

/** SQLite quiz attempts. */
export function createQuizRepository(db: Db): QuizRepository {
  const get = db.prepare(`SELECT * FROM quiz_attempts WHERE quiz_id = ? AND user_id = ?`);
  const start = db.prepare(`INSERT INTO quiz_attempts (quiz_id, user_id, started_at) VALUES (?, ?, ?) ON CONFLICT(quiz_id, user_id) DO NOTHING`);
  const answer = db.prepare(
    `UPDATE quiz_attempts SET current = current + 1, score = score + @point,
       answers = json_insert(answers, '$[#]', @choice), finished_at = CASE WHEN @finished THEN @now ELSE NULL END
     WHERE id = @id AND current = @index AND finished_at IS NULL`,
  );
  const results = db.prepare(`SELECT * FROM quiz_attempts WHERE quiz_id = ? ORDER BY score DESC, (coalesce(finished_at, 0) - started_at), id`);
  const forget = db.prepare(`DELETE FROM quiz_attempts WHERE user_id = ?`);
  return {
    get: (quizId, userId) => get.get(quizId, userId) as AttemptRow | undefined,
    start: (quizId, userId, now) => start.run(quizId, userId, now).changes === 1,
    answer: (id, index, choice, correct, finished, now) =>
      answer.run({ id, index, choice, point: correct ? 1 : 0, finished: finished ? 1 : 0, now }).changes === 1,
    results: (quizId) => results.all(quizId) as AttemptRow[],
    forgetUser: (userId) => void forget.run(userId),
  };
}
