import type { Translate } from '../../i18n/index.ts';
import { queryButton, text, type OutgoingMessage } from '../../messages.ts';
import { findPersonalNumbers, normalizeVietnameseMobile } from '../../petitions/contact.ts';
import type { PetitionService } from '../../petitions/petition-service.ts';
import { MAX_PETITIONS_PER_DAY } from '../../petitions/petition-service.ts';
import type { ProcedureIndex } from '../../procedures/search.ts';
import { detectLanguage } from '../../text/expand.ts';
import type { WholeMessageReplies } from '../../text/lexicon.ts';
import { normalizeText } from '../../text/normalize.ts';
import { formatLocalDateTime } from '../../time.ts';
import type { BotContext, HandlerOutcome } from '../context.ts';
import type { FlowStore } from '../flow-store.ts';
import { payloads } from '../payloads.ts';
import {
  cut,
  draftContent,
  MAX_COMMAND_CHARS,
  MAX_CONTENT,
  MAX_FOLDED_CHARS,
  MAX_IMAGE_URL,
  MAX_IMAGES,
  MIN_CONTENT,
  nextMissing,
  PETITION_FLOW,
  type PetitionDraft,
  type Step,
} from './petition-draft.ts';
import { createPetitionBreakIn } from './petition-break-in.ts';
import { createPetitionPrompts } from './petition-prompts.ts';

const CMD = payloads.petition;


export interface PetitionFlowDeps {
  flows: FlowStore;
  service: PetitionService;
  index: ProcedureIndex;
  /** Cancel, yes and no as whole messages (content/lexicon/replies.yaml). */
  words: Pick<WholeMessageReplies, 'cancel' | 'yes' | 'no'>;
  timeZone: string;
  retentionDays: number;
  unitName: string;
}

type Outcome = HandlerOutcome & { intent: string };

