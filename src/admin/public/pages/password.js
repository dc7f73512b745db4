import { h } from '../lib/dom.js';

/** "Đổi mật khẩu": current and new password; every session ends, so the console asks to log in again. */
export function openPasswordDialog(ctx) {
  const current = h('input', { type: 'password', autocomplete: 'current-password', required: true });
  const next = h('input', { type: 'password', autocomplete: 'new-password', required: true, minlength: 12 });
  const again = h('input', { type: 'password', autocomplete: 'new-password', required: true, minlength: 12 });
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
        onSubmit: async (event) => {
          event.preventDefault();
          if (next.value !== again.value) {
            error.textContent = 'Hai lần nhập mật khẩu mới không khớp.';
            return;
          }
          try {
            await ctx.api.post('/session/password', { current: current.value, next: next.value });
            close();
            ctx.showLogin('Đã đổi mật khẩu. Vui lòng đăng nhập lại bằng mật khẩu mới.');
          } catch (err) {
            error.textContent = err.message;
          }
        },
      },
      h('h2', null, 'Đổi mật khẩu'),
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'Mật khẩu hiện tại'), current),
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'Mật khẩu mới (ít nhất 12 ký tự)'), next),
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'Nhập lại mật khẩu mới'), again),
      error,
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onClick: close }, 'Hủy'), h('button', { type: 'submit' }, 'Đổi mật khẩu')),
    ),
  );
  document.body.append(dialog);
  dialog.showModal();
}
