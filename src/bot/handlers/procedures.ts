import type { QuestionLog } from '../../analytics/question-log.ts';
import { queryButton, text, type Button, type OutgoingMessage } from '../../messages.ts';
import type { AnswerPlanner, Question } from '../../procedures/answer-plan.ts';
import { basisAside } from '../../procedures/format-parts.ts';
import { currentCode, formatAnswer, formatDocuments, formatFeesAndTime, formatLegal, formatOnline, formatStatus } from '../../procedures/format.ts';
import type { Procedure } from '../../procedures/schema.ts';
import type { ProcedureIndex, SearchHit } from '../../procedures/search.ts';
import type { Aspect } from '../../text/lexicon.ts';
import { tokenize } from '../../text/normalize.ts';
import { localDate } from '../../time.ts';
import type { BotContext, HandlerOutcome, ProcedureRef } from '../context.ts';
import { payloads } from '../payloads.ts';
import type { SessionStore } from '../session.ts';
import { mainMenu } from './menu.ts';

const FOLLOW_UP_MS = 30 * 60_000;
const PAGE_SIZE = 4; // Zalo shows 5 buttons: 4 items and "Xem thêm"
const BUTTON_TITLE_MAX = 40;

export interface ProcedureHandlerDeps {
  index: ProcedureIndex;
  sessions: SessionStore;
  questions: QuestionLog;
  timeZone: string;
  hotline: string | undefined;
  /** Chooses what a first reply leads with, from the message's words. */
  planner: AnswerPlanner;
  /** For a procedure filed at the commune police: the citizen's own unit, or once the question which it is (units). */
  localUnit?: (ctx: BotContext, procedure: Procedure) => OutgoingMessage | undefined;
}

/** Intent names an outcome can carry (for the `ask` tool). */
export type Outcome = HandlerOutcome & { intent: string };

const ref = (p: Procedure, score: number): ProcedureRef => ({ id: p.id, title: p.title, code: currentCode(p), score: Math.round(score * 100) / 100 });
const shortTitle = (s: string) => (s.length <= BUTTON_TITLE_MAX ? s : `${s.slice(0, BUTTON_TITLE_MAX - 1).trimEnd()}…`);

const CHOICE = /^(?:so|cau|muc|cai|thu|chon|lua chon)?\s*(?:thu\s*)?([1-9])(?:\s|$)/;

/** Picks an offered choice from "số 2", "2", "cái thứ hai", "cái chót". */
export function pickChoice(folded: string, choices: readonly string[]): string | undefined {
  const words = tokenize(folded);
  if (words.length === 0 || words.length > 5) return undefined;
  const m = CHOICE.exec(folded);
  if (m) return choices[Number(m[1]) - 1];
  const ordinals: Record<string, number> = { nhat: 1, dau: 1, hai: 2, nhi: 2, ba: 3 };
  for (const w of words) if (ordinals[w] && (words.includes('thu') || words.includes('cai'))) return choices[ordinals[w]! - 1];
  if (words.some((w) => w === 'chot' || w === 'cuoi')) return choices[choices.length - 1];
  return undefined;
}

/** Procedure Q&A: answers, follow-ups ("số 2", "mất bao lâu"), clarifying choices and the browsing menu. */
/** A follow-up this short (content words) that names no procedure is about the one just discussed. */
const FOLLOW_UP_WORDS = 8;
const FOLLOW_UP_MIN_PROCEDURE = 0.2;

/** Below this understanding confidence an answer also goes to the unanswered-question log. */
const LOW_CONFIDENCE = 0.5;

