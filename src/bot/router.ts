import type { BotContext, Route } from './context.ts';
import type { OutgoingMessage } from '../messages.ts';

export interface RoutedReply {
  route: string | undefined;
  replies: OutgoingMessage[];
}

/** Runs the first route that matches the context. */
export function createRouter(routes: readonly Route[]): (ctx: BotContext) => Promise<RoutedReply> {
  return async (ctx) => {
    for (const route of routes) {
      if (route.match(ctx)) return { route: route.name, replies: await route.handle(ctx) };
    }
    return { route: undefined, replies: [] };
  };
}
