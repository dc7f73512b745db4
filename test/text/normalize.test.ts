import { describe, expect, it } from 'vitest';
import { foldMarks, hasKhmer, normalizeText, toAsciiDigits } from '../../src/text/normalize.ts';

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
