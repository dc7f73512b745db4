import type { Language, Translate } from '../i18n/index.ts';
import { text, type OutgoingMessage } from '../messages.ts';
import { formatIsoDate } from '../time.ts';
import { channelOf, defaultPlan, type AnswerPlan, type Line, type NoteRef } from './answer-plan.ts';
import { feesOn } from './fees.ts';
import { basisAside, feeLine, procedureButtons } from './format-parts.ts';
import { localView, type ProcedureView } from './localize.ts';
import { clip, focused, sentences, sharedWith, shorten } from './text-fit.ts';
import type { FeeItem, Procedure } from './schema.ts';

// The first reply to a procedure question: it leads with what was asked (answer-plan.ts), fits one phone screen and
// leaves the rest to the buttons (Giấy tờ, Lệ phí & thời gian, Trực tuyến, Khác).

/** One phone screen, before the buttons. */
export const MAX_ANSWER_LENGTH = 600;
/** A short line's value (where, time) is cut at its first clause beyond this. */
const LINE_MAX = 60;
/** A paper in the list is cut at its first ";" clause beyond this. */
const ITEM_MAX = 110;
/** The lead keeps at least this much room when the short lines are many (what was asked, more). */
const LEAD_MIN = 220;
const ASKED_LEAD_MIN = 420;
/** A note after the lead is said only with at least this much of it. */
const EXTRA_MIN = 60;
const MAX_FEE_LINES = 3;
const SOURCE_MAX = 70;
// A few official titles run to 600 characters: the first reply names them in short (the details say them whole).
const TITLE_MAX = 140;
const LOCAL_TITLE_MAX = 100;

export interface AnswerOptions {
  /** What to lead with (answer-plan.ts); without it, the summary and every short line. */
  plan?: AnswerPlan;
  /** The procedure asked for, when it was merged into this one: said first. */
  mergedFrom?: Procedure;
}

/** A part of the reply that can take less room: its text in at most `room` characters, or undefined. */
type Part = (room: number) => string | undefined;
const fixed = (s: string | undefined): Part => (room) => (s !== undefined && s.length <= room ? s : undefined);

/** The hints after a fee that say more is behind "Lệ phí & thời gian" (never a partial list silently). */
function feeHints(t: Translate, p: Procedure, more: number, otherChannel: boolean): string {
  const hints: string[] = [];
  if (more > 0) hints.push(t('procedure.feeHintMore', { count: more }));
  if (otherChannel) hints.push(t('procedure.feeHintOnline'));
  if (p.fees.exemptions.length > 0) hints.push(t('procedure.feeExemptHint'));
  if (p.fees.note) hints.push(t('procedure.feeHintUnconfirmed'));
  return hints.length > 0 ? ` ${t('procedure.feeHints', { hints: hints.join(', ') })}` : '';
}

/** The fee in force today, in one line (the fee answer when no case was named). */
export function feeSummary(t: Translate, p: Procedure, today: string, language: Language = 'vi'): string {
  const v = localView(p, language);
  const now = feesOn(p, today);
  if (now.length === 0) return v.feeNote ?? t('procedure.feeUnknown');
  // Amounts for everyone first; a waiver for some people only comes after them.
  const ordered = [...now.filter((f) => !f.condition), ...now.filter((f) => f.condition)];
  const shown = ordered.slice(0, MAX_FEE_LINES);
  return shown.map((f) => feeLine(t, v, f)).join('; ') + feeHints(t, p, now.length - shown.length, false);
}

/** Today's fee in short, for the line under another lead: the case the words named, else the first general amount. */
function feeShort(t: Translate, p: Procedure, v: ProcedureView, today: string, plan: AnswerPlan): string {
  const now = feesOn(p, today);
  // No amount in force: where to ask, by whole clauses (never an amount guessed).
  if (now.length === 0) return shorten(v.feeNote ?? t('procedure.feeUnknown'), 2 * LINE_MAX);
  const first = plan.feeItems?.[0] ?? now.find((f) => !f.condition && channelOf(f) === undefined) ?? now.find((f) => !f.condition) ?? now[0]!;
  const otherChannel = plan.feeItems !== undefined && now.some((f) => f.case === first.case && channelOf(f) !== channelOf(first));
  const more = now.filter((f) => f !== first && !(otherChannel && f.case === first.case)).length;
  return feeLine(t, v, first) + feeHints(t, p, more, otherChannel);
}

function noteText(t: Translate, v: ProcedureView, ref: NoteRef): string | undefined {
  switch (ref.source) {
    case 'note': {
      const note = v.notes[ref.index];
      return note === undefined ? undefined : t('procedure.notes', { text: note });
    }
    case 'channel': {
      const note = v.channelNote(ref.kind);
      return note === undefined ? undefined : t('procedure.channelNoteLead', { channel: t(`procedure.channelLead_${ref.kind}`), note });
    }
    case 'exemption': {
      const e = v.exemptions[ref.index];
      return e === undefined ? undefined : t('procedure.exemptionLead', { text: e });
    }
    case 'eligibility':
      return v.eligibility === undefined ? undefined : t('procedure.eligibility', { text: v.eligibility });
  }
}

