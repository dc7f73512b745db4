import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/i18n/index.ts';
import type { OutgoingMessage } from '../../src/messages.ts';
import { checkProcedures } from '../../src/procedures/content-check.ts';
import { formatAnswer, formatDocuments, formatFeesAndTime, formatStatus } from '../../src/procedures/format.ts';
import { procedureSchema, type Procedure } from '../../src/procedures/schema.ts';

// The catalogue's rules (issue 14): dated fee windows per case, conditions and currencies said in the answer,
// abolished and merged procedures, translations of every citizen-facing field.

const i18n = createI18n({ unitName: 'Công an thành phố Cần Thơ', hotline: '' });
const vi = i18n.forLanguage('vi');
const en = i18n.forLanguage('en');
const textOf = (m: OutgoingMessage) => (m.kind === 'text' ? m.text : '');

const make = (over: Record<string, unknown> = {}): Procedure =>
  procedureSchema.parse({
    id: 'thu-tuc-a',
    title: 'Thủ tục thử A',
    aliases: ['thủ tục a'],
    field: 'Thử nghiệm',
    levels: ['tinh'],
    agency: 'Phòng Quản lý xuất nhập cảnh (PA08) Công an thành phố Cần Thơ',
    online_level: 'toan_trinh',
    channels: [{ kind: 'truc_tuyen', time: '5 ngày làm việc', note: 'Nộp trên Cổng Dịch vụ công.' }],
    fees: { items: [{ case: 'Lệ phí', amount: 10000 }] },
    processing_time: '5 ngày làm việc',
    legal_basis: ['Luật thử'],
    source: { name: 'Nguồn thử', url: 'https://example.gov.vn' },
    verified_at: '2026-09-01',
    summary: 'Một thủ tục dùng để kiểm tra bộ kiểm tra nội dung, đủ dài để hợp lệ.',
    ...over,
  });
const errors = (ps: Procedure[]) => checkProcedures(ps, '/tmp', new Date('2026-10-01T00:00:00Z')).filter((i) => i.severity === 'error').map((i) => i.message);

describe('content:check on the larger catalogue', () => {
  it('accepts consecutive windows of one case (halved to 31/12/2026, full rate from 01/01/2027)', () => {
    const p = make({ fees: { items: [
      { case: 'Cấp mới', amount: 100000, valid_from: '2025-07-01', valid_to: '2026-12-31' },
      { case: 'Cấp mới', amount: 200000, valid_from: '2027-01-01' },
      { case: 'Cấp mới', amount: 0, channel: 'truc_tuyen', valid_from: '2026-08-15', valid_to: '2027-02-28', condition: 'Có tài khoản định danh mức 2 và nộp trực tuyến' },
    ] } });
    expect(errors([p])).toEqual([]);
  });

  it('refuses a gap between two windows of one case', () => {
    const p = make({ fees: { items: [
      { case: 'Cấp mới', amount: 100000, valid_from: '2025-07-01', valid_to: '2026-12-30' },
      { case: 'Cấp mới', amount: 200000, valid_from: '2027-01-01' },
    ] } });
    expect(errors([p])).toEqual([expect.stringMatching(/no rate from 2026-12-31 .* gap/)]);
  });

  it('refuses an open-ended window followed by another', () => {
    const p = make({ fees: { items: [
      { case: 'Cấp mới', amount: 200000, valid_from: '2021-01-01' },
      { case: 'Cấp mới', amount: 100000, valid_from: '2025-07-01', valid_to: '2026-12-31' },
    ] } });
    expect(errors([p])).toEqual([expect.stringMatching(/has no end but another starts 2025-07-01/)]);
  });

  it('refuses one official code in two files', () => {
    const a = make({ codes: [{ code: '1.001456', level: 'tinh' }] });
    const b = make({ id: 'thu-tuc-b', title: 'Thủ tục thử B', aliases: ['thủ tục b'], codes: [{ code: '1.001456', level: 'tinh' }] });
    expect(errors([a, b])).toEqual([expect.stringMatching(/code 1\.001456 \(tinh\) is also used by "thu-tuc-a"/)]);
  });

  it('refuses an abolished procedure that says neither what replaced it nor what to do, and a merged one without its successor', () => {
    expect(errors([make({ status: 'abolished' })])).toEqual(expect.arrayContaining([expect.stringMatching(/status_note must tell/)]));
    expect(errors([make({ status: 'merged', status_note: 'Nay làm thủ tục khác.' })])).toEqual([expect.stringMatching(/merged: name the procedure/)]);
    expect(errors([make({ status: 'abolished', status_note: 'Không còn cần làm thủ tục này.' })])).toEqual([]);
  });

  it('never publishes a draft', () => {
    expect(errors([make({ status: 'draft' })])).toEqual([expect.stringMatching(/status draft/)]);
  });
});

