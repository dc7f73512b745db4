import { text } from '../../messages.ts';
import type { Handler } from '../context.ts';

/** Images, stickers, files…: the bot reads text only. */
export const nonTextHandler: Handler = (ctx) => [text(ctx.t('fallback.nonText'))];

/** A user_submit_info outside any flow that asked for it. */
export const submitInfoHandler: Handler = (ctx) => [text(ctx.t('fallback.submitInfo'))];

