// The staff console: login, then a hash-routed single page. Plain ES modules, no build step, nothing from a CDN.

import { createApi } from './lib/api.js';
import { h, replace } from './lib/dom.js';
import { ROLE_LABELS, label } from './lib/format.js';
import { renderLogin } from './pages/login.js';
import { renderDashboard } from './pages/dashboard.js';
import { renderPetitionDetail, renderPetitions } from './pages/petitions.js';
import { renderPosts } from './pages/posts.js';
import { renderPostEditor } from './pages/post-editor.js';
import { renderContent } from './pages/content.js';
import { renderReports } from './pages/reports.js';
import { renderAudit } from './pages/audit.js';
import { renderAccounts } from './pages/accounts.js';
import { renderUnits } from './pages/units.js';
import { openPasswordDialog } from './pages/password.js';
import { openZaloIdsDialog } from './pages/my-zalo-ids.js';

const ALL = ['admin', 'editor', 'handler', 'viewer'];
const PETITIONS = ['admin', 'handler', 'viewer'];

// The navigation and the pages: who sees each one (the server checks again on every request).
const NAV = [
  { key: 'dashboard', href: '#/', text: 'Tổng quan', roles: ALL },
  { key: 'petitions', href: '#/petitions', text: 'Phản ánh, kiến nghị', roles: PETITIONS },
  { key: 'posts', href: '#/posts', text: 'Bài đăng', roles: ALL },
  { key: 'content', href: '#/content', text: 'Nội dung', roles: ALL },
  { key: 'units', href: '#/units', text: 'Đơn vị', roles: ALL },
  { key: 'reports', href: '#/reports', text: 'Báo cáo', roles: ALL },
  { key: 'audit', href: '#/audit', text: 'Nhật ký', roles: ['admin'] },
  { key: 'accounts', href: '#/accounts', text: 'Tài khoản', roles: ['admin'] },
];
const ROUTES = [
  { re: /^\/?$/, nav: 'dashboard', render: renderDashboard },
  { re: /^\/petitions$/, nav: 'petitions', render: renderPetitions },
  { re: /^\/petitions\/([^/]+)$/, nav: 'petitions', render: renderPetitionDetail },
  { re: /^\/posts$/, nav: 'posts', render: renderPosts },
  { re: /^\/posts\/(new|\d+)$/, nav: 'posts', render: renderPostEditor },
  { re: /^\/content$/, nav: 'content', render: renderContent },
  { re: /^\/units$/, nav: 'units', render: renderUnits },
  { re: /^\/reports$/, nav: 'reports', render: renderReports },
  { re: /^\/audit$/, nav: 'audit', render: renderAudit },
  { re: /^\/accounts$/, nav: 'accounts', render: renderAccounts },
];

const root = document.getElementById('app');
const state = { csrfToken: null, session: null };
let shell;

const api = createApi(state, () => {
  if (state.session) showLogin('Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.');
});

function toast(message, kind = 'ok') {
  const box = document.getElementById('toast');
  const item = h('div', { class: `toast ${kind}` }, message);
  box.append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 8000 : 4000);
}

/** A modal confirmation; resolves true when the person confirms. */
function confirmDialog(message, okText = 'Đồng ý') {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'dialog' });
    const close = (value) => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    dialog.append(
      h('p', null, message),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onClick: () => close(false) }, 'Không'), h('button', { type: 'button', class: 'danger', onClick: () => close(true) }, okText)),
    );
    dialog.addEventListener('cancel', () => close(false));
    document.body.append(dialog);
    dialog.showModal();
  });
}

function showLogin(message) {
  state.session = null;
  state.csrfToken = null;
  shell = undefined;
  document.title = 'Đăng nhập — Bảng điều khiển Zalo OA';
  renderLogin(root, { api, message, onLoggedIn: start });
}

function buildShell(session) {
  const role = session.user.role;
  const nav = h(
    'nav',
    { class: 'sidebar', 'aria-label': 'Chức năng' },
    NAV.filter((n) => n.roles.includes(role)).map((n) => h('a', { href: n.href, dataset: { nav: n.key } }, n.text)),
  );
  const main = h('main', { id: 'main', tabindex: '-1' });
  const who = session.user.displayName || session.user.username;
  const logout = async () => {
    try {
      await api.del('/session');
    } finally {
      showLogin('Bạn đã đăng xuất.');
    }
  };
  const header = h(
    'header',
    { class: 'topbar' },
    h('div', { class: 'brand' }, h('strong', null, session.settings.unitName), h('span', null, 'Bảng điều khiển Zalo OA')),
    h(
      'div',
      { class: 'user' },
      h('span', { class: 'who', 'data-testid': 'current-user' }, `${who} · ${label(ROLE_LABELS, role)}`),
      session.user.kind === 'staff' ? h('button', { type: 'button', class: 'link', onClick: () => openZaloIdsDialog(ctx) }, 'Zalo của tôi') : null,
      session.user.kind === 'staff' ? h('button', { type: 'button', class: 'link', onClick: () => openPasswordDialog(ctx) }, 'Đổi mật khẩu') : null,
      h('button', { type: 'button', class: 'secondary', onClick: logout }, 'Đăng xuất'),
    ),
  );
  replace(root, header, h('div', { class: 'layout' }, nav, main), h('div', { id: 'toast', role: 'status', 'aria-live': 'polite' }));
  return { nav, main };
}

const ctx = {
  api,
  toast,
  confirm: confirmDialog,
  get session() {
    return state.session;
  },
  get tz() {
    return state.session.settings.timeZone;
  },
  can: (roles) => roles.includes(state.session?.user.role),
  navigate: (hash) => {
    if (window.location.hash === hash) route();
    else window.location.hash = hash;
  },
  showLogin,
};

let renderSeq = 0;
async function route() {
  if (!state.session || !shell) return;
  const raw = window.location.hash.replace(/^#/, '') || '/';
  const [path, search = ''] = raw.split('?');
  const found = ROUTES.map((r) => ({ r, m: r.re.exec(path) })).find((x) => x.m);
  const nav = NAV.find((n) => n.key === (found ? found.r.nav : ''));
  for (const a of shell.nav.querySelectorAll('a')) a.classList.toggle('active', a.dataset.nav === found?.r.nav);
  const view = h('div', { class: 'view' }, h('p', { class: 'muted' }, 'Đang tải…'));
  replace(shell.main, view);
  if (!found || (nav && !ctx.can(nav.roles))) {
    replace(view, h('h1', null, 'Không có quyền hoặc không tìm thấy trang'), h('p', null, h('a', { href: '#/' }, 'Về trang tổng quan')));
    return;
  }
  document.title = `${nav.text} — Bảng điều khiển Zalo OA`;
  const seq = ++renderSeq;
  try {
    await found.r.render(ctx, view, found.m.slice(1), new URLSearchParams(search));
  } catch (err) {
    if (seq !== renderSeq || err.status === 401) return;
    replace(view, h('h1', null, 'Không tải được trang'), h('p', { class: 'error' }, err.message || String(err)));
  }
}

function start(session) {
  state.session = session;
  state.csrfToken = session.csrfToken;
  shell = buildShell(session);
  route();
}

window.addEventListener('hashchange', route);

api.get('/session').then(start, () => showLogin());
