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
          if (err.status === 503 || (err.status === 429 && !err.body?.lockedUntil)) {
            show(err.body?.message ?? 'Hệ thống đang bận, vui lòng thử lại sau ít giây.', 'error');
          } else if (err.status === 429) {
            const until = new Date(err.body.lockedUntil);
            const minutes = Math.max(1, Math.ceil(err.body.retryAfterSeconds / 60));
            const time = `${String(until.getHours()).padStart(2, '0')}:${String(until.getMinutes()).padStart(2, '0')}`;
            show(`Tài khoản tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau ${minutes} phút (lúc ${time}).`, 'error');
          } else if (err.status === 401) {
            show('Sai tên đăng nhập hoặc mật khẩu. Đăng nhập sai 5 lần liên tiếp, tài khoản bị khóa 15 phút trên máy này (quản trị viên có thể mở khóa).', 'error');
          } else {
            show(`Không đăng nhập được: ${err.message}`, 'error');
          }
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
