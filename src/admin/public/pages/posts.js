import { query } from '../lib/api.js';
import { card, field, h, replace, select, table } from '../lib/dom.js';
import { POST_STATUS, label, number, today } from '../lib/format.js';
import { renderPlans } from './plans.js';

const WEEKDAYS = ['T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'CN'];
const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

const addMonths = (month, n) => {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

/** Delivery counts in a few words: "120 gửi thành công · 3 lỗi · 10 chờ". */
export function countsText(c) {
  const parts = [`${number(c.sent)} gửi thành công`];
  if (c.failed) parts.push(`${number(c.failed)} lỗi`);
  if (c.out_of_window) parts.push(`${number(c.out_of_window)} ngoài 7 ngày`);
  if (c.unknown) parts.push(`${number(c.unknown)} chưa rõ`);
  if (c.pending) parts.push(`${number(c.pending)} đang chờ`);
  return parts.join(' · ');
}

/** The month grid (Monday first) with each post on its local send day. */
function calendar(month, posts, todayIso) {
  const [y, m] = month.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1, 1));
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7;
  const byDay = new Map();
  for (const p of posts) {
    if (p.sendAt.slice(0, 7) !== month) continue;
    const d = Number(p.sendAt.slice(8, 10));
    byDay.set(d, [...(byDay.get(d) ?? []), p]);
  }
  const cells = [];
  for (let i = 0; i < lead; i += 1) cells.push(h('div', { class: 'day empty', 'aria-hidden': 'true' }));
  for (let d = 1; d <= days; d += 1) {
    const iso = `${month}-${String(d).padStart(2, '0')}`;
    const items = byDay.get(d) ?? [];
    cells.push(
      h(
        'div',
        { class: ['day', iso === todayIso ? 'today' : null, items.length ? 'has-posts' : null] },
        h('span', { class: 'day-number' }, String(d)),
        items.map((p) =>
          h('a', { class: `chip s-${p.status}`, href: `#/posts/${p.id}`, title: `${p.sendAtLocal} · ${label(POST_STATUS, p.status)}` }, h('b', null, p.sendAt.slice(11, 16)), ' ', p.title),
        ),
      ),
    );
  }
  return h('div', { class: 'calendar', 'data-testid': 'calendar' }, WEEKDAYS.map((w) => h('div', { class: 'weekday' }, w)), cells);
}

/** Bài đăng: month calendar, list with delivery counts, plan import. */
export async function renderPosts(ctx, view, _params, search) {
  const todayIso = today(ctx.tz);
  const month = MONTH_RE.test(search.get('month') ?? '') ? search.get('month') : todayIso.slice(0, 7);
  const status = search.get('status') ?? '';
  const { posts } = await ctx.api.get(`/posts${query({ status })}`);
  const canWrite = ctx.can(['admin', 'editor']);
  const go = (params) => ctx.navigate(`#/posts${query({ month, status, ...params })}`);
  const [y, m] = month.split('-');

  const monthPosts = posts.filter((p) => p.sendAt.slice(0, 7) === month);
  const list = monthPosts.length
    ? table(
        ['Thời gian gửi', 'Tiêu đề', 'Hình thức', 'Trạng thái', 'Kết quả gửi', ''],
        monthPosts.map((p) =>
          h(
            'tr',
            { dataset: { postId: String(p.id) } },
            h('td', null, p.sendAtLocal),
            h('td', null, h('a', { href: `#/posts/${p.id}` }, p.title)),
            h('td', null, p.mode === 'article' ? 'Bài viết' : 'Tin nhắn', p.audience === 'all' ? '' : ` · nhãn "${p.audience.tag}"`),
            h('td', null, h('span', { class: `status s-${p.status}` }, label(POST_STATUS, p.status))),
            h('td', null, countsText(p.counts)),
            h('td', null, h('a', { href: `#/posts/${p.id}` }, canWrite && ['draft', 'scheduled', 'missed'].includes(p.status) ? 'Sửa' : 'Xem')),
          ),
        ),
        { 'data-testid': 'post-table' },
      )
    : h('p', { class: 'muted' }, 'Tháng này chưa có bài đăng.');

  const statusFilter = select({ onChange: (e) => go({ status: e.target.value }) }, [['', 'Mọi trạng thái'], ...Object.entries(POST_STATUS)], status);
  const plans = canWrite ? h('div', null) : null;
  replace(
    view,
    h(
      'div',
      { class: 'page-head' },
      h('h1', null, 'Bài đăng'),
      canWrite ? h('a', { class: 'button', href: '#/posts/new', 'data-testid': 'new-post' }, '+ Bài mới') : null,
    ),
    card(
      null,
      h(
        'div',
        { class: 'toolbar' },
        h('button', { type: 'button', class: 'secondary', onClick: () => go({ month: addMonths(month, -1) }), 'aria-label': 'Tháng trước' }, '‹'),
        h('h2', { class: 'month-title' }, `Tháng ${m}/${y}`),
        h('button', { type: 'button', class: 'secondary', onClick: () => go({ month: addMonths(month, 1) }), 'aria-label': 'Tháng sau' }, '›'),
        h('button', { type: 'button', class: 'link', onClick: () => go({ month: todayIso.slice(0, 7) }) }, 'Tháng này'),
        field('Lọc', statusFilter),
      ),
      calendar(month, posts, todayIso),
    ),
    card(`Danh sách tháng ${m}/${y}`, list),
    plans,
  );
  if (plans) await renderPlans(ctx, plans);
}
