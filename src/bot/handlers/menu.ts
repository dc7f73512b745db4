import type { Translate } from '../../i18n/index.ts';
import { queryButton, text, type Button, type OutgoingMessage } from '../../messages.ts';
import type { BotContext, HandlerOutcome } from '../context.ts';
import { payloads } from '../payloads.ts';
import { languageButtons } from './language.ts';

type Outcome = HandlerOutcome & { intent: string };

/** The main menu: procedures, petitions, status lookup, and the hotline when one is configured. */
export function mainMenu(t: Translate, hotline: string | undefined): OutgoingMessage {
  const buttons: Button[] = [
    queryButton(t('menu.procedures'), payloads.fields),
    queryButton(t('menu.petition'), payloads.petitionStart),
    queryButton(t('menu.status'), payloads.petitionStatus),
    queryButton(t('menu.quiz'), payloads.quizStart),
    hotline ? { kind: 'phone', title: t('menu.hotline'), phone: hotline } : { kind: 'phone', title: t('menu.emergency'), phone: '113' },
  ];
  return text(t('menu.title'), buttons);
}

export interface MenuDeps {
  hotline: string | undefined;
  /** The list of procedure fields (from the procedures feature). */
  fieldsMenu: (ctx: BotContext) => OutgoingMessage;
}

/** Welcome on follow, greetings, the menu and "how do I reach the police". */
export function createMenuHandlers(deps: MenuDeps) {
  const hotlineLine = (t: Translate) => (deps.hotline ? t('intent.hotlineSuffix', { hotline: deps.hotline }) : '');
  return {
    /** Follow: a welcome, the three language buttons, and the menu. */
    follow: (ctx: BotContext): OutgoingMessage[] => [text(ctx.t('welcome.follow')), text(ctx.t('welcome.language'), languageButtons(ctx.t)), mainMenu(ctx.t, deps.hotline)],
    /** "Nhắn tin" pressed on the OA profile for the first time. */
    chatNow: (ctx: BotContext): OutgoingMessage[] => [text(ctx.t('welcome.chatnow')), mainMenu(ctx.t, deps.hotline)],
    greeting: (ctx: BotContext): Outcome => ({ replies: [text(ctx.t('greeting.hello')), mainMenu(ctx.t, deps.hotline)], intent: 'greeting' }),
    menu: (ctx: BotContext): Outcome => ({ replies: [mainMenu(ctx.t, deps.hotline), deps.fieldsMenu(ctx)], intent: 'menu' }),
    /** A button payload no feature knows (an old or forged one): the same reply as a message not understood. */
    unknownButton: (ctx: BotContext): Outcome => ({ replies: [text(ctx.t('intent.unknown')), mainMenu(ctx.t, deps.hotline)], intent: 'unknown' }),
    contact(ctx: BotContext): Outcome {
      const t = ctx.t;
      const call: Button[] = deps.hotline ? [{ kind: 'phone', title: t('menu.hotline'), phone: deps.hotline }] : [];
      return { replies: [text(t('intent.contact', { hotlineLine: hotlineLine(t) }), [...call, { kind: 'phone', title: t('intent.call', { number: '113' }), phone: '113' }])], intent: 'menu' };
    },
  };
}

export type MenuHandlers = ReturnType<typeof createMenuHandlers>;
