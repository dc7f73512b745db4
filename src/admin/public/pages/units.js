import { card, clearRefusal, field, h, replace, showRefusal, table } from '../lib/dom.js';

const FIELD_LABELS = { address: 'địa chỉ', phone: 'điện thoại', hours: 'giờ làm việc', map_url: 'bản đồ' };
const phones = (p) => (p === undefined ? '' : Array.isArray(p) ? p.join(', ') : p);

/** Đơn vị: every commune or ward police, what is still missing, and (admins, editors) a small form to fill it. */
export function renderUnits(ctx, view) {
  return show(ctx, view, undefined);
}

/** The list, with the edit form of the unit `selected` (an id) above it. */
async function show(ctx, view, selected) {
  const d = await ctx.api.get('/units');
  const mayEdit = ctx.can(['admin', 'editor']);
  const reload = (id) => show(ctx, view, id);
  const chosen = d.items.find((u) => u.id === selected);

  const rows = d.items.map((u) => {
    const edit = mayEdit ? h('button', { type: 'button', class: 'link', 'data-unit': u.id, onClick: () => reload(u.id) }, 'Sửa') : null;
    return [
      h('strong', null, u.name),
      u.police.address ?? h('span', { class: 'muted' }, 'chưa có'),
      phones(u.police.phone) || h('span', { class: 'muted' }, 'chưa có'),
      u.police.verified_at ?? '',
      u.empty.length ? u.empty.map((f) => FIELD_LABELS[f] ?? f).join(', ') : h('span', { class: 'pill ok' }, 'đủ'),
      edit,
    ];
  });

  replace(
    view,
    h('div', { class: 'page-head' }, h('h1', null, 'Đơn vị công an xã, phường'), h('span', { class: 'muted' }, `${d.total} đơn vị · ${d.withoutAddress} chưa có địa chỉ · ${d.withoutPhone} chưa có điện thoại`)),
    chosen ? card(`Cập nhật ${chosen.name}`, editForm(ctx, chosen, reload)) : null,
    card(null, table(['Đơn vị', 'Địa chỉ', 'Điện thoại', 'Xác minh ngày', 'Còn thiếu', ''], rows)),
  );
  // The form sits above the list: bring it into view when a unit far down was chosen.
  if (chosen) window.scrollTo(0, 0);
}

function editForm(ctx, unit, reload) {
  const p = unit.police;
  const address = h('input', { name: 'address', value: p.address ?? '', maxlength: 300, size: 50 });
  const phone = h('input', { name: 'phone', value: phones(p.phone), maxlength: 200, placeholder: 'vd: 0292 3820 938' });
  const hours = h('input', { name: 'hours', value: p.hours ?? '', maxlength: 200 });
  const mapUrl = h('input', { name: 'map_url', value: p.map_url ?? '', maxlength: 1000, placeholder: 'https://…' });
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'unit-error' });
  const form = h(
    'form',
    {
      class: 'filters',
      onSubmit: async (e) => {
        e.preventDefault();
        error.textContent = '';
        clearRefusal(form);
        // Only what was filled in (an empty box leaves the file's value alone).
        const body = Object.fromEntries(
          [
            ['address', address],
            ['phone', phone],
            ['hours', hours],
            ['map_url', mapUrl],
          ].flatMap(([k, input]) => (input.value.trim() ? [[k, input.value.trim()]] : [])),
        );
        try {
          await ctx.api.patch(`/units/${encodeURIComponent(unit.id)}`, body);
          ctx.toast(`Đã cập nhật ${unit.name}.`);
          await reload(undefined);
        } catch (err) {
          // The server's sentence as it is, and each field's under its box.
          showRefusal(form, error, err, 'Không lưu được: ');
        }
      },
    },
    field('Địa chỉ trụ sở', address),
    field('Số điện thoại', phone, 'nhiều số thì cách nhau bằng dấu phẩy'),
    field('Giờ làm việc', hours),
    field('Liên kết bản đồ', mapUrl, 'bắt đầu bằng https://'),
    error,
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onClick: () => reload(undefined) }, 'Hủy'), h('button', { type: 'submit' }, 'Lưu')),
  );
  return form;
}
