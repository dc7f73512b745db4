import { card, clearRefusal, field, h, replace, select, showRefusal, table } from '../lib/dom.js';
import { ROLE_LABELS, dateTime, label } from '../lib/format.js';

/** Tài khoản (admin): create accounts, change role, Zalo id, disable, reset a password. */
export async function renderAccounts(ctx, view) {
  const { items, roles } = await ctx.api.get('/staff');
  const roleOptions = roles.map((r) => [r, label(ROLE_LABELS, r)]);
  const reload = () => renderAccounts(ctx, view);
  const fail = (err) => ctx.toast(`Không lưu được: ${err.message}`, 'error');

  const rows = items.map((a) => {
    const role = select({ 'aria-label': `Vai trò của ${a.username}` }, roleOptions, a.role);
    const zalo = h('input', { value: a.zaloUserId ?? '', inputmode: 'numeric', size: 20, 'aria-label': `Zalo id của ${a.username}` });
    const save = h('button', { type: 'button', class: 'secondary' }, 'Lưu');
    save.addEventListener('click', async () => {
      try {
        await ctx.api.patch(`/staff/${a.id}`, { role: role.value, zaloUserId: zalo.value.trim() || null });
        ctx.toast(`Đã lưu tài khoản ${a.username}.`);
        await reload();
      } catch (err) {
        fail(err);
      }
    });
    const toggle = h('button', { type: 'button', class: a.disabled ? 'secondary' : 'danger' }, a.disabled ? 'Mở khóa' : 'Khóa');
    toggle.addEventListener('click', async () => {
      if (!a.disabled && !(await ctx.confirm(`Khóa tài khoản ${a.username}? Người này bị đăng xuất ngay.`, 'Khóa'))) return;
      try {
        await ctx.api.patch(`/staff/${a.id}`, { disabled: !a.disabled });
        await reload();
      } catch (err) {
        fail(err);
      }
    });
    // Locked out after failed logins (from some address, or everywhere): the admin lifts it here.
    const unlock = a.lockedUntil ? h('button', { type: 'button', class: 'secondary' }, 'Mở khóa đăng nhập') : null;
    unlock?.addEventListener('click', async () => {
      try {
        await ctx.api.post(`/staff/${a.id}/unlock`);
        ctx.toast(`Đã mở khóa đăng nhập cho ${a.username}.`);
        await reload();
      } catch (err) {
        fail(err);
      }
    });
    const reset = h('button', { type: 'button', class: 'link' }, 'Đặt lại mật khẩu');
    reset.addEventListener('click', () => resetDialog(ctx, a));
    return h(
      'tr',
      { class: a.disabled ? 'muted' : null },
      h('td', null, h('strong', null, a.username), a.displayName ? [h('br'), a.displayName] : null),
      h('td', null, role),
      h('td', null, zalo),
      h('td', null, a.disabled ? 'Đã khóa' : a.lockedUntil ? `Tạm khóa đăng nhập đến ${dateTime(a.lockedUntil, ctx.tz)}` : 'Hoạt động'),
      h('td', null, dateTime(a.lastLoginAt, ctx.tz)),
      h('td', { class: 'actions' }, save, toggle, unlock, reset),
    );
  });

  const username = h('input', { name: 'username', required: true, maxlength: 40, pattern: '[a-z0-9][a-z0-9._\\-]{1,39}', placeholder: 'vd: an.nv' });
  const displayName = h('input', { name: 'displayName', maxlength: 100 });
  const role = select({ name: 'role' }, roleOptions, 'viewer');
  const password = h('input', { name: 'password', type: 'password', required: true, minlength: 12, autocomplete: 'new-password' });
  const zalo = h('input', { name: 'zaloUserId', inputmode: 'numeric' });
  const createError = h('p', { class: 'error', role: 'alert', 'data-testid': 'account-error' });
  const create = h(
    'form',
    {
      class: 'filters',
      onSubmit: async (e) => {
        e.preventDefault();
        createError.textContent = '';
        clearRefusal(create);
        try {
          await ctx.api.post('/staff', { username: username.value.trim(), role: role.value, password: password.value, ...(displayName.value.trim() ? { displayName: displayName.value.trim() } : {}), ...(zalo.value.trim() ? { zaloUserId: zalo.value.trim() } : {}) });
          ctx.toast(`Đã tạo tài khoản ${username.value.trim()}.`);
          await reload();
        } catch (err) {
          // The server's sentence, and each field's under it (a weak password, a name already taken).
          showRefusal(create, createError, err, 'Không lưu được: ');
        }
      },
    },
    field('Tên đăng nhập', username, 'chữ thường, số, dấu chấm, gạch'),
    field('Họ tên', displayName),
    field('Vai trò', role),
    field('Mật khẩu (ít nhất 12 ký tự)', password),
    field('Zalo id (để gửi thử bài)', zalo),
    createError,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Tạo tài khoản')),
  );

  replace(
    view,
    h('div', { class: 'page-head' }, h('h1', null, 'Tài khoản cán bộ')),
    card(
      null,
      h(
        'ul',
        { class: 'plain hint' },
        h('li', null, 'Quản trị: mọi chức năng, tài khoản, nhật ký.'),
        h('li', null, 'Biên tập (PV01): bài đăng, kế hoạch tuyên truyền, cuộc thi.'),
        h('li', null, 'Xử lý phản ánh: phản ánh, kiến nghị kèm thông tin cá nhân.'),
        h('li', null, 'Chỉ xem: tổng quan, danh sách, báo cáo; không xem thông tin cá nhân.'),
      ),
    ),
    card(`Danh sách (${items.length})`, table(['Tài khoản', 'Vai trò', 'Zalo id', 'Trạng thái', 'Đăng nhập gần nhất', ''], rows)),
    card('Tạo tài khoản', create),
  );
}

function resetDialog(ctx, account) {
  const password = h('input', { type: 'password', required: true, minlength: 12, autocomplete: 'new-password' });
  const error = h('p', { class: 'error', role: 'alert' });
  const dialog = h('dialog', { class: 'dialog' });
  const close = () => {
    dialog.close();
    dialog.remove();
  };
  dialog.append(
    h(
      'form',
      {
        onSubmit: async (e) => {
          e.preventDefault();
          try {
            await ctx.api.post(`/staff/${account.id}/password`, { password: password.value });
            close();
            ctx.toast(`Đã đặt lại mật khẩu cho ${account.username}; các phiên đăng nhập của họ đã kết thúc.`);
          } catch (err) {
            error.textContent = err.message;
          }
        },
      },
      h('h2', null, `Đặt lại mật khẩu: ${account.username}`),
      field('Mật khẩu mới (ít nhất 12 ký tự)', password),
      error,
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onClick: close }, 'Hủy'), h('button', { type: 'submit' }, 'Đặt lại')),
    ),
  );
  document.body.append(dialog);
  dialog.showModal();
}
