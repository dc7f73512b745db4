import type { BotContext, HandlerOutcome, ProcedureRef, Route } from './context.ts';
import type { OutgoingMessage } from '../messages.ts';

export interface RoutedReply {
  route: string | undefined;
  replies: OutgoingMessage[];
  intent: string | undefined;
  procedures: ProcedureRef[];
}

/** Runs the first route that matches the context. */
export function createRouter(routes: readonly Route[]): (ctx: BotContext) => RoutedReply {
  return (ctx) => {
    for (const route of routes) {
      if (!route.match(ctx)) continue;
      const out: OutgoingMessage[] | HandlerOutcome = route.handle(ctx);
      if (Array.isArray(out)) return { route: route.name, replies: out, intent: undefined, procedures: [] };
      return { route: route.name, replies: out.replies, intent: out.intent, procedures: out.procedures ?? [] };
    }
    return { route: undefined, replies: [], intent: undefined, procedures: [] };
  };
}
