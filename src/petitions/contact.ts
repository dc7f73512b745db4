import { toAsciiDigits } from '../text/normalize.ts';

// Vietnamese mobile numbers: 10 digits starting 03, 05, 07, 08, 09 (or +84 / 84 / 0084 and 9 digits).
const MOBILE = /^(?:\+?84|0084|0)([35789]\d{8})$/;

/** "0912 345 678", "+84 912.345.678", "84912345678" → "+84912345678"; undefined when not a Vietnamese mobile. */
export function normalizeVietnameseMobile(input: string): string | undefined {
  const compact = toAsciiDigits(input).replace(/[\s.\-()]/g, '');
  const m = MOBILE.exec(compact);
  return m ? `+84${m[1]}` : undefined;
}

const ID_NUMBER = /(?<!\d)(?:\d{12}|\d{9})(?!\d)/;
const PHONE_IN_TEXT = /(?<!\d)(?:\+?84|0)[\s.]?[35789](?:[\s.]?\d){8}(?!\d)/;

/** Whether free text contains an ID-card number or a phone number (not needed in a petition). */
export function findPersonalNumbers(text: string): { idNumber: boolean; phone: boolean } {
  const t = toAsciiDigits(text);
  return { idNumber: ID_NUMBER.test(t.replace(/(?<=\d)[\s.](?=\d)/g, '')), phone: PHONE_IN_TEXT.test(t) };
}

/** "Nguyễn Văn An" → "N*** V*** A***". */
export function maskName(name: string | null): string {
  if (!name) return '';
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => `${[...w][0] ?? ''}***`)
    .join(' ');
}

/** "+84912345678" → "+8491*****78". */
export function maskPhone(phone: string | null): string {
  if (!phone) return '';
  return phone.length <= 6 ? '***' : `${phone.slice(0, 5)}${'*'.repeat(phone.length - 7)}${phone.slice(-2)}`;
}

// Personal data that citizens type into free text (a petition, a reply quoting it, a question).
// A run of digits with at most one space, dot or dash between two digits, with an optional leading "+":
// "0912 345 678", "+84.912.345.678", "079-123-456-789". Nine digits or more is a CMND (9), a phone (10, or 11
// with 84), a CCCD (12) or two of them written side by side: all are masked. Shorter runs (dates, 113, fees) stay.
const DIGIT_RUN = /\+?\d(?:[ .-]?\d)*/g;
const MIN_PERSONAL_DIGITS = 9;
const MAYBE_PERSONAL_NUMBER = /[\d\u17E0-\u17E9](?:[ .-]?[\d\u17E0-\u17E9]){8}/;
// 100.000.000 đồng is an amount of money, not a CMND: dotted thousands followed by a currency word.
const AMOUNT = /^[1-9]\d{0,2}(?:\.\d{3})+$/;
const CURRENCY_AFTER = /^\s?(?:đồng|đ|vnđ|vnd|dong|triệu|trieu|tỷ|ty|nghìn|ngàn)(?![\p{L}\p{N}])/iu;
// Addresses as people write them; the local part is generous (RFC 5322 allows !#$%&'*+/=?^`{|}~).
const EMAIL = /[^\s@<>()[\]\\,;:"]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
const MASKED_EMAIL = '***@***';
// A petition code (PA-2026-000123) is what staff and citizens refer to: never masked.
const PETITION_CODE_BEFORE = /pa[- ]?$/i;

/**
 * Masks ID-card numbers (CCCD, CMND), phone numbers and email addresses inside free text: each digit of such a
 * number becomes "*" (separators kept, so staff still see that a number was there), an address becomes "***@***".
 * Pure and idempotent; Khmer digits count as digits.
 */
export function maskPersonalText(text: string): string {
  // Most texts hold no such number: one scan says so (exports mask 100,000 rows).
  if (!text.includes('@') && !MAYBE_PERSONAL_NUMBER.test(text)) return text;
  let out = text.includes('@') ? text.replace(EMAIL, MASKED_EMAIL) : text;
  // Khmer digits map one character to one character, so positions found in the ASCII copy hold in `out`.
  const ascii = toAsciiDigits(out);
  let result = '';
  let last = 0;
  for (const m of ascii.matchAll(DIGIT_RUN)) {
    const run = m[0];
    const count = run.replace(/\D/g, '').length;
    if (count < MIN_PERSONAL_DIGITS) continue;
    const end = m.index + run.length;
    if (AMOUNT.test(run) && CURRENCY_AFTER.test(ascii.slice(end, end + 8))) continue;
    if (PETITION_CODE_BEFORE.test(ascii.slice(Math.max(0, m.index - 3), m.index))) continue;
    result += out.slice(last, m.index) + out.slice(m.index, end).replace(/[\d\u17E0-\u17E9]/g, '*');
    last = end;
  }
  out = result + out.slice(last);
  return out;
}

/**
 * maskPersonalText, and the citizen's own name and address where the text repeats them (for erasure and the
 * masked views, which know both). Null stays null.
 */
export function maskKnownPersonal<T extends string | null>(text: T, known: { name?: string | null; address?: string | null }): T {
  if (text === null) return text;
  let out: string = text;
  if (known.address && known.address.length >= 3 && out.includes(known.address)) out = out.split(known.address).join('***');
  if (known.name && known.name.length >= 2 && out.includes(known.name)) out = out.split(known.name).join(maskName(known.name));
  return maskPersonalText(out) as T;
}
