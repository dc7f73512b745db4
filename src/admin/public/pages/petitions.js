import { query } from '../lib/api.js';
import { card, field, h, replace, safeUrl, select, table } from '../lib/dom.js';
import { LANGUAGE, PETITION_KIND, PETITION_NEXT, PETITION_STATUS, PETITION_TOPIC, dateTime, label, number } from '../lib/format.js';

const FILTERS = ['status', 'from', 'to', 'q'];

/** Phản ánh, kiến nghị: filters, list, export buttons. */
export async function renderPetitions(ctx, view, _params, search) {
  const filters = Object.fromEntries(FILTERS.map((k) => [k, search.get(k) ?? '']));
  const page = Number(search.get('page') ?? '1') || 1;
  const data = await ctx.api.get(`/petitions${query({ ...filters, page })}`);
  const canOpen = ctx.can(['admin', 'handler']);
  const tz = ctx.tz;

  const status = select({ name: 'status' }, [['', 'Tất cả trạng thái'], ...Object.entries(PETITION_STATUS)], filters.status);
  const from = h('input', { type: 'date', name: 'from', value: filters.from });
  const to = h('input', { type: 'date', name: 'to', value: filters.to });
  const q = h('input', { type: 'search', name: 'q', value: filters.q, placeholder: 'Mã, nội dung hoặc tên', maxlength: 200 });
  const go = (p = 1) => ctx.navigate(`#/petitions${query({ status: status.value, from: from.value, to: to.value, q: q.value.trim(), page: p > 1 ? p : '' })}`);
  const form = h(
    'form',
    { class: 'filters', onSubmit: (e) => (e.preventDefault(), go()) },
    field('Trạng thái', status),
    field('Từ ngày', from),
    field('Đến ngày', to),
    field('Tìm', q),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Lọc'), h('button', { type: 'button', class: 'secondary', onClick: () => ctx.navigate('#/petitions') }, 'Bỏ lọc')),
  );

  // Exports follow the filters on screen (the search text is not part of exports).
  const exportHref = (format, pii) => `/admin/api/petitions/export${query({ format, include_pii: pii ? 'true' : '', status: filters.status, from: filters.from, to: filters.to })}`;
  const exports = h(
    'div',
    { class: 'exports' },
    h('span', { class: 'field-label' }, 'Xuất danh sách:'),
    h('a', { class: 'button secondary', href: exportHref('csv', false), download: '', 'data-testid': 'export-csv' }, 'CSV'),
    h('a', { class: 'button secondary', href: exportHref('xlsx', false), download: '', 'data-testid': 'export-xlsx' }, 'XLSX'),
    canOpen
      ? [
          h('a', { class: 'button warn', href: exportHref('csv', true), download: '', 'data-testid': 'export-csv-pii' }, 'CSV có thông tin cá nhân'),
          h('a', { class: 'button warn', href: exportHref('xlsx', true), download: '', 'data-testid': 'export-xlsx-pii' }, 'XLSX có thông tin cá nhân'),
          h('small', { class: 'hint' }, 'Xuất kèm họ tên, điện thoại, địa chỉ được ghi vào nhật ký.'),
        ]
      : h('small', { class: 'hint' }, 'Bản xuất không kèm thông tin cá nhân (họ tên, điện thoại đã che).'),
  );

  const rows = data.items.map((p) =>
    h(
      'tr',
      { class: canOpen ? 'clickable' : null, onClick: canOpen ? () => ctx.navigate(`#/petitions/${encodeURIComponent(p.code)}`) : null },
      h('td', null, canOpen ? h('a', { href: `#/petitions/${encodeURIComponent(p.code)}` }, p.code) : p.code),
      h('td', null, dateTime(p.receivedAt, tz)),
      h('td', null, label(PETITION_KIND, p.kind), h('br'), h('small', { class: 'muted' }, p.procedureTitle ?? label(PETITION_TOPIC, p.topic))),
      h('td', { class: 'citizen-text clamp' }, p.content),
      h('td', null, p.name ?? '—', h('br'), h('small', { class: 'muted' }, p.phone ?? '')),
      h('td', null, h('span', { class: `status s-${p.status}` }, label(PETITION_STATUS, p.status))),
    ),
  );
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
  replace(
    view,
    h('div', { class: 'page-head' }, h('h1', null, 'Phản ánh, kiến nghị'), h('span', { class: 'muted' }, `${number(data.total)} phản ánh`)),
    card(null, form, exports),
    data.items.length
      ? table(['Mã', 'Ngày nhận', 'Loại', 'Nội dung', 'Người gửi', 'Trạng thái'], rows, { class: 'petitions', 'data-testid': 'petition-table' })
      : h('p', { class: 'muted' }, 'Không có phản ánh nào khớp bộ lọc.'),
    pages > 1
      ? h(
          'div',
          { class: 'pager' },
          h('button', { type: 'button', class: 'secondary', disabled: page <= 1, onClick: () => go(page - 1) }, '‹ Trước'),
          h('span', null, `Trang ${page}/${pages}`),
          h('button', { type: 'button', class: 'secondary', disabled: page >= pages, onClick: () => go(page + 1) }, 'Sau ›'),
        )
      : null,
    canOpen ? null : h('p', { class: 'hint' }, 'Chi tiết phản ánh (có thông tin cá nhân) chỉ dành cho cán bộ xử lý và quản trị.'),
  );
}

