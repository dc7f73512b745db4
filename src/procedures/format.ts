import type { Language, Translate } from '../i18n/index.ts';
import { queryButton, text, type Button, type OutgoingMessage } from '../messages.ts';
import { formatIsoDate } from '../time.ts';
import { payloads } from '../bot/payloads.ts';
import { feesOn, formatThousands, upcomingFees } from './fees.ts';
import { localView, type ProcedureView } from './localize.ts';
import type { FeeItem, Procedure } from './schema.ts';

export const MAX_ANSWER_LENGTH = 1000;
const MAX_FEE_LINES = 3;
const BUTTON_TITLE_MAX = 40;

export const shortTitle = (s: string) => (s.length <= BUTTON_TITLE_MAX ? s : `${s.slice(0, BUTTON_TITLE_MAX - 1).trimEnd()}…`);

function amountText(t: Translate, fee: FeeItem): string {
  if (fee.amount === 0) return t('procedure.free');
  // Foreigners' visa and residence fees are set in US dollars (Thông tư 28/2026/TT-BTC).
  return fee.currency === 'USD' ? t('procedure.amountUsd', { amount: String(fee.amount) }) : t('procedure.amount', { amount: formatThousands(fee.amount) });
}

function feeLine(t: Translate, v: ProcedureView, fee: FeeItem): string {
  // The case text names the channel when an amount is channel-specific ("Nộp trực tuyến").
  let line = t('procedure.feeCase', { case: v.feeCase(fee), amount: amountText(t, fee) });
  // A waiver for some people only (TT 117/2026) says who: never "free" as if for everyone.
  const condition = v.feeCondition(fee);
  if (condition) line = t('procedure.feeCondition', { text: line, condition });
  return fee.valid_to ? t('procedure.feeUntil', { text: line, date: formatIsoDate(fee.valid_to) }) : line;
}

/** The fee in force today, in one line (the short answer). */
export function feeSummary(t: Translate, p: Procedure, today: string, language: Language = 'vi'): string {
  const v = localView(p, language);
  const now = feesOn(p, today);
  if (now.length === 0) return v.feeNote ?? t('procedure.feeUnknown');
  const lines = now.slice(0, MAX_FEE_LINES).map((f) => feeLine(t, v, f));
  if (now.length > MAX_FEE_LINES) lines.push(t('procedure.feeMore', { count: now.length - MAX_FEE_LINES }));
  if (p.fees.exemptions.length > 0) lines.push(t('procedure.feeExemptHint'));
  // The note says which amounts are not confirmed (e.g. motorbike fees since 2026): never quote a partial list silently.
  if (p.fees.note) lines.push(t('procedure.feeNoteHint'));
  return lines.join('; ');
}

/** The heading: the official Vietnamese title, with its translation when the reader reads another language. */
function heading(v: ProcedureView): string {
  const head = v.title.toUpperCase();
  return v.localTitle ? `${head}\n(${v.localTitle})` : head;
}

/** The one-screen answer: what, where, today's fee, time, online, source. */
export function formatAnswer(t: Translate, p: Procedure, today: string, language: Language = 'vi'): OutgoingMessage {
  const v = localView(p, language);
  const onlineLine = t(`procedure.online_${p.online_level}`);
  const tail = [
    `• ${t('procedure.where', { agency: v.agency })}`,
    `• ${t('procedure.fee', { fees: feeSummary(t, p, today, language) })}`,
    `• ${t('procedure.time', { time: v.processingTime })}`,
    `• ${p.online_url && p.online_level !== 'khong' ? t('procedure.onlineLink', { line: onlineLine, url: p.online_url }) : onlineLine}`,
    t('procedure.source', { name: p.source.name, date: formatIsoDate(p.verified_at) }),
  ].join('\n');
  const head = heading(v);
  const note = v.translated ? undefined : t('procedure.translationMissing');
  const room = MAX_ANSWER_LENGTH - head.length - tail.length - (note ? note.length + 1 : 0) - 4;
  const summary = shorten(v.summary, Math.max(0, room));
  const body = [head, note, summary, tail].filter(Boolean).join('\n');
  return text(body.length <= MAX_ANSWER_LENGTH ? body : `${body.slice(0, MAX_ANSWER_LENGTH - 1)}…`, procedureButtons(t, p));
}

/**
 * A procedure that no longer exists as such: what happened (merged into another, or abolished, and by which decision),
 * what to do now, and a button to each procedure that replaced it.
 */
