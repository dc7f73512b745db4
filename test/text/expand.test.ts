import { describe, expect, it } from 'vitest';
import { detectLanguage, expandAbbreviations, prepareQuery } from '../../src/text/expand.ts';
import { loadLexicon } from '../../src/text/lexicon.ts';
import { normalizeText } from '../../src/text/normalize.ts';

const lexicon = loadLexicon('content');
const expand = (s: string) => expandAbbreviations(normalizeText(s), lexicon);

describe('abbreviations from content/lexicon', () => {
  it('expands common abbreviations and teencode', () => {
    expect(expand('lam cccd can j')).toBe('lam can cuoc can gi');
    expect(expand('đk tạm trú bn tiền')).toBe('dang ky tam tru bao nhieu tien');
    expect(expand('đổi gplx onl')).toBe('doi giay phep lai xe truc tuyen');
    expect(expand('mất cà vẹt')).toBe('mat giay dang ky xe');
    expect(expand('lam passport ko')).toBe('lam ho chieu khong');
  });

  it('fixes tr/ch confusions the lexicon lists', () => {
    expect(expand('dăng kí tạm chú')).toBe('dang ky tam tru');
  });

  it('reads "hk" as hộ khẩu next to residence words, otherwise as "không"', () => {
    expect(expand('nhập hk cho vợ')).toBe('nhap ho khau cho vo');
    expect(expand('được hk ad')).toBe('duoc khong admin');
  });

  it('reads "dc" as địa chỉ next to address words, otherwise as "được"', () => {
    expect(expand('đổi dc nhà')).toBe('doi dia chi nha');
    expect(expand('làm onl dc ko')).toBe('lam truc tuyen duoc khong');
  });

  it('keeps "tt" ambiguous after đăng ký: both thường trú and tạm trú', () => {
    expect(expand('dk tt')).toBe('dang ky thuong tru tam tru');
  });

  it('drops "cần"/"thế" from search words but keeps "căn cước" and "thẻ căn cước"', () => {
    const q = prepareQuery('làm thẻ căn cước cần gì thế nào', lexicon);
    expect(q.tokens).toEqual(['the', 'can', 'cuoc']);
    expect(prepareQuery('cần những giấy gì', lexicon).tokens).not.toContain('can');
  });
});

describe('languages', () => {
  it('tells English from unaccented Vietnamese', () => {
    expect(detectLanguage('How do I apply for a passport?', 'how do i apply for a passport')).toBe('en');
    expect(detectLanguage('lam cccd can j', 'lam cccd can j')).toBe('vi');
    expect(detectLanguage('ខ្ញុំបាត់អត្តសញ្ញាណប័ណ្ណ', '')).toBe('km');
  });

  it('maps English words to the Vietnamese the content uses', () => {
    const q = prepareQuery('I lost my ID card, what should I do?', lexicon);
    expect(q.language).toBe('en');
    expect(q.tokens).toEqual(['mat', 'the', 'can', 'cuoc']);
  });

  it('translates known Khmer words and ignores the rest', () => {
    const q = prepareQuery('ខ្ញុំបាត់អត្តសញ្ញាណប័ណ្ណ', lexicon);
    expect(q.language).toBe('km');
    expect(q.tokens).toEqual(expect.arrayContaining(['mat', 'can', 'cuoc']));
  });

  it('adds "dưới 14 tuổi" when a child\'s age is given, without making it a search word', () => {
    const q = prepareQuery('con tui 9 tuổi làm căn cước', lexicon);
    expect(q.expanded).toContain('duoi 14 tuoi');
    expect(q.tokens).not.toContain('duoi');
    expect(prepareQuery('tôi 20 tuổi làm căn cước', lexicon).expanded).not.toContain('duoi 14');
  });
});
