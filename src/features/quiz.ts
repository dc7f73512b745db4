import { createQuizHandlers, type QuizHandlers } from '../bot/handlers/quiz.ts';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/open.ts';
import type { I18n } from '../i18n/index.ts';
import type { PiiExportLog } from '../privacy/pii-export-log.ts';
import { createQuizAdminRouter } from '../quiz/admin-routes.ts';
import { createQuizRepository, type QuizRepository } from '../quiz/quiz-repository.ts';
import { loadQuizzes, type Quiz } from '../quiz/quiz-schema.ts';
import type { FeatureParts } from './feature.ts';

export interface QuizFeature extends FeatureParts {
  quizzes: Quiz[];
  repo: QuizRepository;
  handlers: QuizHandlers;
}

/** The CCHC quiz contest in chat, and its results for staff. */
export function createQuizFeature(deps: { db: Db; contentDir: string; timeZone: string; i18n: I18n; clock: Clock; piiLog: PiiExportLog }): QuizFeature {
  const { quizzes, issues } = loadQuizzes(deps.contentDir);
  if (issues.length > 0) throw new Error(`Quiz content errors (run npm run content:check):\n  ${issues.map((e) => `${e.file}: ${e.message}`).join('\n  ')}`);
  const repo = createQuizRepository(deps.db);
  return {
    name: 'quiz',
    quizzes,
    repo,
    handlers: createQuizHandlers({ quizzes, repo, timeZone: deps.timeZone }),
    adminRouter: createQuizAdminRouter({ quizzes, repo, piiLog: deps.piiLog, i18n: deps.i18n, timeZone: deps.timeZone, clock: deps.clock }),
    erase: (userId) => repo.forgetUser(userId),
  };
}