/** One petition: the citizen's text, contact, attachments, history and the status change form. */
export async function renderPetitionDetail(ctx, view, [code]) {
  const p = await ctx.api.get(`/petitions/${encodeURIComponent(code)}`);
  const tz = ctx.tz;
  const facts = [
    ['Ngày nhận', dateTime(p.receivedAt, tz)],
    ['Loại', label(PETITION_KIND, p.kind)],
    ['Chủ đề', p.procedureTitle ? `${label(PETITION_TOPIC, p.topic)}: ${p.procedureTitle}` : label(PETITION_TOPIC, p.topic)],
    ['Ngôn ngữ', `${label(LANGUAGE, p.language)}${p.needsTranslation ? ' (cần dịch)' : ''}`],
    ['Họ tên', p.name ?? (p.anonymizedAt ? 'đã xóa theo thời hạn lưu trữ' : '—')],
    ['Điện thoại', p.phone ?? '—'],
    ['Địa chỉ', p.address ?? '—'],
    ['Đồng ý xử lý dữ liệu', dateTime(p.consentAt, tz)],
    ['Đóng lúc', dateTime(p.closedAt, tz)],
  ];

  const history = table(
    ['Thời gian', 'Người thực hiện', 'Trạng thái', 'Ghi chú nội bộ', 'Trả lời người dân'],
    p.history.map((x) => [
      dateTime(x.at, tz),
      x.actor === 'citizen' ? 'Người dân' : x.actor,
      x.from ? `${label(PETITION_STATUS, x.from)} → ${label(PETITION_STATUS, x.to)}` : label(PETITION_STATUS, x.to),
      h('span', { class: 'citizen-text' }, x.note ?? ''),
      h('span', { class: 'citizen-text' }, x.reply ?? ''),
    ]),
    { 'data-testid': 'petition-history' },
  );

  const next = PETITION_NEXT[p.status] ?? [];
  let changeForm;
  if (!ctx.can(['admin', 'handler'])) changeForm = null;
  else if (next.length === 0) changeForm = card('Xử lý', h('p', { class: 'muted' }, 'Phản ánh đã đóng, không đổi trạng thái được nữa.'));
  else {
    const status = select({ name: 'status', required: true }, next.map((s) => [s, label(PETITION_STATUS, s)]), next.find((s) => s !== p.status) ?? next[0]);
    const reply = h('textarea', { name: 'reply', rows: 4, maxlength: 2000, placeholder: 'Nội dung trả lời sẽ gửi cho người dân qua Zalo' });
    const note = h('textarea', { name: 'note', rows: 2, maxlength: 2000, placeholder: 'Chỉ cán bộ thấy' });
    const error = h('p', { class: 'error', role: 'alert' });
    const button = h('button', { type: 'submit' }, 'Cập nhật');
    changeForm = card(
      'Xử lý',
      h(
        'form',
        {
          class: 'stack',
          'data-testid': 'status-form',
          onSubmit: async (e) => {
            e.preventDefault();
            error.textContent = '';
            button.disabled = true;
            try {
              const body = { status: status.value, ...(reply.value.trim() ? { reply: reply.value.trim() } : {}), ...(note.value.trim() ? { note: note.value.trim() } : {}) };
              await ctx.api.patch(`/petitions/${encodeURIComponent(p.code)}`, body);
              ctx.toast(body.reply ? 'Đã cập nhật và gửi trả lời cho người dân.' : 'Đã cập nhật trạng thái.');
              await renderPetitionDetail(ctx, view, [p.code]);
            } catch (err) {
              error.textContent = err.message;
            } finally {
              button.disabled = false;
            }
          },
        },
        field('Trạng thái mới', status),
        field('Trả lời người dân', reply, 'Để trống nếu chưa trả lời. Khi có nội dung, bot gửi tin nhắn kèm mã phản ánh.'),
        field('Ghi chú nội bộ', note),
        error,
        h('div', { class: 'actions' }, button),
      ),
    );
  }

  const attachments = p.attachments.length
    ? h(
        'ul',
        { class: 'plain' },
        p.attachments.map((a, i) => {
          const url = safeUrl(a.url);
          return h('li', null, url ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, `Tệp ${i + 1} (${a.type})`) : `Tệp ${i + 1} (${a.type}): địa chỉ không hợp lệ`);
        }),
      )
    : h('p', { class: 'muted' }, 'Không có.');

  replace(
    view,
    h('p', null, h('a', { href: '#/petitions' }, '‹ Danh sách phản ánh')),
    h('div', { class: 'page-head' }, h('h1', null, p.code), h('span', { class: `status s-${p.status}`, 'data-testid': 'petition-status' }, label(PETITION_STATUS, p.status))),
    h(
      'div',
      { class: 'grid two' },
      card(
        'Nội dung',
        h('p', { class: 'citizen-text long', 'data-testid': 'petition-content' }, p.content),
        h('h3', null, 'Tệp đính kèm'),
        attachments,
        p.publicReply ? [h('h3', null, 'Trả lời gần nhất'), h('p', { class: 'citizen-text long' }, p.publicReply)] : null,
      ),
      card('Thông tin', h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', null, k), h('dd', { class: 'citizen-text' }, v)]))),
    ),
    changeForm,
    card('Lịch sử xử lý', history),
  );
}