/** Guided intake of a petition in chat, status lookups by code, and erasure on request. */
export function createPetitionFlow(deps: PetitionFlowDeps) {
  const content = draftContent;
  const { prompt, cancelButton } = createPetitionPrompts({ index: deps.index, retentionDays: deps.retentionDays });
  /** Characters a new part may still have (the line break that joins it counts). */
  const room = (d: PetitionDraft) => MAX_CONTENT - content(d).length - (d.parts.length > 0 ? 1 : 0);
  const number = (ctx: BotContext, n: number) => new Intl.NumberFormat(ctx.language).format(n);
  const contentButtons = (t: Translate) => [queryButton(t('petition.buttons.done'), CMD('done')), queryButton(t('petition.buttons.undo'), CMD('undo')), cancelButton(t)];
  const save = (ctx: BotContext, d: PetitionDraft) => deps.flows.set(ctx.userId, PETITION_FLOW, d, ctx.now.getTime());
  const out = (replies: OutgoingMessage[]): Outcome => ({ replies, intent: 'petition' });

  /** Moves to `step`, or back to the summary when a field was being edited. */
  function advance(ctx: BotContext, d: PetitionDraft, step: Step, before: OutgoingMessage[] = []): Outcome {
    const next: PetitionDraft = d.returnToConfirm && step !== 'content' ? { ...d, step: nextMissing(d) } : { ...d, step };
    if (next.step === 'confirm') next.returnToConfirm = false;
    save(ctx, next);
    return out([...before, prompt(ctx.t, next)]);
  }

  function submit(ctx: BotContext, d: PetitionDraft): Outcome {
    const body = content(d);
    const language = detectLanguage(body, normalizeText(body));
    const result = deps.service.submit({
      userId: ctx.userId,
      kind: d.kind!,
      topic: d.topic!,
      procedureId: d.procedureId,
      content: body,
      language,
      // Petitions are recorded in Vietnamese: Khmer or English ones are flagged for staff to translate.
      needsTranslation: language !== 'vi',
      name: d.name!,
      phone: d.phone!,
      address: d.address!,
      consentAt: d.consentAt!,
      attachments: d.attachments,
    });
    deps.flows.clear(ctx.userId);
    if (!result.ok) return out([text(ctx.t('petition.rateLimited', { max: MAX_PETITIONS_PER_DAY }))]);
    const replies = [text(ctx.t('petition.submitted', { code: result.petition.code }))];
    if (language !== 'vi') replies.push(text(ctx.t('petition.translationNote')));
    return out(replies);
  }

  function onCommand(ctx: BotContext, d: PetitionDraft, command: string): Outcome {
    const t = ctx.t;
    const [verb, arg] = command.split(':') as [string, string | undefined];
    switch (verb) {
      case 'cancel':
        deps.flows.clear(ctx.userId);
        return out([text(t('petition.cancelled'))]);
      case 'consent':
        if (d.step !== 'consent') return out([prompt(t, d)]);
        if (arg !== 'yes') {
          deps.flows.clear(ctx.userId);
          return out([text(t('petition.consentNo'))]);
        }
        return advance(ctx, { ...d, consentAt: ctx.now.getTime() }, 'kind');
      case 'kind':
        if (arg !== 'phan_anh' && arg !== 'kien_nghi') return out([prompt(t, d)]);
        return advance(ctx, { ...d, kind: arg, returnToConfirm: false }, 'topic');
      case 'topic':
        if (arg !== 'procedure' && arg !== 'conduct' && arg !== 'other') return out([prompt(t, d)]);
        if (arg === 'procedure') return advance(ctx, { ...d, topic: arg }, 'procedure');
        return afterTopic(ctx, { ...d, topic: arg, procedureId: undefined });
      case 'proc': {
        const p = arg && arg !== 'none' ? deps.index.get(arg) : undefined;
        return afterTopic(ctx, { ...d, procedureId: p?.id, choices: undefined });
      }
      case 'done':
        return finishContent(ctx, d);
      case 'undo': {
        const parts = d.parts.slice(0, -1);
        const next = { ...d, parts };
        save(ctx, next);
        return out([text(t('petition.contentRemoved', { count: content(next).length }), [queryButton(t('petition.buttons.done'), CMD('done')), cancelButton(t)])]);
      }
      case 'keep':
        return out([text(t('petition.contentAdded', { count: content(d).length }), [queryButton(t('petition.buttons.done'), CMD('done')), cancelButton(t)])]);
      case 'retry':
        return advance(ctx, { ...d, parts: [], step: 'content' }, 'content');
      case 'zalo_info':
        return out([{ kind: 'request_user_info', title: deps.unitName, subtitle: t('petition.requestInfoSubtitle') }]);
      case 'submit':
        if (d.step !== 'confirm') return out([prompt(t, d)]);
        return submit(ctx, d);
      case 'edit': {
        if (!arg) return advance(ctx, d, 'edit');
        const back = { ...d, returnToConfirm: true };
        if (arg === 'content') return advance(ctx, { ...back, parts: [] }, 'content');
        if (arg === 'name') return advance(ctx, { ...back, name: undefined }, 'name');
        if (arg === 'phone') return advance(ctx, { ...back, phone: undefined }, 'phone');
        if (arg === 'address') return advance(ctx, { ...back, address: undefined }, 'address');
        return advance(ctx, { ...back, returnToConfirm: false, kind: undefined, topic: undefined, procedureId: undefined }, 'kind');
      }
      default:
        return out([prompt(t, d)]);
    }
  }

  function afterTopic(ctx: BotContext, d: PetitionDraft): Outcome {
    if (d.returnToConfirm || content(d).length >= MIN_CONTENT) return advance(ctx, d, nextMissing(d));
    return advance(ctx, d, 'content');
  }

  function finishContent(ctx: BotContext, d: PetitionDraft): Outcome {
    const t = ctx.t;
    const length = content(d).length;
    if (length < MIN_CONTENT) return out([text(t('petition.contentTooShort', { count: length }), [queryButton(t('petition.buttons.done'), CMD('done')), cancelButton(t)])]);
    if (length > MAX_CONTENT) {
      return out([text(t('petition.contentTooLong', { count: length }), [queryButton(t('petition.buttons.retry'), CMD('retry')), queryButton(t('petition.buttons.undo'), CMD('undo')), cancelButton(t)])]);
    }
    return advance(ctx, { ...d, step: 'name' }, nextMissing(d));
  }

  function onText(ctx: BotContext, d: PetitionDraft): Outcome {
    const t = ctx.t;
    const typed = ctx.text.trim();
    // Answers to the button questions are short ("đồng ý", "phản ánh …"): only the start of a long text is folded.
    const folded = normalizeText(cut(typed, MAX_FOLDED_CHARS));
    switch (d.step) {
      case 'consent':
        if (deps.words.yes.has(folded)) return onCommand(ctx, d, 'consent:yes');
        if (deps.words.no.has(folded)) return onCommand(ctx, d, 'consent:no');
        return out([text(t('petition.reprompt')), prompt(t, d)]);
      case 'kind':
        if (folded.startsWith('phan anh')) return onCommand(ctx, d, 'kind:phan_anh');
        if (folded.startsWith('kien nghi')) return onCommand(ctx, d, 'kind:kien_nghi');
        return out([text(t('petition.reprompt')), prompt(t, d)]);
      case 'procedure': {
        const hits = (ctx.understanding?.hits ?? []).slice(0, 3);
        if (hits.length === 0) return out([text(t('petition.procedureNotFound'), [queryButton(t('petition.buttons.skip'), CMD('proc:none')), cancelButton(t)])]);
        return advance(ctx, { ...d, choices: hits.map((h) => h.id) }, 'procedure_pick');
      }
      case 'content': {
        // The 2,000-character rule applies as the citizen types: what does not fit is never stored.
        const space = room(d);
        if (space <= 0) return out([text(t('petition.contentFull'), contentButtons(t))]);
        const kept = cut(typed, space);
        const next = { ...d, parts: [...d.parts, kept] };
        save(ctx, next);
        const replies: OutgoingMessage[] = [];
        if (kept.length < typed.length) replies.push(text(t('petition.contentCut', { kept: number(ctx, kept.length), count: number(ctx, typed.length) }), contentButtons(t)));
        const found = findPersonalNumbers(kept);
        if (found.idNumber || found.phone) {
          const what = found.idNumber && found.phone ? t('petition.piiBoth') : found.idNumber ? t('petition.piiId') : t('petition.piiPhone');
          replies.push(text(t('petition.contentPii', { what }), [queryButton(t('petition.buttons.undo'), CMD('undo')), queryButton(t('petition.buttons.keep'), CMD('keep'))]));
        }
        if (replies.length === 0) replies.push(text(t('petition.contentAdded', { count: content(next).length }), [queryButton(t('petition.buttons.done'), CMD('done')), cancelButton(t)]));
        return out(replies);
      }
      case 'name': {
        if (typed.length < 2 || typed.length > 100) return out([text(t('petition.nameInvalid'))]);
        return advance(ctx, { ...d, name: typed }, d.phone ? nextMissing({ ...d, name: typed }) : 'phone');
      }
      case 'phone': {
        const phone = normalizeVietnameseMobile(typed);
        if (!phone) return out([text(t('petition.phoneInvalid'))]);
        return advance(ctx, { ...d, phone }, nextMissing({ ...d, phone }));
      }
      case 'address': {
        if (typed.length < 3 || typed.length > 300) return out([text(t('petition.addressInvalid'))]);
        return advance(ctx, { ...d, address: typed }, 'confirm');
      }
      case 'confirm':
        if (folded === 'gui' || folded === 'gui di') return onCommand(ctx, d, 'submit');
        if (folded === 'sua') return onCommand(ctx, d, 'edit');
        return out([text(t('petition.reprompt')), prompt(t, d)]);
      default:
        return out([text(t('petition.reprompt')), prompt(t, d)]);
    }
  }

  // The flow in progress was read once for this message by the bot (BotContext.flow).
  const current = (ctx: BotContext) => (ctx.flow?.name === PETITION_FLOW ? (ctx.flow.data as PetitionDraft) : undefined);

  /** Begins the intake with the consent question (a running one starts over). */
  function start(ctx: BotContext): Outcome {
    const d: PetitionDraft = { step: 'consent', parts: [], attachments: [] };
    save(ctx, d);
    return out([prompt(ctx.t, d)]);
  }

  return {
    /** True when the user is in the middle of a petition intake. */
    active: (ctx: BotContext) => current(ctx) !== undefined,

    ...createPetitionBreakIn({ words: deps.words, current, resumeButton: (t) => queryButton(t('petition.buttons.resume'), CMD('resume')), cancelButton }),

    start,

    /** Handles one event of a running intake: a button, typed text, an image or Zalo's shared info. */
    handle(ctx: BotContext): Outcome {
      const d = current(ctx);
      if (!d) return start(ctx);
      const e = ctx.event;
      if (e.type === 'image') {
        if (d.step !== 'content') return out([text(ctx.t('petition.reprompt')), prompt(ctx.t, d)]);
        const t = ctx.t;
        // A link longer than any real Zalo photo link is not one: dropped rather than stored.
        const links = e.images.filter((i) => i.url.length <= MAX_IMAGE_URL);
        const added = links.slice(0, Math.max(0, MAX_IMAGES - d.attachments.length)).map((i) => ({ type: 'image', url: i.url }));
        const next = { ...d, attachments: [...d.attachments, ...added] };
        // A caption is content like any text: cut to what still fits.
        const caption = cut(e.text.trim(), Math.max(0, room(d)));
        if (caption) next.parts = [...next.parts, caption];
        save(ctx, next);
        const replies: OutgoingMessage[] = [];
        if (added.length < e.images.length) replies.push(text(t('petition.imagesFull', { max: MAX_IMAGES, count: next.attachments.length }), contentButtons(t)));
        if (caption.length < e.text.trim().length) replies.push(text(t(caption ? 'petition.contentCut' : 'petition.contentFull', { kept: number(ctx, caption.length), count: number(ctx, e.text.trim().length) }), contentButtons(t)));
        if (replies.length === 0) replies.push(text(t('petition.contentImage', { count: next.attachments.length }), [queryButton(t('petition.buttons.done'), CMD('done')), cancelButton(t)]));
        return out(replies);
      }
      if (e.type === 'submit_info') {
        const phone = e.info.phone ? normalizeVietnameseMobile(e.info.phone) : undefined;
        const address = [e.info.address, e.info.ward, e.info.district, e.info.city].filter(Boolean).join(', ');
        const filled: PetitionDraft = {
          ...d,
          ...(e.info.name ? { name: e.info.name.slice(0, 100) } : {}),
          ...(phone ? { phone } : {}),
          ...(address.length >= 3 ? { address: address.slice(0, 300) } : {}),
        };
        if (['consent', 'kind', 'topic', 'procedure', 'procedure_pick', 'content'].includes(d.step)) {
          save(ctx, filled);
          return out([prompt(ctx.t, filled)]);
        }
        return advance(ctx, filled, nextMissing(filled));
      }
      if (ctx.payload?.feature === 'petitions' && ctx.payload.action === 'flow') return onCommand(ctx, d, ctx.payload.command);
      if (ctx.text.length <= MAX_COMMAND_CHARS && deps.words.cancel.has(normalizeText(ctx.text))) return onCommand(ctx, d, 'cancel');
      return onText(ctx, d);
    },

    /** "tra cứu PA-…": status and last public reply, for the petition's own sender only. */
    status(ctx: BotContext, code: string | undefined): Outcome {
      const t = ctx.t;
      if (!code) return { replies: [text(t('petition.statusAsk'))], intent: 'petition_status' };
      const p = deps.service.lookupForOwner(code, ctx.userId);
      if (!p) return { replies: [text(t('petition.statusNotFound', { code }))], intent: 'petition_status' };
      const lines = [t('petition.statusReply', { code: p.code, date: formatLocalDateTime(new Date(p.created_at), deps.timeZone), status: t(`petition.status.${p.status}`) })];
      if (p.public_reply) lines.push(t('petition.statusLastReply', { reply: p.public_reply }));
      return { replies: [text(lines.join('\n'))], intent: 'petition_status' };
    },
  };
}

export type PetitionFlow = ReturnType<typeof createPetitionFlow>;
