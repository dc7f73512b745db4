import type { FollowerRepository } from '../../followers/follower-repository.ts';
import { text } from '../../messages.ts';
import type { WholeMessageReplies } from '../../text/lexicon.ts';
import { foldMarks } from '../../text/normalize.ts';
import type { BotContext, HandlerOutcome } from '../context.ts';

// "dừng nhận tin" stops CCHC broadcasts, "nhận tin" resumes them; the choice is stored, not just answered.
// Only a whole message matches (the phrases are data: content/lexicon/replies.yaml).

// "nhắn tin" (to send a message) folds to the same letters as "nhận tin" (to receive news). Its ă carries a breve,
// which no resume phrase has: typed with marks, only "nhận" subscribes; typed without marks, "nhan tin" is taken
// as "nhận tin" (what the opt-out reply tells people to type).
const BREVE = /\u0306/;

/** 'out' for a stop request, 'in' for a resume request, undefined for anything else. Pure. */
export function matchBroadcastChoice(input: string, words: Pick<WholeMessageReplies, 'broadcastStop' | 'broadcastResume'>): 'out' | 'in' | undefined {
  const cleaned = input
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
    .trim();
  if (cleaned.length === 0 || cleaned.length > 40) return undefined;
  const folded = foldMarks(cleaned);
  if (words.broadcastStop.has(folded)) return 'out';
  if (words.broadcastResume.has(folded) && !BREVE.test(cleaned.normalize('NFD'))) return 'in';
  return undefined;
}

/** Stores the citizen's choice and confirms it (the same reply whether or not it changed anything). */
export function createBroadcastChoiceHandlers(deps: { followers: FollowerRepository; words: WholeMessageReplies }) {
  return {
    /** Route matcher: a text that is exactly a stop or resume request. */
    matches: (ctx: BotContext): boolean => ctx.event.type === 'text' && matchBroadcastChoice(ctx.text, deps.words) !== undefined,
    /** Asked in other words ("đừng gửi tin nữa"): say the exact words that stop or resume the news. */
    explain(ctx: BotContext): HandlerOutcome {
      return { replies: [text(ctx.t('broadcast.howTo'))], intent: 'broadcast_help' };
    },
    choose(ctx: BotContext): HandlerOutcome {
      const choice = matchBroadcastChoice(ctx.text, deps.words);
      if (choice === 'out') {
        deps.followers.optOut(ctx.userId, ctx.now.getTime());
        return { replies: [text(ctx.t('broadcast.optedOut'))], intent: 'broadcast_opt_out' };
      }
      deps.followers.optIn(ctx.userId);
      return { replies: [text(ctx.t('broadcast.optedIn'))], intent: 'broadcast_opt_in' };
    },
  };
}

export type BroadcastChoiceHandlers = ReturnType<typeof createBroadcastChoiceHandlers>;
