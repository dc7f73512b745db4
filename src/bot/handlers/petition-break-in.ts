import type { Translate } from '../../i18n/index.ts';
import { text, type Button, type OutgoingMessage } from '../../messages.ts';
import type { WholeMessageReplies } from '../../text/lexicon.ts';
import { normalizeText } from '../../text/normalize.ts';
import type { BotContext } from '../context.ts';
import { cut, MAX_FOLDED_CHARS, type PetitionDraft, type Step } from './petition-draft.ts';

// Another matter breaking into a petition intake (issue 15): at a step that waits for one of a few answers, a typed
// message that is none of them but clearly something else goes to its own route; the intake waits for it.

/** Steps that wait for one of a few answers, where another matter may break in. */
const YIELDING_STEPS: ReadonlySet<Step> = new Set<Step>(['consent', 'kind', 'topic', 'confirm']);
const YIELDING_INTENTS: ReadonlySet<string> = new Set(['petition_status', 'procedure', 'clarify', 'scam', 'refuse', 'crime_report', 'complaint', 'out_of_scope']);

export function createPetitionBreakIn(deps: {
  words: Pick<WholeMessageReplies, 'cancel' | 'yes' | 'no'>;
  current: (ctx: BotContext) => PetitionDraft | undefined;
  resumeButton: (t: Translate) => Button;
  cancelButton: (t: Translate) => Button;
}) {
  const { current } = deps;
  return {
    /**
     * At a step that waits for a choice (consent, kind, topic, confirm), a typed message that is no answer to it but
     * clearly another matter (a tracking code, a procedure question, a scam, a crime, a complaint…) goes through to
     * its own answer; the intake waits, and `resumeOffer` follows that answer.
     */
    yieldsTo(ctx: BotContext): boolean {
      const d = current(ctx);
      const u = ctx.understanding;
      if (!d || !u || ctx.payload || !YIELDING_STEPS.has(d.step)) return false;
      const folded = normalizeText(cut(ctx.text.trim(), MAX_FOLDED_CHARS));
      if (deps.words.yes.has(folded) || deps.words.no.has(folded) || deps.words.cancel.has(folded)) return false;
      if (d.step === 'kind' && (folded.startsWith('phan anh') || folded.startsWith('kien nghi'))) return false;
      if (d.step === 'confirm' && (folded === 'gui' || folded === 'gui di' || folded === 'sua')) return false;
      return u.petitionCode !== undefined || YIELDING_INTENTS.has(u.intent) || u.request === 'contact';
    },

    /** The intake is collecting the petition's text (where a message is content, whatever it talks about). */
    collecting: (ctx: BotContext) => current(ctx)?.step === 'content',

    /** After an answer given in the middle of an intake: continue it, or cancel it. */
    resumeOffer(ctx: BotContext): OutgoingMessage {
      return text(ctx.t('petition.resumeOffer'), [deps.resumeButton(ctx.t), deps.cancelButton(ctx.t)]);
    },
  };
}
