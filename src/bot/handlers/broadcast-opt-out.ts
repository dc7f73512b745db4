import type { FollowerRepository } from '../../followers/follower-repository.ts';
import { text } from '../../messages.ts';
import { foldMarks } from '../../text/normalize.ts';
import type { BotContext, HandlerOutcome } from '../context.ts';

// "dừng nhận tin" stops CCHC broadcasts, "nhận tin" resumes them; the choice is stored, not just answered.
// Only a whole message matches: "tôi muốn nhận tin về hộ chiếu" is a question, not a subscription.

// Phrases are compared with Vietnamese marks folded away (dừng nhận tin → dung nhan tin).
const OPT_OUT = new Set(['dung nhan tin', 'ngung nhan tin', 'huy nhan tin', 'tat nhan tin', 'dung nhan tin tuyen truyen']);
const OPT_IN = new Set(['nhan tin', 'nhan tin lai', 'tiep tuc nhan tin', 'bat nhan tin']);
// "nhắn tin" (to send a message) folds to the same letters as "nhận tin" (to receive news). Its ă carries a breve,
// which no opt-in phrase has: typed with marks, only "nhận" subscribes; typed without marks, "nhan tin" is taken
// as "nhận tin" (what the opt-out reply tells people to type).
const BREVE = /\u0306/;

/** 'out' for a stop request, 'in' for a resume request, undefined for anything else. Pure. */
export function matchBroadcastChoice(input: string): 'out' | 'in' | undefined {
  const cleaned = input
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
    .trim();
  if (cleaned.length === 0 || cleaned.length > 40) return undefined;
  const folded = foldMarks(cleaned);
  if (OPT_OUT.has(folded)) return 'out';
  if (OPT_IN.has(folded) && !BREVE.test(cleaned.normalize('NFD'))) return 'in';
  return undefined;
}

/** Stores the citizen's choice and confirms it (the same reply whether or not it changed anything). */
export function createBroadcastChoiceHandlers(followers: FollowerRepository) {
  return {
    choose(ctx: BotContext): HandlerOutcome {
      const choice = matchBroadcastChoice(ctx.text);
      if (choice === 'out') {
        followers.optOut(ctx.userId, ctx.now.getTime());
        return { replies: [text(ctx.t('broadcast.optedOut'))], intent: 'broadcast_opt_out' };
      }
      followers.optIn(ctx.userId);
      return { replies: [text(ctx.t('broadcast.optedIn'))], intent: 'broadcast_opt_in' };
    },
  };
}

export type BroadcastChoiceHandlers = ReturnType<typeof createBroadcastChoiceHandlers>;
