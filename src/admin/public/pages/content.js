import { card, h, replace, table } from '../lib/dom.js';
import { dateTime, isoDay, number } from '../lib/format.js';

/** Nội dung: questions the bot could not answer (most frequent first) and how recently each procedure was checked. */
export async function renderContent(ctx, view) {
  const [unanswered, procedures] = await Promise.all([ctx.api.get('/content/unanswered?limit=200'), ctx.api.get('/content/procedures')]);
  const stale = procedures.items.filter((p) => p.stale).length;
  replace(
    view,
    h('div', { class: 'page-head' }, h('h1', null, 'Nội dung')),
    card(
      'Câu hỏi bot chưa trả lời được',
      h('p', { class: 'hint' }, 'Câu hỏi đã chuẩn hóa (bỏ dấu, che số điện thoại, số giấy tờ); hỏi nhiều nhất ở trên. Đây là việc cần viết thêm nội dung.'),
      unanswered.items.length
        ? table(
            ['#', 'Câu hỏi', 'Số lần', 'Lần đầu', 'Gần nhất'],
            unanswered.items.map((q, i) => [String(i + 1), h('span', { class: 'citizen-text' }, q.text), number(q.count), dateTime(q.firstSeenAt, ctx.tz), dateTime(q.lastSeenAt, ctx.tz)]),
            { 'data-testid': 'unanswered-table' },
          )
        : h('p', { class: 'muted' }, 'Chưa có câu hỏi nào.'),
    ),
    card(
      `Thủ tục (${procedures.items.length})`,
      h(
        'p',
        { class: stale ? 'notice error' : 'hint' },
        stale
          ? `${stale} thủ tục kiểm tra lần cuối đã quá ${procedures.staleAfterDays} ngày: cần đối chiếu lại với Cổng dịch vụ công.`
          : `Mọi thủ tục đã được kiểm tra trong ${procedures.staleAfterDays} ngày qua.`,
      ),
      table(
        ['Thủ tục', 'Lĩnh vực', 'Kiểm tra lần cuối', 'Số ngày', ''],
        procedures.items.map((p) =>
          h(
            'tr',
            { class: p.stale ? 'stale' : null },
            h('td', null, p.title, h('br'), h('small', { class: 'muted' }, p.id)),
            h('td', null, p.field),
            h('td', null, isoDay(p.verifiedAt)),
            h('td', null, number(p.ageDays)),
            h('td', null, p.stale ? h('span', { class: 'pill bad' }, 'Cần kiểm tra lại') : h('span', { class: 'pill ok' }, 'Còn mới')),
          ),
        ),
        { 'data-testid': 'procedure-table' },
      ),
    ),
  );
}
