import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPersonalNumbers, maskKnownPersonal, maskPersonalText } from '../../src/petitions/contact.ts';
import { csvCell } from '../../src/petitions/petition-export.ts';

// Issue 12, item 9: phone, ID-card and email patterns inside free text. Pure functions, checked on many inputs.

const digits = (n: number, first?: string) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((ds) => `${first ?? ''}${ds.join('')}`.slice(0, n + (first?.length ?? 0)));
const sep = fc.constantFrom('', ' ', '.', '-');
/** Splits a digit string into groups joined by one separator (the same one, as people write them). */
const grouped = (raw: fc.Arbitrary<string>) =>
  fc.tuple(raw, sep, fc.array(fc.integer({ min: 2, max: 4 }), { minLength: 1, maxLength: 6 })).map(([s, by, sizes]) => {
    const parts: string[] = [];
    let i = 0;
    for (const size of sizes) {
      if (i >= s.length) break;
      parts.push(s.slice(i, i + size));
      i += size;
    }
    if (i < s.length) parts.push(s.slice(i));
    return parts.join(by);
  });
const mobile = fc
  .tuple(fc.constantFrom('0', '+84', '84', '+84 ', '0084'), fc.constantFrom('3', '5', '7', '8', '9'), digits(8))
  .map(([prefix, first, rest]) => ({ prefix, body: `${first}${rest}` }));
const phoneText = fc.tuple(mobile, sep, fc.array(fc.integer({ min: 2, max: 4 }), { minLength: 1, maxLength: 4 })).map(([m, by, sizes]) => {
  const parts: string[] = [];
  let i = 0;
  for (const size of sizes) {
    if (i >= m.body.length) break;
    parts.push(m.body.slice(i, i + size));
    i += size;
  }
  if (i < m.body.length) parts.push(m.body.slice(i));
  return `${m.prefix}${parts.join(by)}`;
});
const cccd = grouped(digits(11, '0'));
const cmnd = grouped(digits(9));
/** Text around a number: anything without digits, so the number stays one number. */
const filler = fc.string({ maxLength: 40 }).map((s) => s.replace(/[0-9\u17E0-\u17E9\u0660-\u0669]/g, 'x'));
const wordsAround = fc.constantFrom('', ' ', 'SĐT: ', 'số ', 'CCCD ', '(', 'gọi ', 'điện thoại');
const onlyDigits = (s: string) => s.replace(/\D/g, '');

describe('maskPersonalText', () => {
  it('leaves no phone number (0…, +84, 84, spaces, dots, dashes) readable in any surrounding text', () => {
    fc.assert(
      fc.property(filler, wordsAround, phoneText, filler, (a, w, phone, b) => {
        const masked = maskPersonalText(`${a}${w}${phone}${b}`);
        expect(findPersonalNumbers(masked)).toEqual({ idNumber: false, phone: false });
        expect(onlyDigits(masked)).not.toContain(onlyDigits(phone).slice(-9));
      }),
      { numRuns: 500 },
    );
  });

  it('leaves no CCCD (12 digits) or CMND (9 digits) readable, grouped or not', () => {
    fc.assert(
      fc.property(filler, wordsAround, fc.oneof(cccd, cmnd), filler, (a, w, id, b) => {
        const masked = maskPersonalText(`${a}${w}${id}${b}`);
        expect(findPersonalNumbers(masked).idNumber).toBe(false);
        expect(onlyDigits(masked)).not.toContain(onlyDigits(id));
      }),
      { numRuns: 500 },
    );
  });

  it('masks email addresses', () => {
    fc.assert(
      fc.property(filler, fc.emailAddress(), filler, (a, email, b) => {
        const masked = maskPersonalText(`${a} ${email} ${b}`);
        expect(masked).not.toContain(email);
        expect(masked).not.toContain(email.split('@')[1]!);
      }),
      { numRuns: 300 },
    );
  });

  it('changes nothing in text without a long number or an address, and is idempotent on any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }).map((s) => s.replace(/[@\d]/g, ' ')), (s) => {
        expect(maskPersonalText(s)).toBe(s);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const once = maskPersonalText(s);
        expect(maskPersonalText(once)).toBe(once);
      }),
    );
  });

  it('keeps what a petition needs: dates, short numbers, amounts of money, petition codes', () => {
    const keep = 'Ngày 12/03/2026 lúc 9.30 tôi nộp hồ sơ tại phòng 113, đóng 100.000.000 đồng, mã PA-2026-000123, chờ 15 ngày.';
    expect(maskPersonalText(keep)).toBe(keep);
    expect(maskPersonalText('Số CCCD 079 123 456 789, SĐT 0912.345.678, email an.nguyen@gmail.com.')).toBe(
      'Số CCCD *** *** *** ***, SĐT ****.***.***, email ***@***.',
    );
    // Khmer digits are digits too.
    expect(maskPersonalText('លេខ ០៩១២៣៤៥៦៧៨')).toBe('លេខ **********');
  });

  it('maskKnownPersonal also hides the citizen\'s own name and address where the text repeats them', () => {
    expect(maskKnownPersonal('Tôi là Trần Thị Bình ở Ấp 3, xã Mỹ Xuyên, gọi 0912345678.', { name: 'Trần Thị Bình', address: 'Ấp 3, xã Mỹ Xuyên' })).toBe(
      'Tôi là T*** T*** B*** ở ***, gọi **********.',
    );
    expect(maskKnownPersonal(null, { name: 'An' })).toBeNull();
  });
});

describe('csvCell formula guard', () => {
  it('neutralises = + - @ after leading whitespace, and cells that start with a tab, CR or LF', () => {
    for (const v of [' =cmd|\' /C calc\'!A0', '\t=1+1', '  +SUM(A1)', '\r\n-2', '\u00a0@x', '\tplain', '\rplain', '\nplain']) {
      const cell = csvCell(v);
      expect(cell.replace(/^"/, '').startsWith("'"), JSON.stringify(v)).toBe(true);
    }
    expect(csvCell('an toàn')).toBe('an toàn');
    expect(csvCell(' an toàn')).toBe(' an toàn');
    fc.assert(
      fc.property(fc.stringMatching(/^[ \t\r\n]{0,4}[=+\-@]/), fc.string({ maxLength: 20 }), (head, tail) => {
        expect(csvCell(head + tail).replace(/^"/, '').startsWith("'")).toBe(true);
      }),
    );
  });
});
