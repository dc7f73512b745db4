import { query } from '../lib/api.js';
import { card, field, h, replace, select, table } from '../lib/dom.js';
import { barChart, rankChart, splitBar } from '../lib/charts.js';
import { PETITION_KIND, PETITION_STATUS, PETITION_TOPIC, POST_STATUS, isoDay, label, number, today } from '../lib/format.js';

const KINDS = [
  ['quarter', 'Quý'],
  ['half', '6 tháng'],
  ['year', 'Năm'],
];
const PARTS = {
  quarter: [
    ['Q1', 'Quý I'],
    ['Q2', 'Quý II'],
    ['Q3', 'Quý III'],
    ['Q4', 'Quý IV'],
  ],
  half: [
    ['H1', '6 tháng đầu năm'],
    ['H2', '6 tháng cuối năm'],
  ],
  year: [],
};

const kindOf = (key) => (/-Q[1-4]$/.test(key) ? 'quarter' : /-H[12]$/.test(key) ? 'half' : 'year');
const monthLabel = (m) => `${m.slice(5)}/${m.slice(2, 4)}`;
const stat = (value, text) => h('div', { class: 'stat' }, h('strong', null, typeof value === 'number' ? number(value) : value), h('span', null, text));

/** Báo cáo: a quarter, six months or a year, with charts and an XLSX download. */
export async function renderReports(ctx, view, _params, search) {
  const now = today(ctx.tz);
  const year = Number(now.slice(0, 4));
  const month = Number(now.slice(5, 7));
  const key = search.get('period') || `${year}-Q${Math.ceil(month / 3)}`;
  const r = await ctx.api.get(`/reports/summary${query({ period: key })}`);
  const satisfaction = await ctx.api.get(`/reports/satisfaction${query({ period: r.period.key })}`).catch(() => null);

  const kind = select({ name: 'kind' }, KINDS, kindOf(r.period.key));
  const yearSelect = select({ name: 'year' }, Array.from({ length: 5 }, (_, i) => [String(year - i), String(year - i)]), r.period.key.slice(0, 4));
  const part = h('select', { name: 'part' });
  const fillParts = () => {
    const current = r.period.key.slice(5);
    part.replaceChildren(...PARTS[kind.value].map(([v, t]) => h('option', { value: v, selected: v === current }, t)));
    part.closest('label')?.classList.toggle('hidden', kind.value === 'year');
  };
  kind.addEventListener('change', fillParts);
  const partField = field('Kỳ', part);
  const periodKey = () => (kind.value === 'year' ? yearSelect.value : `${yearSelect.value}-${part.value}`);
  const form = h(
    'form',
    { class: 'filters', onSubmit: (e) => (e.preventDefault(), ctx.navigate(`#/reports${query({ period: periodKey() })}`)) },
    field('Loại kỳ', kind),
    field('Năm', yearSelect),
    partField,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit' }, 'Xem báo cáo'),
      h('a', { class: 'button secondary', href: `/admin/api/reports/summary.xlsx${query({ period: r.period.key })}`, download: '', 'data-testid': 'report-xlsx' }, 'Tải XLSX'),
    ),
  );

  const q = r.questions;
  const p = r.petitions;
  const posts = r.posts;
  const months = r.period.months.map(monthLabel);
  const sections = [
    card(
      'Trò chuyện',
      h('div', { class: 'stats' }, stat(r.conversations.total, 'cuộc trò chuyện'), stat(r.conversations.messages, 'tin nhắn người dân'), stat(q.answeredRate === null ? '—' : `${q.answeredRate}%`, 'câu hỏi trả lời được')),
      barChart({
        title: 'Theo tháng',
        labels: months,
        series: [
          { name: 'Cuộc trò chuyện', values: r.conversations.byMonth.map((x) => x.conversations) },
          { name: 'Tin nhắn', values: r.conversations.byMonth.map((x) => x.messages) },
        ],
      }),
      splitBar({
        title: 'Câu hỏi: trả lời được và chưa',
        parts: [
          { label: 'Trả lời được', value: q.answered },
          { label: 'Chưa trả lời được', value: q.unanswered },
        ],
      }),
    ),
    card('10 thủ tục được hỏi nhiều nhất', rankChart({ title: 'Số lần hỏi', items: r.topProcedures.map((x) => ({ label: x.title, value: x.count })) })),
    card(
      'Phản ánh, kiến nghị',
      h(
        'div',
        { class: 'stats' },
        stat(p.received, 'đã nhận'),
        stat(p.closed, 'đã xử lý xong'),
        stat(p.averageHandlingHours === null ? '—' : `${number(p.averageHandlingHours)} giờ`, 'thời gian xử lý trung bình'),
      ),
      rankChart({ title: 'Theo trạng thái (hiện nay) của phản ánh nhận trong kỳ', items: p.byStatus.map((x) => ({ label: label(PETITION_STATUS, x.key), value: x.n })) }),
      rankChart({ title: 'Theo loại', items: p.byKind.map((x) => ({ label: label(PETITION_KIND, x.key), value: x.n })) }),
      rankChart({ title: 'Theo chủ đề', items: p.byTopic.map((x) => ({ label: label(PETITION_TOPIC, x.key), value: x.n })) }),
      barChart({ title: 'Phản ánh nhận theo tháng', labels: months, series: [{ name: 'Phản ánh', values: p.byMonth.map((x) => x.received) }] }),
    ),
    card(
      'Bài đăng',
      h('div', { class: 'stats' }, stat(posts.total, 'bài trong kỳ'), stat(posts.sent, 'bài đã gửi'), stat(posts.deliveries.sent, 'lượt gửi thành công'), stat(posts.deliveries.failed, 'lượt gửi lỗi')),
      barChart({
        title: 'Bài đăng và lượt gửi thành công theo tháng',
        labels: months,
        series: [
          { name: 'Bài đăng', values: posts.byMonth.map((x) => x.posts) },
          { name: 'Lượt gửi thành công', values: posts.byMonth.map((x) => x.delivered) },
        ],
      }),
      posts.items.length
        ? table(
            ['Gửi lúc', 'Tiêu đề', 'Trạng thái', 'Thành công', 'Lỗi'],
            posts.items.map((x) => [x.sendAtLocal, h('a', { href: `#/posts/${x.id}` }, x.title), label(POST_STATUS, x.status), number(x.counts.sent), number(x.counts.failed)]),
          )
        : h('p', { class: 'muted' }, 'Không có bài đăng trong kỳ.'),
    ),
  ];
  if (satisfaction && satisfaction.count > 0) {
    sections.push(
      card(
        'Mức độ hài lòng',
        h('div', { class: 'stats' }, stat(satisfaction.count, 'lượt đánh giá'), stat(satisfaction.average === null ? '—' : `${satisfaction.average}/5`, 'điểm trung bình')),
        barChart({ title: 'Phân bố điểm', labels: ['1', '2', '3', '4', '5'], series: [{ name: 'Lượt', values: ['1', '2', '3', '4', '5'].map((k) => satisfaction.distribution[k] ?? 0) }] }),
      ),
    );
  }

  replace(
    view,
    h('div', { class: 'page-head' }, h('h1', null, 'Báo cáo'), h('span', { class: 'muted', 'data-testid': 'report-period' }, `${r.period.key}: ${isoDay(r.period.from)} – ${isoDay(r.period.to)}`)),
    card(null, form),
    h('div', { class: 'report' }, sections),
  );
  fillParts();
}
