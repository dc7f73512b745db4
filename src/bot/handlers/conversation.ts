import type { QuestionLog } from '../../analytics/question-log.ts';
import type { BotContext, HandlerOutcome } from '../context.ts';
import type { I18n } from '../../i18n/index.ts';
import { text } from '../../messages.ts';
import { RATE_COMMAND, type SatisfactionService } from '../../satisfaction/satisfaction-service.ts';
import type { Understander, Understanding } from '../intents.ts';
import { LANGUAGE_COMMAND, type LanguageHandlers } from './language.ts';
import { QUIZ_COMMAND, type QuizHandlers } from './quiz.ts';
import { CMD } from './menu.ts';
import type { PetitionFlow } from './petition-flow.ts';
import type { createProcedureHandlers } from './procedures.ts';

export interface ConversationDeps {
  satisfaction: SatisfactionService;
  quiz: QuizHandlers;
  understander: Understander;
  i18n: I18n;
  language: LanguageHandlers;
  procedures: ReturnType<typeof createProcedureHandlers>;
  petitions: PetitionFlow;
  questions: QuestionLog;
}

type Outcome = HandlerOutcome & { intent: string };

/**
 * Every text message: our buttons first, then the intent layer. An emergency is answered before anything
 * else, even in the middle of a petition; a running petition intake takes the rest of its messages.
 */
export function createConversation(deps: ConversationDeps) {
  function route(ctx: BotContext, u: Understanding | undefined): Outcome {
    const typed = ctx.text;
    if (typed.startsWith(LANGUAGE_COMMAND)) return deps.language.choose(ctx, typed.slice(LANGUAGE_COMMAND.length));
    if (typed.startsWith(RATE_COMMAND)) {
      // A second tap, or a tap on an old question, is ignored without a reply.
      const saved = deps.satisfaction.record(ctx.userId, typed, ctx.now, ctx.language) === 'saved';
      return { replies: saved ? [text(ctx.t('satisfaction.thanks'))] : [], intent: 'greeting' };
    }
    if (typed.startsWith(QUIZ_COMMAND)) return deps.quiz.answer(ctx);
    if (typed === CMD.quiz) return deps.quiz.start(ctx);
    if (typed.startsWith('#pa:')) return deps.petitions.handle(ctx);
    if (typed === CMD.petition) return deps.petitions.start(ctx);
    if (typed === CMD.status) return deps.petitions.status(ctx, undefined);
    if (typed.startsWith('#cmd:')) {
      const fromButton = deps.procedures.command(ctx);
      if (fromButton) return fromButton;
    }
    if (!u) return deps.procedures.message(ctx, deps.understander.understand(typed));
    if (u.intent === 'emergency') return deps.procedures.message(ctx, u);
    if (u.eraseRequest) return deps.petitions.erase(ctx);
    if (u.languageRequest) return deps.language.menu(ctx);
    if (u.quizRequest && !deps.petitions.active(ctx)) return deps.quiz.start(ctx);
    if (deps.petitions.active(ctx)) return deps.petitions.handle(ctx);
    if (u.intent === 'petition') return deps.petitions.start(ctx);
    if (u.intent === 'petition_status') return deps.petitions.status(ctx, u.petitionCode);
    return deps.procedures.message(ctx, u);
  }

  return {
    handleText(stored: BotContext): Outcome {
      const u = stored.text.startsWith('#') ? undefined : deps.understander.understand(stored.text);
      // A question written in English or Khmer is answered in that language, with an offer to keep it.
      const asked = u?.query.language ?? stored.language;
      const language = asked !== 'vi' ? asked : stored.language;
      const ctx = language === stored.language ? stored : { ...stored, language, t: deps.i18n.forLanguage(language) };
      const outcome = route(ctx, u);
      if (asked !== 'vi' && asked !== stored.language && outcome.intent !== 'emergency') {
        outcome.replies = [...outcome.replies, deps.language.offer(asked)];
      }
      // Satisfaction index: after a procedure answer, at most once a day.
      const answered = outcome.intent === 'procedure' ? outcome.procedures?.[0] : undefined;
      if (answered) {
        const prompt = deps.satisfaction.maybePrompt(ctx.userId, 'procedure', answered.id, ctx.now, ctx.t);
        if (prompt) outcome.replies = [...outcome.replies, prompt];
      }
      deps.questions.recordAnswered(outcome.intent, outcome.procedures?.[0]?.id, ctx.now.getTime());
      return outcome;
    },
    /** Images and Zalo's shared-info form belong to a running petition intake, if there is one. */
    inFlow: (ctx: BotContext) => deps.petitions.active(ctx),
    handleFlowEvent: (ctx: BotContext) => deps.petitions.handle(ctx),
    /** Zalo's user_withdraw: the citizen withdrew consent, so their data goes. */
    withdraw: (ctx: BotContext): Outcome => deps.petitions.erase(ctx),
  };
}
