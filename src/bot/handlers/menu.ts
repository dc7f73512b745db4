import { queryButton, text, type Button, type OutgoingMessage } from '../../messages.ts';
import type { Translate } from '../../i18n/index.ts';

/** Payloads of the bot's own buttons; a tap comes back as a text message equal to the payload. */
export const CMD = {
  menu: '#cmd:menu',
  procedures: '#cmd:procedures',
  petition: '#cmd:petition',
  status: '#cmd:status',
  quiz: '#cmd:quiz',
} as const;

/** True when the text is a tap on one of the bot's buttons. */
export function isCommand(textIn: string): boolean {
  return textIn.startsWith('#cmd:');
}

/** The main menu: procedures, petitions, status lookup, and the hotline when one is configured. */
export function mainMenu(t: Translate, hotline: string | undefined): OutgoingMessage {
  const buttons: Button[] = [
    queryButton(t('menu.procedures'), CMD.procedures),
    queryButton(t('menu.petition'), CMD.petition),
    queryButton(t('menu.status'), CMD.status),
    queryButton(t('menu.quiz'), CMD.quiz),
    hotline ? { kind: 'phone', title: t('menu.hotline'), phone: hotline } : { kind: 'phone', title: t('menu.emergency'), phone: '113' },
  ];
  return text(t('menu.title'), buttons);
}
