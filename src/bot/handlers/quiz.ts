import { queryButton, text, type OutgoingMessage } from '../../messages.ts';
import type { QuizRepository } from '../../quiz/quiz-repository.ts';
import { openQuiz, type Quiz } from '../../quiz/quiz-schema.ts';
import { localDate } from '../../time.ts';
import type { BotContext, HandlerOutcome } from '../context.ts';
import { payloads } from '../payloads.ts';
const LETTERS = ['A', 'B', 'C', 'D'];

type Outcome = HandlerOutcome & { intent: string };

/** The CCHC quiz in chat: one question at a time, explanation after each, score at the end, one attempt. */
export function createQuizHandlers(deps: { quizzes: Quiz[]; repo: QuizRepository; timeZone: string }) {
  const out = (replies: OutgoingMessage[]): Outcome => ({ replies, intent: 'menu' });

  function question(ctx: BotContext, quiz: Quiz, index: number): OutgoingMessage {
    const q = quiz.questions[index]!;
    const lines = [ctx.t('quiz.question', { n: index + 1, total: quiz.questions.length, question: q.question }), ...q.options.map((o, i) => `${LETTERS[i]}. ${o}`)];
    return text(
      lines.join('\n'),
      q.options.map((o, i) => queryButton(`${LETTERS[i]}. ${o}`.slice(0, 40), payloads.quizAnswer(quiz.id, index, i + 1))),
    );
  }

  return {
    /** "thi tìm hiểu CCHC" or the menu button: start (or resume) the open quiz. */
    start(ctx: BotContext): Outcome {
      const quiz = openQuiz(deps.quizzes, localDate(ctx.now, deps.timeZone));
      if (!quiz) return out([text(ctx.t('quiz.none'))]);
      const existing = deps.repo.get(quiz.id, ctx.userId);
      if (existing?.finished_at) return out([text(ctx.t('quiz.already', { score: existing.score, total: quiz.questions.length }))]);
      if (existing) return out([question(ctx, quiz, existing.current)]);
      deps.repo.start(quiz.id, ctx.userId, ctx.now.getTime());
      return out([text(ctx.t('quiz.intro', { title: quiz.title, intro: quiz.intro ?? '', total: quiz.questions.length })), question(ctx, quiz, 0)]);
    },

    /** A tap on an answer button; late or repeated taps are ignored without a reply. */
    answer(ctx: BotContext): Outcome {
      const [quizId, indexText, choiceText] = ctx.payload?.feature === 'quiz' && ctx.payload.action === 'answer' ? ctx.payload.args : [];
      const quiz = deps.quizzes.find((q) => q.id === quizId);
      const index = Number(indexText);
      const choice = Number(choiceText);
      const q = quiz?.questions[index];
      const attempt = quiz ? deps.repo.get(quiz.id, ctx.userId) : undefined;
      if (!quiz || !q || !attempt || !Number.isInteger(choice) || choice < 1 || choice > q.options.length) return out([]);
      const correct = choice === q.answer;
      const last = index === quiz.questions.length - 1;
      if (!deps.repo.answer(attempt.id, index, choice, correct, last, ctx.now.getTime())) return out([]);
      const verdict = correct
        ? ctx.t('quiz.right', { explanation: q.explanation })
        : ctx.t('quiz.wrong', { answer: `${LETTERS[q.answer - 1]}. ${q.options[q.answer - 1]}`, explanation: q.explanation });
      if (!last) return out([text(verdict), question(ctx, quiz, index + 1)]);
      const score = attempt.score + (correct ? 1 : 0);
      return out([text(verdict), text(ctx.t('quiz.finished', { score, total: quiz.questions.length }))]);
    },
  };
}

export type QuizHandlers = ReturnType<typeof createQuizHandlers>;
