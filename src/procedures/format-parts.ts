import type { Translate } from '../i18n/index.ts';
import { queryButton, type Button } from '../messages.ts';
import { formatIsoDate } from '../time.ts';
import { payloads } from '../bot/payloads.ts';
import { formatThousands } from './fees.ts';
import type { ProcedureView } from './localize.ts';
import type { FeeItem, Procedure } from './schema.ts';

// Pieces shared by the first reply (answer-format.ts) and the details behind its buttons (format.ts).

const BUTTON_TITLE_MAX = 40;

export const shortTitle = (s: string) => (s.length <= BUTTON_TITLE_MAX ? s : `${s.slice(0, BUTTON_TITLE_MAX - 1).trimEnd()}…`);

function amountText(t: Translate, fee: FeeItem): string {
  if (fee.amount === 0) return t('procedure.free');
  // Foreigners' visa and residence fees are set in US dollars (Thông tư 28/2026/TT-BTC).
  return fee.currency === 'USD' ? t('procedure.amountUsd', { amount: String(fee.amount) }) : t('procedure.amount', { amount: formatThousands(fee.amount) });
}

/** One fee: its case, amount, who it is for when not everyone, and until when. */
export function feeLine(t: Translate, v: ProcedureView, fee: FeeItem): string {
  // The case text names the channel when an amount is channel-specific ("Nộp trực tuyến").
  let line = t('procedure.feeCase', { case: v.feeCase(fee), amount: amountText(t, fee) });
  // A waiver for some people only (TT 117/2026) says who: never "free" as if for everyone.
  const condition = v.feeCondition(fee);
  if (condition) line = t('procedure.feeCondition', { text: line, condition });
  return fee.valid_to ? t('procedure.feeUntil', { text: line, date: formatIsoDate(fee.valid_to) }) : line;
}

/** The heading: the official Vietnamese title, with its translation when the reader reads another language. */
export function heading(v: ProcedureView): string {
  const head = v.title.toUpperCase();
  return v.localTitle ? `${head}\n(${v.localTitle})` : head;
}

/** Buttons under a procedure answer (four: Zalo shows five at most). */
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

/** `s` without its parenthetical asides, nested ones included ("Quyết định 5230 ngày 18/8/2026 (bãi bỏ mã …)"). */
export function withoutAsides(s: string): string {
  let out = '';
  let depth = 0;
  for (const ch of s) {
    if (ch === '(') depth++;
    else if (ch === ')' && depth > 0) depth--;
    else if (depth === 0) out += ch;
  }
  return depth === 0 ? out.replace(/\s+([;,.])/g, '$1').replace(/\s{2,}/g, ' ').trim() : s;
}

/** "(Quyết định 5230/QĐ-BCA-C06 ngày 18/8/2026)" after a merged or abolished procedure's note, or nothing. */
export const basisAside = (p: Procedure) => (p.status_basis ? ` (${withoutAsides(p.status_basis)})` : '');
