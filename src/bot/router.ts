import type { BotContext, HandlerOutcome, ProcedureRef, Route, UnitRef } from './context.ts';
import type { OutgoingMessage } from '../messages.ts';

export interface RoutedReply {
  route: string | undefined;
  replies: OutgoingMessage[];
  intent: string | undefined;
  procedures: ProcedureRef[];
  /** The satisfaction question may follow (HandlerOutcome.rateable). */
  rateable?: boolean;
  /** The commune or ward the answer names (HandlerOutcome.unit). */
  unit?: UnitRef;
}

/** Runs the first route that matches the context; returns the route too, so the bot can add the follow-ups. */
export function routeEvent(routes: readonly Route[], ctx: BotContext): { route: Route | undefined; reply: RoutedReply } {
  for (const route of routes) {
    if (!route.match(ctx)) continue;
    const out: OutgoingMessage[] | HandlerOutcome = route.handle(ctx);
    const reply: RoutedReply = Array.isArray(out)
      ? { route: route.name, replies: out, intent: undefined, procedures: [], rateable: false }
      : { route: route.name, replies: out.replies, intent: out.intent, procedures: out.procedures ?? [], rateable: out.rateable ?? false, ...(out.unit ? { unit: out.unit } : {}) };
    return { route, reply };
  }
  return { route: undefined, reply: { route: undefined, replies: [], intent: undefined, procedures: [], rateable: false } };
}
