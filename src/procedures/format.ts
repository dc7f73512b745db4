import type { Language, Translate } from '../i18n/index.ts';
import { queryButton, text, type Button, type OutgoingMessage } from '../messages.ts';
import { formatIsoDate } from '../time.ts';
import { payloads } from '../bot/payloads.ts';
import { feesOn, upcomingFees } from './fees.ts';
import { MAX_ANSWER_LENGTH } from './answer-format.ts';
import { basisAside, feeLine, heading, procedureButtons, shortTitle } from './format-parts.ts';
import { shorten } from './text-fit.ts';
import { localView } from './localize.ts';
import type { Procedure } from './schema.ts';

// The details behind the buttons of an answer (papers, fees and time, online, legal bases) and the status of a
// procedure that was merged or abolished. The first reply itself is answer-format.ts.
export { feeSummary, formatAnswer, MAX_ANSWER_LENGTH, type AnswerOptions } from './answer-format.ts';
export { procedureButtons } from './format-parts.ts';

/**
 * A procedure that no longer exists as such: what happened (merged into another, or abolished, and by which decision),
 * what to do now, and a button to each procedure that replaced it.
 */
export function formatStatus(t: Translate, p: Procedure, replacements: Procedure[], language: Language = 'vi'): OutgoingMessage {
  const v = localView(p, language);
  const names = replacements.map((r) => `«${localView(r, language).localTitle ?? r.title}»`).join(', ');
  const basis = basisAside(p);
  const what =
    p.status === 'merged' ? t('procedure.statusMerged', { names, basis }) : names ? t('procedure.statusAbolishedReplaced', { names, basis }) : t('procedure.statusAbolished', { basis });
  // One screen, like an answer: what to do now is shortened by whole sentences when long.
  const head = `${heading(v)}\n${what}`;
  const lines = [head, v.statusNote ? shorten(v.statusNote, MAX_ANSWER_LENGTH - head.length - 1) : undefined].filter(Boolean);
  const buttons: Button[] = [...replacements.slice(0, 3).map((r) => queryButton(shortTitle(r.title), payloads.procedure(r.id))), queryButton(t('procedure.buttons.other'), payloads.fields)];
  return text(lines.join('\n'), buttons);
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
