import { query } from '../lib/api.js';
import { card, field, h, replace, select, table } from '../lib/dom.js';
import { AUDIT_ACTION, ROLE_LABELS, dateTime, label, number } from '../lib/format.js';

const KIND = { staff: 'Cán bộ', token: 'Mã API', cli: 'Dòng lệnh', anonymous: 'Chưa đăng nhập' };

/** The details of a line, as "key: value" text. */
function detailText(detail) {
  if (!detail || typeof detail !== 'object') return '';
  return Object.entries(detail)
    .map(([k, v]) => `${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}

/** Nhật ký (admin): every login, status change, export, post and account change; nothing here can be edited. */
export async function renderAudit(ctx, view, _params, search) {
  const filters = { action: search.get('action') ?? '', actor: search.get('actor') ?? '', from: search.get('from') ?? '', to: search.get('to') ?? '' };
  const page = Number(search.get('page') ?? '1') || 1;
  const data = await ctx.api.get(`/audit${query({ ...filters, page })}`);
  const groups = [...new Set(data.actions.map((a) => a.split('.')[0]))].filter((g) => !data.actions.includes(g));
  const action = select(
    { name: 'action' },
    [['', 'Mọi việc'], ...groups.map((g) => [g, `${g}.*`]), ...data.actions.map((a) => [a, label(AUDIT_ACTION, a)])],
    filters.action,
  );
  const actor = h('input', { name: 'actor', value: filters.actor, placeholder: 'tên đăng nhập' });
  const from = h('input', { type: 'date', value: filters.from });
  const to = h('input', { type: 'date', value: filters.to });
  const go = (p = 1) => ctx.navigate(`#/audit${query({ action: action.value, actor: actor.value.trim(), from: from.value, to: to.value, page: p > 1 ? p : '' })}`);
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
  replace(
    view,
    h('div', { class: 'page-head' }, h('h1', null, 'Nhật ký'), h('span', { class: 'muted' }, `${number(data.total)} dòng · chỉ ghi thêm, không sửa, không xóa`)),
    card(
      null,
      h(
        'form',
        { class: 'filters', onSubmit: (e) => (e.preventDefault(), go()) },
        field('Việc', action),
        field('Người thực hiện', actor),
        field('Từ ngày', from),
        field('Đến ngày', to),
        h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Lọc')),
      ),
    ),
    table(
      ['Thời gian', 'Người thực hiện', 'Việc', 'Đối tượng', 'Chi tiết', 'IP'],
      data.items.map((r) => [
        dateTime(r.at, ctx.tz),
        [r.actor, h('br'), h('small', { class: 'muted' }, `${label(KIND, r.actorKind)}${r.role ? ` · ${label(ROLE_LABELS, r.role)}` : ''}`)],
        label(AUDIT_ACTION, r.action),
        r.target ?? '',
        h('span', { class: 'detail' }, detailText(r.detail)),
        r.ip ?? '',
      ]),
      { 'data-testid': 'audit-table' },
    ),
    pages > 1
      ? h(
          'div',
          { class: 'pager' },
          h('button', { type: 'button', class: 'secondary', disabled: page <= 1, onClick: () => go(page - 1) }, '‹ Trước'),
          h('span', null, `Trang ${page}/${pages}`),
          h('button', { type: 'button', class: 'secondary', disabled: page >= pages, onClick: () => go(page + 1) }, 'Sau ›'),
        )
      : null,
  );
}