/**
 * A numbered list in `room`: the items that share the question's words first, then the others in order, each numbered
 * as in the full list; then how many are left behind the button.
 */
function listPart(head: string, items: string[], focus: readonly string[], more: (count: number) => string, none: string): Part {
  return (room) => {
    if (items.length === 0) return fixed(`${head} ${none}`)(room) ?? fixed(none)(room);
    const overlap = sharedWith(focus);
    const lines = items.map((item, i) => `${i + 1}. ${clip(item, ITEM_MAX, /;\s/)}`);
    const order = items.map((item, i) => ({ i, score: overlap(item) })).sort((a, b) => b.score - a.score || a.i - b.i);
    const shown = new Set<number>();
    let length = head.length;
    for (const { i } of order) {
      const left = items.length - shown.size - 1;
      if (length + lines[i]!.length + 1 + (left > 0 ? more(left).length + 1 : 0) > room) continue;
      shown.add(i);
      length += lines[i]!.length + 1;
    }
    if (shown.size === 0) return undefined;
    const list = [head, ...lines.filter((_, i) => shown.has(i))];
    if (shown.size < items.length) list.push(more(items.length - shown.size));
    return list.join('\n');
  };
}

/** The lead, and what may follow it when there is room (high: before the short lines; low: after them). */
function leadParts(t: Translate, p: Procedure, v: ProcedureView, language: Language, today: string, plan: AnswerPlan): { first: Part; high: Part[]; low: Part[] } {
  const lead = plan.lead;
  const note = plan.note ? noteText(t, v, plan.note) : undefined;
  const marker = t('procedure.noteUnconfirmed');
  const fit = (s: string, room: number, trailing = true) => focused(s, plan.focus, room, { marker, min: EXTRA_MIN, trailing });
  const noteAfter: Part[] = note ? [(room) => fit(note, room)] : [];
  const asText = (s: string): Part => (room) => shorten(s, room);
  switch (lead.kind) {
    case 'summary':
      // The first sentence, then those that share the question's words ("Công ty thông thường không phải đăng ký").
      return { first: (room) => fit(v.summary, room, false) ?? shorten(v.summary, room), high: [], low: [] };
    case 'note': {
      const s = noteText(t, v, lead.ref) ?? v.summary;
      return { first: (room) => fit(s, room) ?? shorten(s, room), high: [], low: [] };
    }
    case 'fee': {
      if (!lead.items) return { first: asText(t('procedure.fee', { fees: feeSummary(t, p, today, language) })), high: noteAfter, low: [] };
      const items = lead.items;
      const now = feesOn(p, today);
      // The case's amounts while they fit (the first always), then the hints, which count what was left out.
      const render = (count: number) => {
        const shown = items.slice(0, count);
        const more = now.filter((f) => !shown.includes(f) && !(lead.otherChannel && f.case === items[0]!.case)).length;
        return t('procedure.fee', { fees: shown.map((f: FeeItem) => feeLine(t, v, f)).join('; ') + feeHints(t, p, more, lead.otherChannel) });
      };
      const first: Part = (room) => {
        for (let count = Math.min(items.length, MAX_FEE_LINES); count > 1; count--) {
          const s = render(count);
          if (s.length <= room) return s;
        }
        return shorten(render(1), room);
      };
      return { first, high: noteAfter, low: [] };
    }
    case 'time': {
      // The asked channel's own time when the content has one, else the procedure's.
      const own = lead.channel ? v.channelTime(lead.channel) : undefined;
      const first = own ? t('procedure.timeChannel', { channel: t(`procedure.channel_${lead.channel}`), time: own }) : t('procedure.time', { time: v.processingTime });
      const others = own
        ? []
        : p.channels.flatMap((c) => {
            const ct = v.channelTime(c.kind);
            return ct && ct !== v.processingTime ? [fixed(`• ${t('procedure.channelTime', { channel: t(`procedure.channel_${c.kind}`), time: ct })}`)] : [];
          });
      return { first: asText(first), high: noteAfter, low: others };
    }
    case 'documents':
      return {
        first: listPart(t('procedure.documentsLead'), v.documents, plan.focus, (count) => t('procedure.documentsMore', { count }), t('procedure.documentsNone')),
        high: noteAfter,
        low: [],
      };
    case 'where': {
      const inPerson = v.channelNote('truc_tiep');
      return { first: asText(t('procedure.where', { agency: v.agency })), high: noteAfter, low: inPerson ? [fixed(inPerson)] : [] };
    }
    case 'online': {
      const line = t(`procedure.online_${p.online_level}`);
      const url = p.channels.find((c) => c.kind === 'truc_tuyen')?.url ?? p.online_url;
      const first = url && p.online_level !== 'khong' ? t('procedure.onlineLink', { line, url }) : line;
      const how = v.channelNote('truc_tuyen');
      return { first: asText(first), high: [...(how ? [(room: number) => (room >= EXTRA_MIN ? shorten(how, room) : undefined)] : []), ...noteAfter], low: [] };
    }
    case 'legal': {
      // The first basis here; the handler sends the whole list next (no button shows it).
      const more = p.legal_basis.length - 1;
      const first = `${t('procedure.legalLead')} ${p.legal_basis[0] ?? ''}${more > 0 ? `\n${t('procedure.legalMore', { count: more })}` : ''}`;
      return { first: asText(first), high: noteAfter, low: [] };
    }
  }
}

