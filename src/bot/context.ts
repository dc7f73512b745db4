import type { Language, Translate } from '../i18n/index.ts';
import type { OutgoingMessage } from '../messages.ts';
import type { ZaloEvent } from '../zalo/events.ts';

/** What a handler sees for one event: the event, the user's language and a translator. */
export interface BotContext {
  event: ZaloEvent;
  userId: string;
  /** The text the user typed or the payload of the button pressed ('' for non-text events). */
  text: string;
  language: Language;
  t: Translate;
  now: Date;
}

/** A procedure named in a reply, for the `ask` tool and reports. */
export interface ProcedureRef {
  id: string;
  title: string;
  code: string | null;
  score: number;
}

/** What a handler decided: the replies, and optionally the intent and procedures behind them. */
export interface HandlerOutcome {
  replies: OutgoingMessage[];
  intent?: string;
  procedures?: ProcedureRef[];
}

/**
 * A conversation handler: returns the replies for an event (or none). Handlers are synchronous on purpose: the
 * dispatcher runs each event, with every state change and its replies, in one SQLite transaction, which must not stay
 * open across I/O. Work that needs the network goes through the outbox.
 */
export type Handler = (ctx: BotContext) => OutgoingMessage[] | HandlerOutcome;

/** One entry of the routing table: the first route whose `match` is true handles the event. */
export interface Route {
  name: string;
  match: (ctx: BotContext) => boolean;
  handle: Handler;
}
