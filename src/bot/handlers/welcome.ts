import { text } from '../../messages.ts';
import type { Handler } from '../context.ts';
import { mainMenu } from './menu.ts';

/** Follow: a welcome and the menu. */
export function createWelcomeHandler(hotline: string | undefined): Handler {
  return (ctx) => [text(ctx.t('welcome.follow')), mainMenu(ctx.t, hotline)];
}

/** "Nhắn tin" pressed on the OA profile for the first time. */
export function createChatNowHandler(hotline: string | undefined): Handler {
  return (ctx) => [text(ctx.t('welcome.chatnow')), mainMenu(ctx.t, hotline)];
}
