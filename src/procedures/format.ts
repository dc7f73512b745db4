import type { Language, Translate } from '../i18n/index.ts';
import { queryButton, text, type Button, type OutgoingMessage } from '../messages.ts';
import { formatIsoDate } from '../time.ts';
import { feesOn, formatThousands, upcomingFees } from './fees.ts';
import type { FeeItem, Procedure } from './schema.ts';
import { payloads } from '../bot/payloads.ts';

export const MAX_ANSWER_LENGTH = 1000;
const MAX_FEE_LINES = 3;

function amountText(t: Translate, fee: FeeItem): string {
  return fee.amount === 0 ? t('procedure.free') : t('procedure.amount', { amount: formatThousands(fee.amount) });
}

function feeLine(t: Translate, fee: FeeItem): string {
  // The case text names the channel when an amount is channel-specific ("Nộp trực tuyến").
  const base = t('procedure.feeCase', { case: fee.case, amount: amountText(t, fee) });
  return fee.valid_to ? t('procedure.feeUntil', { text: base, date: formatIsoDate(fee.valid_to) }) : base;
}

/** The fee in force today, in one line (the short answer). */
export function feeSummary(t: Translate, p: Procedure, today: string): string {
  const now = feesOn(p, today);
  if (now.length === 0) return p.fees.note ?? t('procedure.feeUnknown');
  const lines = now.slice(0, MAX_FEE_LINES).map((f) => feeLine(t, f));
  if (now.length > MAX_FEE_LINES) lines.push(t('procedure.feeMore', { count: now.length - MAX_FEE_LINES }));
  if (p.fees.exemptions.length > 0) lines.push(t('procedure.feeExemptHint'));
  // The note says which amounts are not confirmed (e.g. motorbike fees since 2026): never quote a partial list silently.
  if (p.fees.note) lines.push(t('procedure.feeNoteHint'));
  return lines.join('; ');
}

/** The summary in the reader's language, or the Vietnamese one with a note when no translation exists. */
function localSummary(t: Translate, p: Procedure, language: Language): { summary: string; note: string | undefined } {
  if (language === 'en' && p.summary_en) return { summary: p.summary_en, note: undefined };
  if (language === 'km' && p.summary_km) return { summary: p.summary_km, note: undefined };
  return { summary: p.summary, note: language === 'vi' ? undefined : t('procedure.translationMissing') };
}

/** The one-screen answer: what, where, today's fee, time, online, source. */
export function formatAnswer(t: Translate, p: Procedure, today: string, language: Language = 'vi'): OutgoingMessage {
  const onlineLine = t(`procedure.online_${p.online_level}`);
  const tail = [
    `• ${t('procedure.where', { agency: p.agency })}`,
    `• ${t('procedure.fee', { fees: feeSummary(t, p, today) })}`,
    `• ${t('procedure.time', { time: p.processing_time })}`,
    `• ${p.online_url && p.online_level !== 'khong' ? t('procedure.onlineLink', { line: onlineLine, url: p.online_url }) : onlineLine}`,
    t('procedure.source', { name: p.source.name, date: formatIsoDate(p.verified_at) }),
  ].join('\n');
  // The official title stays Vietnamese: procedures are authoritative in Vietnamese.
  const head = p.title.toUpperCase();
  const local = localSummary(t, p, language);
  const room = MAX_ANSWER_LENGTH - head.length - tail.length - (local.note ? local.note.length + 1 : 0) - 4;
  const summary = shorten(local.summary, Math.max(0, room));
  const body = [head, local.note, summary, tail].filter(Boolean).join('\n');
  return text(body.length <= MAX_ANSWER_LENGTH ? body : `${body.slice(0, MAX_ANSWER_LENGTH - 1)}…`, procedureButtons(t, p));
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
export function formatDocuments(t: Translate, p: Procedure): OutgoingMessage {
  const lines = [t('procedure.documentsTitle', { title: p.title })];
  if (p.documents.length === 0) lines.push(t('procedure.documentsNone'));
  else lines.push(...p.documents.map((d, i) => `${i + 1}. ${d}`));
  if (p.forms.length > 0) lines.push(t('procedure.forms', { forms: p.forms.map((f) => `${f.code} (${f.name})`).join(', ') }));
  if (p.eligibility) lines.push(t('procedure.eligibility', { text: p.eligibility }));
  return text(lines.join('\n'), procedureButtons(t, p));
}

/** Every fee in force today, announced changes, exemptions and processing times per channel. */
export function formatFeesAndTime(t: Translate, p: Procedure, today: string): OutgoingMessage {
  const lines = [t('procedure.feesTitle', { title: p.title })];
  const now = feesOn(p, today);
  if (now.length > 0) {
    lines.push(t('procedure.feesNow'), ...now.map((f) => `• ${feeLine(t, f)}`));
    if (p.fees.note) lines.push(p.fees.note);
  } else {
    lines.push(p.fees.note ?? t('procedure.feeUnknown'));
  }
  for (const f of upcomingFees(p, today)) lines.push(t('procedure.feesUpcoming', { date: formatIsoDate(f.valid_from!), text: feeLine(t, f) }));
  if (p.fees.exemptions.length > 0) lines.push(t('procedure.exemptions'), ...p.fees.exemptions.map((e) => `• ${e}`));
  lines.push(t('procedure.processing', { time: p.processing_time }));
  for (const c of p.channels) {
    if (c.time) lines.push(`• ${t('procedure.channelTime', { channel: t(`procedure.channel_${c.kind}`), time: c.time })}`);
  }
  return text(lines.join('\n'), procedureButtons(t, p));
}

/** How to file online, with the portal address. */
export function formatOnline(t: Translate, p: Procedure): OutgoingMessage {
  const online = p.channels.find((c) => c.kind === 'truc_tuyen');
  if (!online && p.online_level === 'khong') return text(t('procedure.onlineNone', { agency: p.agency }), procedureButtons(t, p));
  const lines = [t('procedure.onlineTitle', { title: p.title }), t(`procedure.online_${p.online_level}`)];
  if (online?.note) lines.push(online.note);
  const url = online?.url ?? p.online_url;
  if (url) lines.push(t('procedure.onlineUrl', { url }));
  return text(lines.join('\n'), procedureButtons(t, p));
}

/** Legal bases. */
export function formatLegal(t: Translate, p: Procedure): OutgoingMessage {
  return text([t('procedure.legalTitle', { title: p.title }), ...p.legal_basis.map((l) => `• ${l}`)].join('\n'), procedureButtons(t, p));
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
