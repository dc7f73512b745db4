import { text } from '../../messages.ts';
import type { Handler } from '../context.ts';
import { languageButtons } from './language.ts';
import { mainMenu } from './menu.ts';

/** Follow: a welcome, the three language buttons, and the menu. */
export function createWelcomeHandler(hotline: string | undefined): Handler {
  return (ctx) => [text(ctx.t('welcome.follow')), text(ctx.t('welcome.language'), languageButtons(ctx.t)), mainMenu(ctx.t, hotline)];
}

/** "Nhắn tin" pressed on the OA profile for the first time. */
export function createChatNowHandler(hotline: string | undefined): Handler {
  return (ctx) => [text(ctx.t('welcome.chatnow')), mainMenu(ctx.t, hotline)];
}
