import { h } from '../lib/dom.js';

/**
 * "Zalo của tôi": the Zalo user ids a staff member registers as their own. Post previews go only there, so an
 * editor cannot message a citizen in the OA's name.
 */
export function openZaloIdsDialog(ctx) {
  const list = h('ul', { class: 'plain', 'data-testid': 'my-zalo-ids' });
  const input = h('input', { inputmode: 'numeric', pattern: '\\d{1,25}', required: true, placeholder: 'vd: 8410000000000000777' });
  const error = h('p', { class: 'error', role: 'alert' });
  const dialog = h('dialog', { class: 'dialog' });
  const close = () => {
    dialog.close();
    dialog.remove();
  };
  const show = (ids) => {
    ctx.session.user.zaloUserIds = ids;
    list.replaceChildren(
      ...(ids.length === 0
        ? [h('li', { class: 'muted' }, 'Chưa đăng ký Zalo user id nào.')]
        : ids.map((id) => {
            const remove = h('button', { type: 'button', class: 'link' }, 'Xóa');
            remove.addEventListener('click', async () => {
              try {
                show((await ctx.api.del(`/session/zalo-ids/${encodeURIComponent(id)}`)).zaloUserIds);
              } catch (err) {
                error.textContent = err.message;
              }
            });
            return h('li', null, h('code', null, id), ' ', remove);
          })),
    );
  };
  show(ctx.session.user.zaloUserIds ?? []);
  dialog.append(
    h(
      'form',
      {
        onSubmit: async (event) => {
          event.preventDefault();
          error.textContent = '';
          try {
            show((await ctx.api.post('/session/zalo-ids', { userId: input.value.trim() })).zaloUserIds);
            input.value = '';
          } catch (err) {
            error.textContent = err.message;
          }
        },
      },
      h('h2', null, 'Zalo user id của tôi'),
      h('p', { class: 'hint' }, 'Bài đăng chỉ được gửi thử đến các Zalo user id của chính bạn đăng ký ở đây (tối đa 5).'),
      list,
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'Thêm Zalo user id'), input),
      error,
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onClick: close }, 'Đóng'), h('button', { type: 'submit' }, 'Thêm')),
    ),
  );
  document.body.append(dialog);
  dialog.showModal();
}
