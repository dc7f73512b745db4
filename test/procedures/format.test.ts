import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/i18n/index.ts';
import { loadProcedureFiles } from '../../src/procedures/content-loader.ts';
import { feesOn } from '../../src/procedures/fees.ts';
import { formatAnswer, formatDocuments, formatFeesAndTime, MAX_ANSWER_LENGTH } from '../../src/procedures/format.ts';
import type { OutgoingMessage } from '../../src/messages.ts';

const { procedures } = loadProcedureFiles('content/procedures');
const t = createI18n({ unitName: 'Công an thành phố Cần Thơ' }).forLanguage('vi');
const get = (id: string) => procedures.find((p) => p.id === id)!;
const textOf = (m: OutgoingMessage) => (m.kind === 'text' ? m.text : '');

describe('fees by date', () => {
  it('quotes the halved căn cước fee only inside its window', () => {
    const p = get('cap-doi-the-can-cuoc');
    expect(feesOn(p, '2025-06-30').map((f) => f.amount)).toEqual([50000]);
    expect(feesOn(p, '2026-06-01').map((f) => f.amount)).toEqual([25000]);
    expect(feesOn(p, '2026-12-31').map((f) => f.amount)).toEqual([25000]);
    expect(feesOn(p, '2027-01-01').map((f) => f.amount)).toEqual([50000]);
  });

  it('puts today\'s fee in the answer and announces the next change', () => {
    const p = get('cap-doi-the-can-cuoc');
    expect(textOf(formatAnswer(t, p, '2026-11-29'))).toContain('25.000 đồng');
    expect(textOf(formatAnswer(t, p, '2027-03-01'))).toContain('50.000 đồng');
    expect(textOf(formatFeesAndTime(t, p, '2026-11-29'))).toMatch(/Từ 01\/01\/2027: .*50\.000 đồng/);
  });

  it('says where to ask when the fee is not confirmed, never an invented amount', () => {
    // The 2026 fee of a change of owner (Thông tư 155/2025/TT-BTC) is not confirmed by any source.
    const p = get('sang-ten-xe');
    const answer = textOf(formatAnswer(t, p, '2026-11-29'));
    expect(p.fees.items).toEqual([]);
    expect(answer).toContain(p.fees.note!.slice(0, 30));
    expect(answer).not.toMatch(/\d{2,3}\.000 đồng/);
  });
});

describe('answers', () => {
  it('fit one phone screen (600 characters), carry the source and the date, and 4 buttons, for every procedure', () => {
    expect(MAX_ANSWER_LENGTH).toBe(600);
    for (const date of ['2025-03-01', '2026-11-29', '2027-06-01']) {
      for (const p of procedures) {
        const m = formatAnswer(t, p, date);
        if (m.kind !== 'text') throw new Error('text expected');
        expect(m.text.length, p.id).toBeLessThanOrEqual(MAX_ANSWER_LENGTH);
        // The official title; the few very long ones are cut by whole words.
        expect(p.title.toUpperCase().startsWith(m.text.split('\n')[0]!.replace(/…$/, '')), p.id).toBe(true);
        expect(m.text).toMatch(/Nguồn: .+ \(cập nhật \d{2}\/\d{2}\/\d{4}\)$/);
        expect(m.buttons?.length ?? 0).toBeLessThanOrEqual(4);
        expect(m.buttons?.map((b) => b.title)).toEqual(['Hồ sơ cần chuẩn bị', 'Lệ phí & thời gian', 'Nộp trực tuyến', 'Thủ tục khác']);
      }
    }
  });

  it('lists the papers to prepare with the forms', () => {
    const text = textOf(formatDocuments(t, get('dang-ky-thuong-tru')));
    expect(text).toMatch(/^Hồ sơ cần chuẩn bị – Đăng ký thường trú:/);
    expect(text).toContain('1. ');
    expect(text).toContain('CT01');
  });
});
