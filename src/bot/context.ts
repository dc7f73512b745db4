import type { Language, Translate } from '../i18n/index.ts';
import type { OutgoingMessage } from '../messages.ts';
import type { ZaloEvent } from '../zalo/events.ts';
import type { Flow } from './flow-store.ts';
import type { Payload } from './payloads.ts';
import type { Understanding } from './understand.ts';

/** One event as the dispatcher hands it over: the event, the user's stored language and a translator. */
export interface IncomingContext {
  event: ZaloEvent;
  userId: string;
  /** The text the user typed or the payload of the button pressed ('' for non-text events). */
  text: string;
  language: Language;
  t: Translate;
  now: Date;
}

/**
 * What every route sees, prepared once per event before routing (the way grammY middleware adds to `ctx`): a button
 * tap is parsed into `payload`; typed text is understood once into `understanding`; the flow in progress is read once.
 * `language`/`t` are the question's language when it was asked in English or Khmer.
 */
export interface BotContext extends IncomingContext {
  payload: Payload | undefined;
  understanding: Understanding | undefined;
  flow: Flow<unknown> | undefined;
  /** The language stored for the user, before a question in another language switched `language`. */
  storedLanguage: Language;
}

/** A procedure named in a reply, for the `ask` tool and reports. */
export interface ProcedureRef {
  id: string;
  title: string;
  code: string | null;
  score: number;
}

/** A commune or ward named in a reply (content/units/), for the `ask` tool. */
export interface UnitRef {
  id: string;
  name: string;
}

/** What a handler decided: the replies, and optionally the intent and procedures behind them. */
export interface HandlerOutcome {
  replies: OutgoingMessage[];
  intent?: string;
  procedures?: ProcedureRef[];
  /** The unit the answer names, when it names one. */
  unit?: UnitRef;
  /**
   * The satisfaction question may follow (src/bot/create-bot.ts): a detail was opened, or this is the second turn on
   * the same procedure. Never under a first answer.
   */
  rateable?: boolean;
}

/**
 * A conversation handler: returns the replies for an event (or none). Handlers are synchronous on purpose: the
 * dispatcher runs each event, with every state change and its replies, in one SQLite transaction, which must not stay
 * open across I/O. Work that needs the network goes through the outbox.
 */
export type Handler = (ctx: BotContext) => OutgoingMessage[] | HandlerOutcome;

/** One entry of the routing table (src/bot/routes.ts): the first route whose `match` is true handles the event. */
export interface Route {
  name: string;
  match: (ctx: BotContext) => boolean;
  handle: Handler;
  /**
   * A conversational answer: it gets the follow-ups every answer gets (the offer to keep a language, the satisfaction
   * question, the question log). Lifecycle events and the broadcast opt-out are not conversational.
   */
  conversational?: boolean;
}
