import { text } from '../../messages.ts';
import type { BotContext, HandlerOutcome } from '../context.ts';

/** "xóa dữ liệu của tôi" and Zalo's user_withdraw: every feature's personal data goes, then a confirmation. */
export function createPrivacyHandlers(deps: { eraseUser: (userId: string) => void }) {
  const erase = (ctx: BotContext): HandlerOutcome & { intent: string } => {
    deps.eraseUser(ctx.userId);
    return { replies: [text(ctx.t('petition.erased'))], intent: 'petition' };
  };
  return { erase, withdraw: erase };
}

export type PrivacyHandlers = ReturnType<typeof createPrivacyHandlers>;
