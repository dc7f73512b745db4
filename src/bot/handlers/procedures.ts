import type { QuestionLog } from '../../analytics/question-log.ts';
import type { Translate } from '../../i18n/index.ts';
import { queryButton, text, type Button, type OutgoingMessage } from '../../messages.ts';
import {
  currentCode,
  formatAnswer,
  formatDocuments,
  formatFeesAndTime,
  formatLegal,
  formatOnline,
  procedureCommand,
} from '../../procedures/format.ts';
import type { Procedure } from '../../procedures/schema.ts';
import type { ProcedureIndex, SearchHit } from '../../procedures/search.ts';
import type { Aspect } from '../../text/lexicon.ts';
import { tokenize } from '../../text/normalize.ts';
import { localDate } from '../../time.ts';
import type { BotContext, HandlerOutcome, ProcedureRef } from '../context.ts';
import type { Understanding } from '../intents.ts';
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

/** Procedure Q&A and the simple intents: answers, follow-ups, the browsing menu, emergency and routing replies. */
export function createProcedureHandlers(deps: ProcedureHandlerDeps) {
  const fields = [...new Set(deps.index.all().map((p) => p.field))];
  const today = (ctx: BotContext) => localDate(ctx.now, deps.timeZone);
  const remember = (ctx: BotContext, state: { procedureId?: string; choices?: string[] }) =>
    deps.sessions.set(ctx.userId, state, ctx.now.getTime());
  const hotlineLine = (t: Translate) => (deps.hotline ? t('intent.hotlineSuffix', { hotline: deps.hotline }) : '');

  function answer(ctx: BotContext, p: Procedure, score: number, aspect?: Aspect): Outcome {
    remember(ctx, { procedureId: p.id });
    const replies: OutgoingMessage[] = [formatAnswer(ctx.t, p, today(ctx), ctx.language)];
    if (aspect === 'documents') replies.push(formatDocuments(ctx.t, p));
    if (aspect === 'legal') replies.push(formatLegal(ctx.t, p));
    return { replies, intent: 'procedure', procedures: [ref(p, score)] };
  }

  function aspectAnswer(ctx: BotContext, p: Procedure, aspect: Aspect): Outcome {
    remember(ctx, { procedureId: p.id });
    const reply =
      aspect === 'documents'
        ? formatDocuments(ctx.t, p)
        : aspect === 'online'
          ? formatOnline(ctx.t, p)
          : aspect === 'legal'
            ? formatLegal(ctx.t, p)
            : aspect === 'where'
              ? formatAnswer(ctx.t, p, today(ctx), ctx.language)
              : formatFeesAndTime(ctx.t, p, today(ctx));
    return { replies: [reply], intent: 'procedure', procedures: [ref(p, 0)] };
  }

  function clarify(ctx: BotContext, hits: SearchHit[]): Outcome {
    const procs = hits.map((h) => ({ p: deps.index.get(h.id)!, score: h.score })).filter((x) => x.p);
    remember(ctx, { choices: procs.map((x) => x.p.id) });
    const list = procs.map((x, i) => `${i + 1}. ${x.p.title}`).join('\n');
    const buttons = procs.map((x, i) => queryButton(shortTitle(`${i + 1}. ${x.p.title}`), procedureCommand.show(x.p.id)));
    return {
      replies: [text(`${ctx.t('procedure.clarify')}\n${list}\n${ctx.t('procedure.clarifyHint')}`, buttons)],
      intent: 'clarify',
      procedures: procs.map((x) => ref(x.p, x.score)),
    };
  }

  function fieldsMenu(ctx: BotContext, page = 0): OutgoingMessage {
    const start = page * PAGE_SIZE;
    const buttons: Button[] = fields.slice(start, start + PAGE_SIZE).map((f, i) => queryButton(shortTitle(f), procedureCommand.field(start + i, 0)));
    if (start + PAGE_SIZE < fields.length) buttons.push(queryButton(ctx.t('procedure.more'), `#cmd:fields:${page + 1}`));
    return text(ctx.t('procedure.fieldsTitle'), buttons);
  }

  function fieldMenu(ctx: BotContext, index: number, page: number): OutgoingMessage {
    const field = fields[index];
    if (field === undefined) return fieldsMenu(ctx);
    const procs = deps.index.all().filter((p) => p.field === field);
    const start = page * PAGE_SIZE;
    const buttons: Button[] = procs.slice(start, start + PAGE_SIZE).map((p) => queryButton(shortTitle(p.title), procedureCommand.show(p.id)));
    if (start + PAGE_SIZE < procs.length) buttons.push(queryButton(ctx.t('procedure.more'), procedureCommand.field(index, page + 1)));
    const list = procs.slice(start, start + PAGE_SIZE).map((p) => `• ${p.title}`).join('\n');
    return text(`${ctx.t('procedure.fieldTitle', { field })}\n${list}`, buttons);
  }

  /** Handles a tap on one of the procedure buttons; undefined when the payload is not ours. */
  function command(ctx: BotContext): Outcome | undefined {
    const [, verb, arg, arg2] = ctx.text.split(':');
    const p = arg ? deps.index.get(arg) : undefined;
    switch (verb) {
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

  /** A typed message: the intent layer decides, then the answer is built. */
  function message(ctx: BotContext, u: Understanding): Outcome {
    const t = ctx.t;
    const at = ctx.now.getTime();
    const state = deps.sessions.get(ctx.userId, at, FOLLOW_UP_MS);
    switch (u.intent) {
      case 'emergency':
        return {
          replies: [
            text(
              [...u.emergencyNumbers.map((n) => t(`intent.emergencyLine_${n}`)), t('intent.emergencyNote')].join('\n'),
              u.emergencyNumbers.map((n): Button => ({ kind: 'phone', title: t('intent.call', { number: n }), phone: n })),
            ),
          ],
          intent: 'emergency',
        };
      case 'crime_report':
        return { replies: [text(t('intent.crimeReport', { hotlineLine: hotlineLine(t) }), [{ kind: 'phone', title: t('intent.call', { number: '113' }), phone: '113' }])], intent: 'crime_report' };
      case 'complaint':
        return { replies: [text(t('intent.complaint', { hotlineLine: hotlineLine(t) }))], intent: 'complaint' };
      case 'greeting':
        return { replies: [text(t('greeting.hello')), mainMenu(t, deps.hotline)], intent: 'greeting' };
      case 'menu':
        if (u.contactRequest) {
          const call: Button[] = deps.hotline ? [{ kind: 'phone', title: t('menu.hotline'), phone: deps.hotline }] : [];
          return { replies: [text(t('intent.contact', { hotlineLine: hotlineLine(t) }), [...call, { kind: 'phone', title: t('intent.call', { number: '113' }), phone: '113' }])], intent: 'menu' };
        }
        return { replies: [mainMenu(t, deps.hotline), fieldsMenu(ctx)], intent: 'menu' };
      default:
        break;
    }

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

    if (u.intent === 'procedure') {
      const top = u.hits[0]!;
      return answer(ctx, deps.index.get(top.id)!, top.score, u.aspect);
    }
    if (u.intent === 'clarify') return clarify(ctx, u.hits);
    if (u.intent === 'out_of_scope') {
      const reply = u.outOfScopeWhere ? t('intent.outOfScope', { where: u.outOfScopeWhere }) : t('intent.outOfScopeChat');
      return { replies: [text(reply)], intent: 'out_of_scope' };
    }
    if (u.aspect && !current) {
      deps.questions.recordUnanswered(u.query, at);
      return { replies: [text(t('procedure.followUpNone'))], intent: 'unknown' };
    }
    deps.questions.recordUnanswered(u.query, at);
    return { replies: [text(t('intent.unknown')), mainMenu(t, deps.hotline)], intent: 'unknown' };
  }

  return {
    /** Button taps (#cmd:…) that belong to procedures; undefined when the payload is not theirs. */
    command,
    /** A typed message, once the intent layer has read it. */
    message,
  };
}