function shortLine(t: Translate, p: Procedure, v: ProcedureView, today: string, plan: AnswerPlan, line: Line): string {
  switch (line) {
    case 'where':
      return `• ${t('procedure.where', { agency: clip(v.agency, LINE_MAX) })}`;
    case 'fee':
      return `• ${t('procedure.fee', { fees: feeShort(t, p, v, today, plan) })}`;
    case 'time': {
      const time = (plan.channel && v.channelTime(plan.channel)) || v.processingTime;
      return `• ${t('procedure.time', { time: clip(time, LINE_MAX) })}`;
    }
    case 'online':
      // The link is the "Nộp trực tuyến" button.
      return `• ${t(`procedure.online_${p.online_level}`)}`;
  }
}

/** The source, short: its name up to the first parenthesis (and whole words within a line), and when it was checked. */
function sourceLine(t: Translate, p: Procedure): string {
  const name = p.source.name;
  const cut = name.indexOf(' (');
  return t('procedure.source', { name: shorten(cut >= 10 ? name.slice(0, cut) : name, SOURCE_MAX), date: formatIsoDate(p.verified_at) });
}

/** The heading within one screen: the official title (and its translation), cut by whole words when very long. */
function shortHeading(v: ProcedureView): string {
  const head = shorten(v.title, TITLE_MAX).toUpperCase();
  return v.localTitle ? `${head}\n(${shorten(v.localTitle, LOCAL_TITLE_MAX)})` : head;
}

/** The first reply: the heading, what was asked, the short lines not said yet, the source; within one screen. */
export function formatAnswer(t: Translate, p: Procedure, today: string, language: Language = 'vi', options: AnswerOptions = {}): OutgoingMessage {
  const v = localView(p, language);
  const plan = options.plan ?? defaultPlan();
  const from = options.mergedFrom;
  const top = [
    from ? t('procedure.mergedNote', { old: from.title, basis: basisAside(from) }) : undefined,
    shortHeading(v),
    v.translated ? undefined : t('procedure.translationMissing'),
  ].filter((s): s is string => s !== undefined);
  const source = sourceLine(t, p);
  const lines = plan.lines.map((l) => shortLine(t, p, v, today, plan, l));
  const { first, high, low } = leadParts(t, p, v, language, today, plan);

  // Newlines count: every part is one line (or more) of the body.
  let budget = MAX_ANSWER_LENGTH - [...top, source].reduce((n, s) => n + s.length + 1, 0);
  const natural = first(Number.MAX_SAFE_INTEGER) ?? '';
  const linesLength = lines.reduce((n, s) => n + s.length + 1, 0);
  // What was asked keeps more of its room (the asked aspect, a note, a summary with a later sentence on the question's
  // words such as "thường không cần mang giấy tờ"): the short lines give way to it.
  const asked = plan.lead.kind !== 'summary' || sentences(v.summary).slice(1).some((s) => sharedWith(plan.focus)(s) > 0);
  const leadMin = asked ? ASKED_LEAD_MIN : LEAD_MIN;
  const leadRoom = natural.length <= budget - linesLength ? natural.length : Math.max(budget - linesLength, Math.min(natural.length, leadMin));
  let lead = first(Math.min(leadRoom, budget)) ?? '';
  budget -= lead.length + 1;

  // What follows the lead, shown in this order; room goes first to the short lines, then to the notes, then the rest.
  const parts = [
    ...high.map((part) => ({ part, rank: 1 })),
    ...lines.map((s) => ({ part: fixed(s), rank: 0 })),
    ...low.map((part) => ({ part, rank: 2 })),
  ];
  const chosen = new Map<number, string>();
  const byRank = parts.map((x, i) => ({ ...x, i })).sort((a, b) => a.rank - b.rank || a.i - b.i);
  for (const { part, i } of byRank) {
    const s = part(budget - 1);
    if (s === undefined || s.length === 0) continue;
    chosen.set(i, s);
    budget -= s.length + 1;
  }
  // Room the short lines left unused goes back to the lead.
  if (budget > 1) {
    const grown = first(lead.length + budget - 1);
    if (grown !== undefined && grown.length > lead.length) lead = grown;
  }
  const body = [...top, lead, ...parts.flatMap((_, i) => chosen.get(i) ?? []), source].filter((s) => s.length > 0).join('\n');
  return text(body, procedureButtons(t, p));
}
