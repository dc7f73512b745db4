import { describe, expect, it } from 'vitest';
import { createUnderstander } from '../../src/bot/understand.ts';
import { loadIntentModel } from '../../src/classifier/intent-model.ts';
import { createI18n, type Language } from '../../src/i18n/index.ts';
import { createAnswerPlanner, type Question } from '../../src/procedures/answer-plan.ts';
import { loadProcedureFiles } from '../../src/procedures/content-loader.ts';
import { formatAnswer, MAX_ANSWER_LENGTH } from '../../src/procedures/format.ts';
import type { Procedure } from '../../src/procedures/schema.ts';
import { createProcedureIndex } from '../../src/procedures/search.ts';
import type { Aspect } from '../../src/text/lexicon.ts';
import { loadLexicon } from '../../src/text/lexicon.ts';
import { normalizeText, tokenize } from '../../src/text/normalize.ts';

// The first reply leads with what was asked (issue 15 §3): the fee case the words name, the note that answers a
// sub-question, and one phone screen for every procedure, aspect and language.

const lexicon = loadLexicon('content');
const { procedures } = loadProcedureFiles('content/procedures');
const active = procedures.filter((p) => p.status === 'active');
const intentModel = await loadIntentModel('content');
const { understand } = createUnderstander(lexicon, createProcedureIndex(procedures.filter((p) => p.status !== 'draft'), lexicon), intentModel);
const planner = createAnswerPlanner({ procedures: active, lexicon });
const i18n = createI18n({ unitName: 'Công an thành phố Cần Thơ', hotline: '' });
const get = (id: string) => procedures.find((p) => p.id === id)!;
const CCCD = 'cap-cap-doi-cap-lai-the-can-cuoc';

/** The first reply to a typed question about procedure `id`, planned as the bot plans it. */
function reply(id: string, q: string, today = '2026-12-01', language: Language = 'vi') {
  const u = understand(q);
  const plan = planner.plan(get(id), today, planner.question(u.query, u.aspect));
  const m = formatAnswer(i18n.forLanguage(language), get(id), today, language, { plan });
  if (m.kind !== 'text') throw new Error('text expected');
  // The line after the heading is what the reply leads with.
  return { text: m.text, lead: m.text.split('\n')[1]!, lines: m.text.split('\n'), plan };
}

