import type { QuestionLog } from '../analytics/question-log.ts';
import type { I18n } from '../i18n/index.ts';
import type { SatisfactionService } from '../satisfaction/satisfaction-service.ts';
import { text, type Button } from '../messages.ts';
import type { BotContext, IncomingContext } from './context.ts';
import { FLOW_TTL_MS, type FlowStore } from './flow-store.ts';
import type { LanguageHandlers } from './handlers/language.ts';
import { parsePayload } from './payloads.ts';
import { routeEvent, type RoutedReply } from './router.ts';
import { createRoutes, type ChatHandlers } from './routes.ts';
import type { Understander } from './understand.ts';

export interface BotDeps {
  handlers: ChatHandlers;
  understander: Understander;
  flows: FlowStore;
  i18n: I18n;
  language: LanguageHandlers;
  satisfaction: SatisfactionService;
  questions: QuestionLog;
}

/** The conversation side of the bot, independent of HTTP: one event in, the replies out. */
export interface Bot {
  route(incoming: IncomingContext): RoutedReply;
}

/**
 * Prepares each event once (payload, understanding, flow, the question's language), runs the routing table
 * (src/bot/routes.ts), then adds what every conversational answer gets: the offer to keep a language the question was
 * asked in, the satisfaction question after a second turn on a procedure or an opened detail, and the question log.
 */
export function createBot(deps: BotDeps): Bot {
  const routes = createRoutes(deps.handlers);

  function prepare(incoming: IncomingContext): BotContext {
    const typed = incoming.event.type === 'text' && incoming.text.trim().length > 0;
    const payload = typed ? parsePayload(incoming.text) : undefined;
    const understanding = typed && !payload ? deps.understander.understand(incoming.text) : undefined;
    // A question written in English or Khmer is answered in that language.
    const asked = understanding?.query.language ?? incoming.language;
    const language = asked !== 'vi' ? asked : incoming.language;
    const t = language === incoming.language ? incoming.t : deps.i18n.forLanguage(language);
    const flow = deps.flows.get<unknown>(incoming.userId, incoming.now.getTime(), FLOW_TTL_MS);
    return { ...incoming, language, t, payload, understanding, flow, storedLanguage: incoming.language };
  }

  return {
    route(incoming) {
      const ctx = prepare(incoming);
      const { route, reply } = routeEvent(routes, ctx);
      if (!route?.conversational) return reply;
      // Unsure whether danger is happening now: the numbers come first, then the answer to the rest.
      const preface = ctx.understanding?.safetyPreface ?? [];
      if (preface.length > 0 && reply.intent !== 'emergency') {
        const buttons: Button[] = preface.map((n) => ({ kind: 'phone', title: ctx.t('intent.call', { number: n }), phone: n }));
        reply.replies = [text(ctx.t('intent.safetyPreface', { numbers: preface.join(' / ') }), buttons), ...reply.replies];
      }
      const asked = ctx.understanding?.query.language;
      if (asked && asked !== 'vi' && asked !== ctx.storedLanguage && reply.intent !== 'emergency') {
        reply.replies = [...reply.replies, deps.language.offer(asked)];
      }
      // Another matter answered in the middle of a petition intake: offer to go on with it.
      if (route.name !== 'petition_flow' && reply.intent !== 'emergency' && deps.handlers.petitions.yieldsTo(ctx)) {
        reply.replies = [...reply.replies, deps.handlers.petitions.resumeOffer(ctx)];
      }
      // Satisfaction index, at most once a day: after a detail was opened or a second turn on the same procedure,
      // never under the first answer.
      const answered = reply.intent === 'procedure' && reply.rateable ? reply.procedures[0] : undefined;
      if (answered) {
        const prompt = deps.satisfaction.maybePrompt(ctx.userId, 'procedure', answered.id, ctx.now, ctx.t);
        if (prompt) reply.replies = [...reply.replies, prompt];
      }
      deps.questions.recordAnswered(reply.intent ?? 'unknown', reply.procedures[0]?.id, ctx.now.getTime());
      return reply;
    },
  };
}
