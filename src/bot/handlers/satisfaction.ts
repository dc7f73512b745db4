import { text } from '../../messages.ts';
import type { SatisfactionService } from '../../satisfaction/satisfaction-service.ts';
import type { BotContext, HandlerOutcome } from '../context.ts';

/** A tap on a rating button: thanks once; a second tap, or a tap on an old question, is ignored without a reply. */
export function createSatisfactionHandlers(deps: { service: SatisfactionService }) {
  return {
    rate(ctx: BotContext): HandlerOutcome & { intent: string } {
      const saved = deps.service.record(ctx.userId, ctx.text, ctx.now, ctx.language) === 'saved';
      return { replies: saved ? [text(ctx.t('satisfaction.thanks'))] : [], intent: 'greeting' };
    },
  };
}

export type SatisfactionHandlers = ReturnType<typeof createSatisfactionHandlers>;