describe('answers from the catalogue', () => {
  it('states foreigners\' fees in US dollars', () => {
    const p = make({ fees: { items: [{ case: 'Thị thực một lần', amount: 25, currency: 'USD', basis: 'Thông tư 28/2026/TT-BTC' }] } });
    expect(textOf(formatAnswer(vi, p, '2026-12-01'))).toContain('Thị thực một lần: 25 USD');
    expect(textOf(formatAnswer(vi, p, '2026-12-01'))).not.toContain('25 đồng');
  });

  it('says who a waiver is for, not just "free"', () => {
    const p = make({ fees: { items: [
      { case: 'Nộp trực tuyến', amount: 0, channel: 'truc_tuyen', valid_from: '2026-08-15', valid_to: '2027-02-28', condition: 'có tài khoản định danh điện tử mức 2 và đã tích hợp 05 giấy tờ' },
    ] } });
    expect(textOf(formatFeesAndTime(vi, p, '2026-12-01'))).toMatch(/Nộp trực tuyến: miễn phí \(nếu: có tài khoản định danh điện tử mức 2 và đã tích hợp 05 giấy tờ\), áp dụng đến 28\/02\/2027/);
    expect(textOf(formatFeesAndTime(vi, p, '2027-03-15'))).not.toContain('miễn phí');
  });

  it('answers in English with every translated field, and keeps the official Vietnamese title and form names', () => {
    const p = make({
      documents: ['Tờ khai', 'Hộ chiếu'],
      summary_en: 'A test procedure used to check the formatter, long enough to be valid.',
      fees: { items: [{ case: 'Lệ phí', amount: 10000 }] },
      en: {
        title: 'Test procedure A',
        agency: 'Immigration office (PA08), Cần Thơ city police',
        processing_time: '5 working days',
        documents: ['Application form', 'Passport'],
        fee_cases: { 'Lệ phí': 'Fee' },
        channel_times: { truc_tuyen: '5 working days' },
      },
    });
    const answer = textOf(formatAnswer(en, p, '2026-12-01', 'en'));
    expect(answer).toMatch(/^THỦ TỤC THỬ A\n\(Test procedure A\)\nA test procedure/);
    expect(answer).toContain('Where to apply: Immigration office (PA08), Cần Thơ city police');
    expect(answer).toContain('Fee: Fee: 10.000 VND');
    expect(answer).toContain('Processing time: 5 working days');
    expect(textOf(formatDocuments(en, p, 'en'))).toContain('1. Application form\n2. Passport');
    expect(textOf(formatFeesAndTime(en, p, '2026-12-01', 'en'))).toContain('• online: 5 working days');
  });

  it('keeps the Vietnamese papers when a translation has a different number of them', () => {
    const p = make({ documents: ['Tờ khai', 'Hộ chiếu'], en: { title: 'Test A', documents: ['Form'] } });
    expect(textOf(formatDocuments(en, p, 'en'))).toContain('1. Tờ khai\n2. Hộ chiếu');
  });

  it('says a procedure was abolished or merged, by which decision, and what to do now', () => {
    const now = make({ id: 'cap-moi', title: 'Cấp, cấp đổi, cấp lại thẻ căn cước', aliases: ['thẻ căn cước'] });
    const merged = make({ id: 'cap-doi', title: 'Cấp đổi thẻ căn cước', status: 'merged', replaced_by: ['cap-moi'], status_basis: 'Quyết định 5230/QĐ-BCA-C06', status_note: 'Nay làm theo thủ tục chung.' });
    const m = formatStatus(vi, merged, [now]);
    expect(textOf(m)).toContain('đã được gộp vào «Cấp, cấp đổi, cấp lại thẻ căn cước» (Quyết định 5230/QĐ-BCA-C06)');
    expect(textOf(m)).toContain('Nay làm theo thủ tục chung.');
    expect(m.kind === 'text' && m.buttons?.[0]?.kind === 'query' && m.buttons[0].payload).toBe('#cmd:proc:cap-moi');
    const gone = make({ status: 'abolished', status_basis: 'Quyết định 1523/QĐ-BCA-C06', status_note: 'Dùng thẻ căn cước hoặc VNeID.' });
    expect(textOf(formatStatus(vi, gone, []))).toContain('đã bị bãi bỏ (Quyết định 1523/QĐ-BCA-C06)');
  });
});