export function formatStatus(t: Translate, p: Procedure, replacements: Procedure[], language: Language = 'vi'): OutgoingMessage {
  const v = localView(p, language);
  const names = replacements.map((r) => `«${localView(r, language).localTitle ?? r.title}»`).join(', ');
  const basis = p.status_basis ? ` (${p.status_basis})` : '';
  const what =
    p.status === 'merged' ? t('procedure.statusMerged', { names, basis }) : names ? t('procedure.statusAbolishedReplaced', { names, basis }) : t('procedure.statusAbolished', { basis });
  const lines = [heading(v), what, v.statusNote].filter(Boolean);
  const buttons: Button[] = [...replacements.slice(0, 3).map((r) => queryButton(shortTitle(r.title), payloads.procedure(r.id))), queryButton(t('procedure.buttons.other'), payloads.fields)];
  return text(lines.join('\n'), buttons);
}

/** Buttons under a procedure answer. */
export function procedureButtons(t: Translate, p: Procedure): Button[] {
  const online: Button =
    p.online_url && p.online_level !== 'khong'
      ? { kind: 'url', title: t('procedure.buttons.online'), url: p.online_url }
      : queryButton(t('procedure.buttons.online'), payloads.online(p.id));
  return [
    queryButton(t('procedure.buttons.documents'), payloads.documents(p.id)),
    queryButton(t('procedure.buttons.fees'), payloads.fees(p.id)),
    online,
    queryButton(t('procedure.buttons.other'), payloads.fields),
  ];
}

/** Papers to prepare, forms and who may apply. */
export function formatDocuments(t: Translate, p: Procedure, language: Language = 'vi'): OutgoingMessage {
  const v = localView(p, language);
  const lines = [t('procedure.documentsTitle', { title: v.localTitle ?? p.title })];
  if (v.documents.length === 0) lines.push(t('procedure.documentsNone'));
  else lines.push(...v.documents.map((d, i) => `${i + 1}. ${d}`));
  // Form codes and names are official Vietnamese names: kept as they are.
  if (p.forms.length > 0) lines.push(t('procedure.forms', { forms: p.forms.map((f) => `${f.code} (${f.name})`).join(', ') }));
  if (v.eligibility) lines.push(t('procedure.eligibility', { text: v.eligibility }));
  return text(lines.join('\n'), procedureButtons(t, p));
}

/** Every fee in force today, announced changes, exemptions and processing times per channel. */
export function formatFeesAndTime(t: Translate, p: Procedure, today: string, language: Language = 'vi'): OutgoingMessage {
  const v = localView(p, language);
  const lines = [t('procedure.feesTitle', { title: v.localTitle ?? p.title })];
  const now = feesOn(p, today);
  if (now.length > 0) {
    lines.push(t('procedure.feesNow'), ...now.map((f) => `• ${feeLine(t, v, f)}`));
    if (v.feeNote) lines.push(v.feeNote);
  } else {
    lines.push(v.feeNote ?? t('procedure.feeUnknown'));
  }
  for (const f of upcomingFees(p, today)) lines.push(t('procedure.feesUpcoming', { date: formatIsoDate(f.valid_from!), text: feeLine(t, v, f) }));
  if (v.exemptions.length > 0) lines.push(t('procedure.exemptions'), ...v.exemptions.map((e) => `• ${e}`));
  lines.push(t('procedure.processing', { time: v.processingTime }));
  for (const c of p.channels) {
    const time = v.channelTime(c.kind);
    if (time) lines.push(`• ${t('procedure.channelTime', { channel: t(`procedure.channel_${c.kind}`), time })}`);
  }
  return text(lines.join('\n'), procedureButtons(t, p));
}

/** How to file online, with the portal address. */
export function formatOnline(t: Translate, p: Procedure, language: Language = 'vi'): OutgoingMessage {
  const v = localView(p, language);
  const online = p.channels.find((c) => c.kind === 'truc_tuyen');
  if (!online && p.online_level === 'khong') return text(t('procedure.onlineNone', { agency: v.agency }), procedureButtons(t, p));
  const lines = [t('procedure.onlineTitle', { title: v.localTitle ?? p.title }), t(`procedure.online_${p.online_level}`)];
  const note = v.channelNote('truc_tuyen');
  if (note) lines.push(note);
  const url = online?.url ?? p.online_url;
  if (url) lines.push(t('procedure.onlineUrl', { url }));
  return text(lines.join('\n'), procedureButtons(t, p));
}

/** Legal bases (official Vietnamese names, not translated). */
export function formatLegal(t: Translate, p: Procedure, language: Language = 'vi'): OutgoingMessage {
  const v = localView(p, language);
  return text([t('procedure.legalTitle', { title: v.localTitle ?? p.title }), ...p.legal_basis.map((l) => `• ${l}`)].join('\n'), procedureButtons(t, p));
}

/** The official code to show: the first one that is not superseded. */
export function currentCode(p: Procedure): string | null {
  return (p.codes.find((c) => !c.superseded) ?? p.codes[0])?.code ?? null;
}

function shorten(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max);
  const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('.\n'));
  return end > max * 0.4 ? cut.slice(0, end + 1) : `${cut.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}
