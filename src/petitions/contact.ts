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
