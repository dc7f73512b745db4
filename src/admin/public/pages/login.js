import { h, replace } from '../lib/dom.js';

/** The login form; calls onLoggedIn(session) after a successful login. */
export function renderLogin(root, { api, message, onLoggedIn }) {
  const status = h('p', { class: message ? 'notice' : 'notice hidden', role: 'alert', 'data-testid': 'login-message' }, message ?? '');
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, autofocus: true, maxlength: 100 });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true, maxlength: 200 });
  const button = h('button', { type: 'submit' }, 'Đăng nhập');
  const show = (text, kind) => {
    status.className = `notice ${kind}`;
    status.textContent = text;
  };

  const form = h(
    'form',
    {
      class: 'login-card',
      onSubmit: async (event) => {
        event.preventDefault();
        button.disabled = true;
        try {
          const session = await api.post('/session', { username: username.value.trim(), password: password.value });
          onLoggedIn(session);
        } catch (err) {
          password.value = '';
          // Wrong password, locked (until when), busy: the server says which, in Vietnamese.
          show(err.message, 'error');
        } finally {
          button.disabled = false;
        }
      },
    },
    h('h1', null, 'Bảng điều khiển Zalo OA'),
    h('p', { class: 'muted' }, 'Dành cho cán bộ được cấp tài khoản.'),
    status,
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'Tên đăng nhập'), username),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'Mật khẩu'), password),
    button,
  );
  replace(root, h('div', { class: 'login-page' }, form));
  username.focus();
}