describe('the fee case the words name', () => {
  it('quotes the replacement, renewal, first-issue or online rate of today, and until when', () => {
    const replace = /^Lệ phí: Cấp lại thẻ căn cước \(mất, hư hỏng, trở lại quốc tịch\): 35\.000 đồng, áp dụng đến 31\/12\/2026/;
    expect(reply(CCCD, 'làm lại căn cước mất bao nhiêu tiền').lead).toMatch(replace);
    expect(reply(CCCD, 'mất thẻ căn cước rồi làm lại tốn bao nhiêu').lead).toMatch(replace);
    expect(reply(CCCD, 'cấp lại cccd bị hư hết bao nhiêu').lead).toMatch(replace);
    expect(reply(CCCD, 'đổi căn cước hết hạn bao nhiêu tiền').lead).toMatch(/^Lệ phí: Cấp đổi thẻ căn cước: 25\.000 đồng, áp dụng đến 31\/12\/2026/);
    expect(reply(CCCD, 'làm căn cước lần đầu có mất tiền không').lead).toMatch(/^Lệ phí: Làm thẻ căn cước lần đầu \(kể cả trẻ dưới 14 tuổi\): miễn phí/);
    // Online: the conditional free rate first (saying for whom), then the one for everyone else.
    expect(reply(CCCD, 'đổi căn cước online bao nhiêu tiền').lead).toMatch(
      /^Lệ phí: Cấp đổi thẻ căn cước: miễn phí \(nếu: Công dân có tài khoản định danh điện tử mức 2, .*\), áp dụng đến 28\/02\/2027; Cấp đổi thẻ căn cước: 25\.000 đồng/,
    );
    // Without "online", the lead says that filing online has its own rate.
    expect(reply(CCCD, 'làm lại căn cước mất bao nhiêu tiền').lead).toContain('nộp trực tuyến có mức riêng');
  });

  it('reads "mất bao nhiêu" as a cost and "mống mắt" as an eye, not a lost card', () => {
    const cost = reply(CCCD, 'làm căn cước mất bao nhiêu tiền');
    expect(cost.plan.lead).toEqual({ kind: 'fee', items: undefined, otherChannel: false });
    expect(cost.lead).not.toMatch(/^Lệ phí: Cấp lại/);
    expect(reply(CCCD, 'làm căn cước cho con 12 tuổi có phải lấy dấu vân tay với mống mắt không').plan.feeItems).toBeUndefined();
  });

  it('follows the date: the full rate from 2027, and other procedures\' cases', () => {
    expect(reply(CCCD, 'làm lại căn cước bao nhiêu tiền', '2027-03-01').lead).toMatch(/^Lệ phí: Cấp lại thẻ căn cước \(mất, hư hỏng, trở lại quốc tịch\): 70\.000 đồng/);
    expect(reply('cap-ho-chieu', 'làm lại hộ chiếu bị mất hết bao nhiêu').lead).toMatch(/^Lệ phí: Cấp lại hộ chiếu do bị mất hoặc hư hỏng: 200\.000 đồng, áp dụng đến 31\/12\/2026/);
    expect(reply('dang-ky-tam-tru', 'dang ky tam tru online bao nhieu tien').lead).toMatch(/^Lệ phí: Nộp trực tuyến: 7\.000 đồng; Nộp trực tuyến: miễn phí \(nếu: /);
  });

  it('keeps the named case in the short fee line under another lead', () => {
    const r = reply(CCCD, 'cccd het han doi o dau vay ad');
    expect(r.lead).toMatch(/^Nơi làm: Công an xã, phường bất kỳ \(không cần đúng nơi cư trú\) hoặc Phòng PC06/);
    expect(r.text).toContain('• Lệ phí: Cấp đổi thẻ căn cước: 25.000 đồng, áp dụng đến 31/12/2026');
  });

  it('gives the time of the channel asked for', () => {
    expect(reply(CCCD, 'làm lại căn cước trực tuyến mất mấy ngày').lead).toBe(
      'Thời gian (trực tuyến): Tối đa 07 ngày làm việc; cấp lại do mất hoặc hư hỏng nộp trực tuyến toàn trình thì 05 ngày làm việc',
    );
  });
});

describe('sub-questions answered from the notes', () => {
  it('says a chip CCCD stays valid until its expiry, with the note\'s caveat', () => {
    for (const q of ['cccd gắn chip còn dùng được không', 'CCCD gắn chip của tôi còn hạn tới 2030, có bắt buộc đổi sang thẻ căn cước mới không?']) {
      const r = reply(CCCD, q);
      expect(r.lead, q).toMatch(/^Lưu ý: Thẻ căn cước công dân \(CCCD, kể cả loại gắn chip\) đã cấp vẫn dùng được đến ngày hết hạn in trên thẻ/);
      // The note is not confirmed against the original law: that stays said.
      expect(r.lead, q).toMatch(/chưa đối chiếu văn bản gốc|chưa được xác nhận/);
    }
  });

  it('tells an elder who cannot travel to ask about a home visit', () => {
    const r = reply(CCCD, 'Mẹ tôi già yếu nằm một chỗ, không tự đi được, làm căn cước có cán bộ xuống tận nhà không?');
    expect(r.lead).toBe('Lưu ý: Người già yếu, bệnh nặng hoặc khuyết tật không tự đi được có thể hỏi Công an xã, phường nơi ở về việc cán bộ đến làm thủ tục tại nhà.');
    expect(reply(CCCD, 'ba toi bi benh nang khong tu di duoc, co can bo den nha lam can cuoc khong').lead).toMatch(/cán bộ đến làm thủ tục tại nhà/);
  });

  it('says an ordinary company does not register its seal with the police, and who still must', () => {
    const r = reply('dang-ky-mau-con-dau', 'Công ty TNHH của tôi mới thành lập, có phải đăng ký mẫu con dấu với công an không?');
    expect(r.lead).toMatch(/^Lưu ý: Doanh nghiệp thông thường \(đăng ký theo Luật Doanh nghiệp, Luật Đầu tư\) KHÔNG phải đăng ký mẫu con dấu với Công an/);
    expect(r.lead).toMatch(/công ty luật.*vẫn phải đăng ký\.$/);
  });

  it('answers other notes, channel notes and exemptions when asked', () => {
    expect(reply('sang-ten-xe', 'sang tên xe máy mua lại của người quen').lead).toMatch(/^Lưu ý: Mua xe của người quen cũng phải sang tên\./);
    expect(reply('cap-ho-chieu', 'hộ chiếu cho trẻ dưới 14 tuổi có gắn chip được không').lead).toMatch(/trẻ dưới 14 tuổi chỉ được cấp hộ chiếu không gắn chip/);
    // After the fee of the case asked, who is exempt.
    const exempt = reply(CCCD, 'người khuyết tật làm lại căn cước có mất tiền không');
    expect(exempt.lead).toMatch(/^Lệ phí: Cấp lại thẻ căn cước/);
    expect(exempt.lines[2]).toBe('Được miễn, giảm lệ phí: Trẻ em, người cao tuổi, người khuyết tật (khi cấp đổi, cấp lại)');
  });

  it('never leads with a note on a weak overlap: a general question gets the summary', () => {
    const general: [string, string][] = [
      [CCCD, 'đổi căn cước hết hạn'],
      [CCCD, 'làm căn cước lần đầu'],
      [CCCD, 'lam can cuoc cho con'],
      ['dang-ky-tam-tru', 'đăng ký tạm trú cho con đi học'],
      ['dang-ky-tam-tru', 'dk tam tru cho cong nhan thue tro'],
      ['tach-ho', 'muốn tách hộ ra riêng khi đã lập gia đình'],
      ['cap-giay-chung-nhan-antt', 'mở nhà nghỉ cần giấy an ninh trật tự gì'],
      ['dang-ky-xe-lan-dau', 'đăng ký xe máy mới mua'],
    ];
    for (const [id, q] of general) {
      const r = reply(id, q);
      expect(r.plan.lead.kind, q).not.toBe('note');
      if (r.plan.lead.kind === 'summary') expect(r.lead.slice(0, 40), q).toBe(get(id).summary.slice(0, 40));
    }
  });
});

describe('one phone screen', () => {
  const ASPECTS: (Aspect | undefined)[] = [undefined, 'fee', 'time', 'documents', 'online', 'where', 'legal'];
  const SOURCE = { vi: /\nNguồn: .+ \(cập nhật \d{2}\/\d{2}\/\d{4}\)$/, en: /\nSource: .+ \(updated \d{2}\/\d{2}\/\d{4}\)$/, km: /\nប្រភព៖ .+ \(ធ្វើបច្ចុប្បន្នភាព \d{2}\/\d{2}\/\d{4}\)$/ };
  /** Questions that push each lead: no words, each note's own words (a note lead), a yes/no question, online. */
  const questions = (p: Procedure): (Question | undefined)[] => {
    const noteWords = [...p.notes, ...p.channels.map((c) => c.note ?? '')].filter(Boolean).map((n) => tokenize(normalizeText(n)));
    return [
      undefined,
      ...ASPECTS.flatMap((aspect) => [
        { aspect, words: [] },
        { aspect, words: ['truc', 'tuyen', 'lam', 'lai', 'duoc', 'khong', ...tokenize(normalizeText(p.eligibility ?? ''))] },
      ]),
      ...noteWords.map((words) => ({ words })),
    ];
  };

  it('fits 600 characters before the buttons, with at most 4 buttons, for every procedure, aspect and language', () => {
    let checked = 0;
    const problems: string[] = [];
    for (const p of active) {
      const title = p.title.toUpperCase();
      for (const language of ['vi', 'en', 'km'] as const) {
        const t = i18n.forLanguage(language);
        for (const today of ['2026-12-01', '2027-06-01']) {
          // Only fees change with the date: the later date is checked on the fee questions.
          for (const q of questions(p).filter((x) => today === '2026-12-01' || x?.aspect === 'fee' || x === undefined)) {
            const m = formatAnswer(t, p, today, language, { plan: planner.plan(p, today, q) });
            checked++;
            const text = m.kind === 'text' ? m.text : '';
            // The official title, cut by whole words when very long; the source last.
            const ok =
              text.length <= MAX_ANSWER_LENGTH &&
              title.startsWith(text.slice(0, text.indexOf('\n')).replace(/…$/, '')) &&
              SOURCE[language].test(text) &&
              (m.kind === 'text' ? (m.buttons?.length ?? 0) : 0) <= 4;
            if (!ok) problems.push(`${p.id} ${language} ${today} ${q?.aspect ?? '-'} ${q?.words.slice(0, 4).join(' ')}: ${text.length}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(active.length * 3 * 18);
  });

  it('fits with the note that a merged procedure is now part of this one', () => {
    for (const from of procedures.filter((p) => p.status === 'merged' && p.replaced_by.length === 1)) {
      const into = get(from.replaced_by[0]!);
      for (const language of ['vi', 'en', 'km'] as const) {
        const m = formatAnswer(i18n.forLanguage(language), into, '2026-12-01', language, { mergedFrom: from, plan: planner.plan(into, '2026-12-01', { aspect: 'documents', words: [] }) });
        expect(m.kind === 'text' && m.text.length, `${from.id} ${language}`).toBeLessThanOrEqual(MAX_ANSWER_LENGTH);
      }
    }
  });
});
