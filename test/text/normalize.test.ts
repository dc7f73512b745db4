import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldMarks, hasKhmer, normalizeText, normalizeWhole, toAsciiDigits } from '../../src/text/normalize.ts';

describe('normalizeText', () => {
  it('folds tone marks and đ→d, lower case', () => {
    expect(normalizeText('Đăng ký TẠM TRÚ ở đâu?')).toBe('dang ky tam tru o dau');
    expect(normalizeText('Đổi thẻ căn cước')).toBe('doi the can cuoc');
  });

  it('treats NFD input like NFC input', () => {
    const nfc = 'Cấp hộ chiếu phổ thông';
    expect(normalizeText(nfc.normalize('NFD'))).toBe(normalizeText(nfc));
    expect(normalizeText(nfc.normalize('NFD'))).toBe('cap ho chieu pho thong');
  });

  it('removes zero-width characters, HTML tags and punctuation', () => {
    expect(normalizeText('căn\u200Bcước')).toBe('cancuoc');
    expect(normalizeText('<b>làm</b> cccd!!! (gấp)')).toBe('lam cccd gap');
    expect(normalizeText('PA-2025-000123')).toBe('pa 2025 000123');
  });

  it('collapses letters repeated three times or more', () => {
    expect(normalizeText('nhiuuuu tiềnnnn')).toBe('nhiu tien');
    expect(normalizeText('kho qua')).toBe('kho qua');
  });

  it('keeps Khmer letters (vowel signs and subscripts too) and turns Khmer digits into ASCII', () => {
    expect(hasKhmer('លិខិតឆ្លងដែន')).toBe(true);
    expect(normalizeText('លិខិតឆ្លងដែន')).toBe('លិខិតឆ្លងដែន');
    expect(toAsciiDigits('PA-២០២៥-០០០១២៣')).toBe('PA-2025-000123');
    expect(normalizeText('pa ២០២៥ ០០០១២៣')).toBe('pa 2025 000123');
  });

  it('spells the look-alike Khmer subscripts ្ដ and ្ត one way, so either typing matches', () => {
    const withDa = 'ស្នាក់នៅបណ\u17D2\u178Aោះអាសន្ន';
    const withTa = 'ស្នាក់នៅបណ\u17D2\u178Fោះអាសន្ន';
    expect(normalizeText(withDa)).toBe(normalizeText(withTa));
    expect(normalizeText(withDa)).toContain('\u17D2\u178F');
  });

  it('folds marks without touching plain text', () => {
    expect(foldMarks('ưởng đường')).toBe('uong duong');
    expect(foldMarks('abc 123')).toBe('abc 123');
  });

  it('never throws on odd input', () => {
    for (const s of ['', '   ', '\u0000\uffff', '😀🚨', 'a'.repeat(10_000), '<<<>>>', '\u0301\u0301']) {
      expect(() => normalizeText(s)).not.toThrow();
    }
  });
});

describe('normalizeText on long texts (word by word, cached)', () => {
  // Words of every kind the two paths could disagree on: marks (NFC and NFD), đ, Khmer and its digits, zero-width
  // characters, punctuation inside words, stretched letters, non-ASCII spaces, and runs of ASCII whitespace.
  const piece = fc.oneof(
    fc.constantFrom('Căn', 'CƯỚC', 'cước'.normalize('NFD'), 'Đăng', 'ký', 'nhiuuuu', 'cccd', 'CT01,', '(gấp)', 'ក្រុម', '១២៣', 'a\u200Bb', '\uFEFF', '\u00A0', 'x.y-z', '!!!', 'Σσς'),
    fc.constantFrom(' ', '  ', '\t', '\n', '\r\n'),
    fc.string({ unit: 'grapheme', maxLength: 12 }),
    fc.string({ unit: 'binary', maxLength: 6 }),
  );
  it('equals the one-pass normalisation for any text, however long', () => {
    fc.assert(
      fc.property(fc.array(piece, { minLength: 20, maxLength: 200 }), (pieces) => {
        const text = pieces.join('');
        expect(normalizeText(text)).toBe(normalizeWhole(text));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps HTML handling exact (tags may span spaces)', () => {
    const text = `${'Thủ tục đăng ký thường trú '.repeat(5)}<a href="https://dichvucong.gov.vn"> nộp hồ sơ </a> trực tuyến`;
    expect(normalizeText(text)).toBe(normalizeWhole(text));
    expect(normalizeText(text)).not.toContain('href');
  });
});