export function createProcedureHandlers(deps: ProcedureHandlerDeps) {
  // The browsing menu lists procedures that can be filed today.
  const listed = () => deps.index.all().filter((p) => p.status === 'active');
  const fields = [...new Set(listed().map((p) => p.field))];
  const today = (ctx: BotContext) => localDate(ctx.now, deps.timeZone);
  const remember = (ctx: BotContext, state: { procedureId?: string; choices?: string[] }) =>
    deps.sessions.set(ctx.userId, state, ctx.now.getTime());

  /** The procedure to answer with: a merged one is answered by the one it became part of. */
  function current(p: Procedure): { p: Procedure; mergedFrom: Procedure | undefined } {
    if (p.status !== 'merged') return { p, mergedFrom: undefined };
    const into = p.replaced_by.length === 1 ? deps.index.get(p.replaced_by[0]!) : undefined;
    return into ? { p: into, mergedFrom: p } : { p, mergedFrom: undefined };
  }

  /** What the answer is about: the procedure asked for (merged) first, then the one answering it. */
  const refs = (p: Procedure, mergedFrom: Procedure | undefined, score: number): ProcedureRef[] =>
    mergedFrom ? [ref(mergedFrom, score), ref(p, score)] : [ref(p, score)];

  /** "«Cấp đổi thẻ căn cước» is now part of this procedure (QĐ 5230…)", in front of the answer. */
  function withMergedNote(ctx: BotContext, reply: OutgoingMessage, from: Procedure | undefined): OutgoingMessage {
    if (!from || reply.kind !== 'text') return reply;
    const note = ctx.t('procedure.mergedNote', { old: from.title, basis: basisAside(from) });
    return { ...reply, text: `${note}\n${reply.text}` };
  }

  /** What the typed message asked (its aspect, or the one given), for the answer planner; none for a button tap. */
  function question(ctx: BotContext, aspect: Aspect | undefined): Question | undefined {
    const u = ctx.understanding;
    return u ? deps.planner.question(u.query, aspect) : undefined;
  }

  /** The procedure the citizen was talking about (the last answer, within the follow-up window). */
  const discussed = (ctx: BotContext) => deps.sessions.get(ctx.userId, ctx.now.getTime(), FOLLOW_UP_MS)?.procedureId;

  function answer(ctx: BotContext, asked: Procedure, score: number, aspect?: Aspect): Outcome {
    const { p, mergedFrom } = current(asked);
    // A second turn on the same procedure may be followed by the satisfaction question; the first answer is not.
    const again = discussed(ctx) === p.id;
    remember(ctx, { procedureId: p.id });
    if (p.status === 'abolished' || p.status === 'merged') {
      const replacements = p.replaced_by.map((id) => deps.index.get(id)).filter((r) => r !== undefined);
      return { replies: [formatStatus(ctx.t, p, replacements, ctx.language)], intent: 'procedure', procedures: [ref(p, score)] };
    }
    const plan = deps.planner.plan(p, today(ctx), question(ctx, aspect));
    const replies: OutgoingMessage[] = [formatAnswer(ctx.t, p, today(ctx), ctx.language, { plan, mergedFrom })];
    // The first reply names the first legal basis; the whole list has no button, so it follows.
    if (plan.lead.kind === 'legal' && p.legal_basis.length > 1) replies.push(formatLegal(ctx.t, p, ctx.language));
    const local = deps.localUnit?.(ctx, p);
    if (local) replies.push(local);
    return { replies, intent: 'procedure', procedures: refs(p, mergedFrom, score), rateable: again };
  }

  /** The detail of one aspect: a button's, or a follow-up's ("mất bao lâu" about the procedure just discussed). */
  function aspectAnswer(ctx: BotContext, asked: Procedure, aspect: Aspect): Outcome {
    const { p, mergedFrom } = current(asked);
    if (p.status === 'abolished' || p.status === 'merged') return answer(ctx, p, 0);
    remember(ctx, { procedureId: p.id });
    const l = ctx.language;
    if (aspect === 'where') {
      const plan = deps.planner.plan(p, today(ctx), question(ctx, aspect) ?? { aspect, words: [] });
      const local = deps.localUnit?.(ctx, p);
      const replies = [formatAnswer(ctx.t, p, today(ctx), l, { plan, mergedFrom }), ...(local ? [local] : [])];
      return { replies, intent: 'procedure', procedures: refs(p, mergedFrom, 0), rateable: true };
    }
    const reply =
      aspect === 'documents'
        ? formatDocuments(ctx.t, p, l)
        : aspect === 'online'
          ? formatOnline(ctx.t, p, l)
          : aspect === 'legal'
            ? formatLegal(ctx.t, p, l)
            : formatFeesAndTime(ctx.t, p, today(ctx), l);
    // A detail opened, or a second question on the same procedure: the satisfaction question may follow.
    return { replies: [withMergedNote(ctx, reply, mergedFrom)], intent: 'procedure', procedures: refs(p, mergedFrom, 0), rateable: true };
  }

  function clarify(ctx: BotContext, hits: SearchHit[]): Outcome {
    const procs = hits.map((h) => ({ p: deps.index.get(h.id)!, score: h.score })).filter((x) => x.p);
    remember(ctx, { choices: procs.map((x) => x.p.id) });
    const list = procs.map((x, i) => `${i + 1}. ${x.p.title}`).join('\n');
    const buttons = procs.map((x, i) => queryButton(shortTitle(`${i + 1}. ${x.p.title}`), payloads.procedure(x.p.id)));
    return {
      replies: [text(`${ctx.t('procedure.clarify')}\n${list}\n${ctx.t('procedure.clarifyHint')}`, buttons)],
      intent: 'clarify',
      procedures: procs.map((x) => ref(x.p, x.score)),
    };
  }

  function fieldsMenu(ctx: BotContext, page = 0): OutgoingMessage {
    const start = page * PAGE_SIZE;
    const buttons: Button[] = fields.slice(start, start + PAGE_SIZE).map((f, i) => queryButton(shortTitle(f), payloads.field(start + i, 0)));
    if (start + PAGE_SIZE < fields.length) buttons.push(queryButton(ctx.t('procedure.more'), payloads.fieldsPage(page + 1)));
    return text(ctx.t('procedure.fieldsTitle'), buttons);
  }

  function fieldMenu(ctx: BotContext, index: number, page: number): OutgoingMessage {
    const field = fields[index];
    if (field === undefined) return fieldsMenu(ctx);
    const procs = listed().filter((p) => p.field === field);
    const start = page * PAGE_SIZE;
    const buttons: Button[] = procs.slice(start, start + PAGE_SIZE).map((p) => queryButton(shortTitle(p.title), payloads.procedure(p.id)));
    if (start + PAGE_SIZE < procs.length) buttons.push(queryButton(ctx.t('procedure.more'), payloads.field(index, page + 1)));
    const list = procs.slice(start, start + PAGE_SIZE).map((p) => `• ${p.title}`).join('\n');
    return text(`${ctx.t('procedure.fieldTitle', { field })}\n${list}`, buttons);
  }

  /** Handles a tap on one of the procedure buttons; undefined when the payload is not one it can answer. */
  function command(ctx: BotContext): Outcome | undefined {
    if (ctx.payload?.feature !== 'procedures') return undefined;
    const [arg, arg2] = ctx.payload.args;
    const p = arg ? deps.index.get(arg) : undefined;
    switch (ctx.payload.action) {
      case 'procedures':
        return { replies: [fieldsMenu(ctx)], intent: 'menu' };
      case 'fields':
        return { replies: [fieldsMenu(ctx, Number(arg) || 0)], intent: 'menu' };
      case 'field':
        return { replies: [fieldMenu(ctx, Number(arg) || 0, Number(arg2) || 0)], intent: 'menu' };
      case 'proc':
        return p ? answer(ctx, p, 0) : undefined;
      case 'docs':
        return p ? aspectAnswer(ctx, p, 'documents') : undefined;
      case 'fees':
        return p ? aspectAnswer(ctx, p, 'fee') : undefined;
      case 'online':
        return p ? aspectAnswer(ctx, p, 'online') : undefined;
      default:
        return undefined;
    }
  }

  /** A typed message the understanding step read as a procedure question, or as nothing more precise. */
  function message(ctx: BotContext): Outcome {
    const t = ctx.t;
    const u = ctx.understanding!;
    const at = ctx.now.getTime();
    const state = deps.sessions.get(ctx.userId, at, FOLLOW_UP_MS);
    // "số 2" after a list of choices.
    if (state?.choices && state.choices.length > 0) {
      const picked = pickChoice(u.query.folded, state.choices);
      const p = picked ? deps.index.get(picked) : undefined;
      if (p) return answer(ctx, p, 0, u.aspect);
    }
    // "mất bao lâu", "cần giấy gì" about the procedure just discussed.
    const current = state?.procedureId ? deps.index.get(state.procedureId) : undefined;
    const newTopic = u.intent === 'procedure' && u.hits[0]?.phrase !== undefined;
    if (current && u.aspect && !newTopic && u.query.tokens.length <= 4) return aspectAnswer(ctx, current, u.aspect);
    // "còn người già không đi được thì sao" about the procedure just discussed: a note of it that answers the words.
    // Also when the understanding guessed another card without a name in the words: context beats a guess.
    // (Any intent that reaches this handler: the routes send a half-sure refusal or complaint here in a follow-up.)
    if (current && !newTopic) {
      const plan = deps.planner.plan(current, today(ctx), question(ctx, undefined));
      // A short follow-up that names no other procedure ("con bé có phải đi theo không") stays on this one.
      // (Gibberish is short too: the intent model must see a procedure question in it.)
      const short = u.query.tokens.length <= FOLLOW_UP_WORDS && u.intent !== 'procedure' && u.scores.procedure >= FOLLOW_UP_MIN_PROCEDURE;
      if ((plan.lead.kind === 'note' || short) && current.status === 'active') return answer(ctx, current, 0, u.aspect);
    }

    if (u.intent === 'procedure') {
      const top = u.hits[0]!;
      // Answered, but not by a name the question contains and with little confidence: editors should see it too.
      if (top.phrase === undefined && u.confidence < LOW_CONFIDENCE) deps.questions.recordUnanswered(u.query, at);
      return answer(ctx, deps.index.get(top.id)!, top.score, u.aspect);
    }
    if (u.intent === 'clarify') {
      // The bot was not sure which procedure: an abstention, counted with the unanswered questions.
      deps.questions.recordUnanswered(u.query, at);
      return clarify(ctx, u.hits);
    }
    if (u.intent === 'out_of_scope') {
      const reply = u.outOfScopeWhere ? t('intent.outOfScope', { where: u.outOfScopeWhere }) : t('intent.outOfScopeChat');
      return { replies: [text(reply)], intent: 'out_of_scope' };
    }
    if (u.intent === 'unknown' && u.department) {
      deps.questions.recordUnanswered(u.query, at);
      return { replies: [text(t('procedure.noGuide', { department: u.department.name }), [queryButton(t('procedure.buttons.other'), payloads.fields)])], intent: 'unknown' };
    }
    if (u.aspect && !current) {
      deps.questions.recordUnanswered(u.query, at);
      return { replies: [text(t('procedure.followUpNone'))], intent: 'unknown' };
    }
    deps.questions.recordUnanswered(u.query, at);
    return { replies: [text(t('intent.unknown')), mainMenu(t, deps.hotline)], intent: 'unknown' };
  }

  return {
    /** Button taps that belong to procedures; undefined when the payload is not one they can answer. */
    command,
    /** True when `command` has an answer for this tap (the routing table asks before handing it over). */
    handlesCommand: (ctx: BotContext) => command(ctx) !== undefined,
    /** A typed message, once the understanding step has read it. */
    message,
    /** The list of fields, first page (the main menu shows it). */
    fieldsMenu: (ctx: BotContext) => fieldsMenu(ctx),
    /** A procedure was discussed in the last 30 minutes (a follow-up may be about it). */
    inFollowUp: (ctx: BotContext) => discussed(ctx) !== undefined,
  };
}

export type ProcedureHandlers = ReturnType<typeof createProcedureHandlers>;
