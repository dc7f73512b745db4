import { isLanguage, LANGUAGES, type I18n, type Language, type Translate } from '../../i18n/index.ts';
import { queryButton, text, type Button, type OutgoingMessage } from '../../messages.ts';
import type { UserRepository } from '../../users/user-repository.ts';
import type { BotContext, HandlerOutcome } from '../context.ts';
import { payloads } from '../payloads.ts';

/** The three language buttons, each written in its own language. */
export function languageButtons(t: Translate): Button[] {
  return LANGUAGES.map((l) => queryButton(t(`language.name_${l}`), payloads.language(l)));
}

/** Choosing and switching the language of the conversation (stored per user). */
export function createLanguageHandlers(deps: { users: UserRepository; i18n: I18n }) {
  return {
    /** "ngôn ngữ" / "language" / "ភាសា": the three buttons. */
    menu(ctx: BotContext): HandlerOutcome & { intent: string } {
      return { replies: [text(ctx.t('language.choose'), languageButtons(ctx.t))], intent: 'menu' };
    },
    /** A tap on a language button: store it and confirm in the new language. */
    choose(ctx: BotContext): HandlerOutcome & { intent: string } {
      const code = ctx.payload?.feature === 'language' ? ctx.payload.code : '';
      const language: Language = isLanguage(code) ? code : 'vi';
      deps.users.setLanguage(ctx.userId, language);
      return { replies: [text(deps.i18n.t(language, 'language.set'))], intent: 'menu' };
    },
    /** Offered when a question comes in another language than the stored one. */
    offer(language: Language): OutgoingMessage {
      const t = deps.i18n.forLanguage(language);
      return text(t('language.offer'), [queryButton(t(`language.use_${language}`), payloads.language(language))]);
    },
  };
}

export type LanguageHandlers = ReturnType<typeof createLanguageHandlers>;
