import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../src/admin/passwords.ts';
import { ACCESS_RULES } from '../../src/admin/access-policy.ts';
import type { StaffRole } from '../../src/admin/staff-repository.ts';
import { createFakeClock } from '../../src/clock.ts';
import { waitFor, type TestBot } from '../helpers/bot.ts';
import { errorOf, expectRefusal, VIETNAMESE } from '../helpers/refusal.ts';
import { ADMIN_TOKEN, addAccount, auditRows, call, login, loginAs, PASSWORD, seedPetition, startConsoleBot, type StaffClient } from './console-helpers.ts';
import { repos } from '../helpers/repos.ts';

// Staff access on the real server: logins, lockout, CSRF, roles per route family, the bearer token for scripts,
// and the append-only audit log.

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.stop();
  tb = undefined;
});

const future = () => new Date(Date.now() + 3 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
const post = () => ({ title: 'Đăng ký thường trú trực tuyến', body: 'Nộp hồ sơ qua Cổng dịch vụ công quốc gia.', mode: 'message', sendAt: future() });

describe('passwords', () => {
  it('scrypt hashes carry their parameters and salt, and verify only the right password', async () => {
    const hash = await hashPassword('mot-mat-khau-dai');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await hashPassword('mot-mat-khau-dai')).not.toBe(hash);
    expect(await verifyPassword('mot-mat-khau-dai', hash)).toBe(true);
    expect(await verifyPassword('mot-mat-khau-dai!', hash)).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$99999999$8$1$aaaa$bbbb')).toBe(false);
  });
});

describe('login and session', () => {
  it('sets an httpOnly, SameSite=Strict cookie on /admin (not Secure by default) and returns the CSRF token', async () => {
    tb = await startConsoleBot();
    await addAccount(tb, 'an.nv', 'handler', { displayName: 'Nguyễn Văn An' });
    const answer = await login(tb, 'An.NV');
    expect(answer.status).toBe(200);
    expect(answer.setCookie).toMatch(/^staff_session=[\w-]{43};/);
    expect(answer.setCookie).toMatch(/; HttpOnly/i);
    expect(answer.setCookie).toMatch(/; SameSite=Strict/i);
    expect(answer.setCookie).toMatch(/; Path=\/admin/i);
    expect(answer.setCookie).not.toMatch(/; Secure/i);
    expect(answer.json).toMatchObject({ user: { username: 'an.nv', role: 'handler', displayName: 'Nguyễn Văn An', kind: 'staff' }, csrfToken: expect.stringMatching(/^[\w-]{43}$/) });
    const me = await call(tb, 'GET', '/session', { as: answer.client! });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ user: { username: 'an.nv' }, csrfToken: answer.client!.csrf, settings: { timeZone: 'Asia/Ho_Chi_Minh', utcOffsetMinutes: 420 } });
    expect(me.headers.get('cache-control')).toBe('no-store');
    // Only a hash of the session id is stored. Raw SQL on purpose: what the table holds is the point here, and the
    // repository only looks sessions up by that hash.
    const stored = tb.bot.db.prepare('SELECT id_hash FROM staff_sessions').pluck().get() as string;
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(answer.client!.cookie).not.toContain(stored);
  });

  it('marks the cookie Secure when COOKIE_SECURE=true', async () => {
    tb = await startConsoleBot({ env: { COOKIE_SECURE: 'true' } });
    await addAccount(tb, 'an.nv', 'viewer');
    expect((await login(tb, 'an.nv')).setCookie).toMatch(/; Secure/i);
  });

  it('answers a wrong password and an unknown name the same way', async () => {
    tb = await startConsoleBot();
    await addAccount(tb, 'an.nv', 'viewer');
    const wrong = await login(tb, 'an.nv', 'sai-mat-khau-roi');
    const unknown = await login(tb, 'khong.co', 'sai-mat-khau-roi');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json).toEqual(unknown.json);
    expectRefusal(wrong, 401, 'invalid_credentials');
    expect(errorOf(wrong).message).toMatch(/sai 5 lần liên tiếp, tài khoản bị khóa 15 phút/);
    expect(wrong.setCookie).toBeNull();
    expectRefusal(await call(tb, 'POST', '/session', { body: { username: 'an.nv' } }), 400, 'invalid_request', 'password');
  });

  it('locks the account for 15 minutes after 5 failed logins in a row, even for the right password', async () => {
    const clock = createFakeClock('2026-03-10T02:00:00Z');
    tb = await startConsoleBot({ clock });
    await addAccount(tb, 'an.nv', 'handler');
    for (let i = 1; i <= 4; i += 1) expect((await login(tb, 'an.nv', `sai-mat-khau-${i}`)).status).toBe(401);
    const fifth = await login(tb, 'an.nv', 'sai-mat-khau-5');
    expect(fifth.status).toBe(429);
    expectRefusal(fifth, 429, 'locked');
    // 02:15 UTC is 09:15 in Cần Thơ: the message tells the time as the officer's clock shows it.
    expect(fifth.json).toMatchObject({ error: { lockedUntil: '2026-03-10T02:15:00.000Z', retryAfterSeconds: 900, message: expect.stringMatching(/sau 15 phút \(lúc 09:15\)/) } });
    const right = await login(tb, 'an.nv');
    expect(right.status).toBe(429);
    expect(right.client).toBeUndefined();
    clock.advance(14 * 60_000);
    expect((await login(tb, 'an.nv')).status).toBe(429);
    clock.advance(60_000 + 1);
    expect((await login(tb, 'an.nv')).status).toBe(200);
    // Success resets the count: four more failures do not lock.
    for (let i = 0; i < 4; i += 1) await login(tb, 'an.nv', 'sai-mat-khau-x');
    expect((await login(tb, 'an.nv')).status).toBe(200);

    const actions = auditRows(tb).filter((r) => r.action.startsWith('login')).map((r) => r.action);
    expect(actions).toEqual([...Array(5).fill('login.failure'), 'login.locked', 'login.locked', 'login.success', ...Array(4).fill('login.failure'), 'login.success']);
    expect(JSON.parse(auditRows(tb, 'login.failure')[4]!.detail!)).toEqual({ lockedUntil: '2026-03-10T02:15:00.000Z' });
  });

  it('a locked unknown name looks like a locked known one', async () => {
    tb = await startConsoleBot();
    for (let i = 0; i < 5; i += 1) await login(tb, 'khong.co', 'sai-mat-khau-roi');
    expect((await login(tb, 'khong.co', 'sai-mat-khau-roi')).status).toBe(429);
  });

  it('logout needs the CSRF token, ends the session and clears the cookie', async () => {
    tb = await startConsoleBot();
    await addAccount(tb, 'an.nv', 'viewer');
    const me = await loginAs(tb, 'an.nv');
    expect((await call(tb, 'DELETE', '/session', { as: me, csrf: false })).status).toBe(403);
    const out = await call(tb, 'DELETE', '/session', { as: me });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/^staff_session=;.*Expires=Thu, 01 Jan 1970/);
    expect((await call(tb, 'GET', '/session', { as: me })).status).toBe(401);
    expect(auditRows(tb, 'logout')).toHaveLength(1);
  });

  it('a session expires after STAFF_SESSION_HOURS', async () => {
    const clock = createFakeClock('2026-03-10T02:00:00Z');
    // The idle timeout (default 30 minutes) is set longer here: this is about the absolute lifetime.
    tb = await startConsoleBot({ clock, env: { STAFF_SESSION_HOURS: '2', STAFF_IDLE_MINUTES: '180' } });
    await addAccount(tb, 'an.nv', 'viewer');
    const me = await loginAs(tb, 'an.nv');
    clock.advance(2 * 3600_000 - 1000);
    expect((await call(tb, 'GET', '/dashboard', { as: me })).status).toBe(200);
    clock.advance(2000);
    expect((await call(tb, 'GET', '/dashboard', { as: me })).status).toBe(401);
  });

  it('changing the password ends every session; disabling an account signs it out', async () => {
    tb = await startConsoleBot();
    await addAccount(tb, 'quan.tri', 'admin');
    const viewer = await addAccount(tb, 'an.nv', 'viewer');
    const admin = await loginAs(tb, 'quan.tri');
    const me = await loginAs(tb, 'an.nv');
    const other = await loginAs(tb, 'an.nv');
    expectRefusal(await call(tb, 'POST', '/session/password', { as: me, body: { current: 'sai-mat-khau-roi', next: 'mat-khau-moi-dai-hon' } }), 403, 'wrong_password', 'current');
    expectRefusal(await call(tb, 'POST', '/session/password', { as: me, body: { current: PASSWORD, next: 'ngan' } }), 400, 'weak_password', 'next');
    expect((await call(tb, 'POST', '/session/password', { as: me, body: { current: PASSWORD, next: 'mat-khau-moi-dai-hon' } })).status).toBe(200);
    expect((await call(tb, 'GET', '/session', { as: other })).status).toBe(401);
    expect((await login(tb, 'an.nv')).status).toBe(401);
    const again = await loginAs(tb, 'an.nv', 'mat-khau-moi-dai-hon');
    expect((await call(tb, 'PATCH', `/staff/${viewer.id}`, { as: admin, body: { disabled: true } })).status).toBe(200);
    expect((await call(tb, 'GET', '/session', { as: again })).status).toBe(401);
    expect((await login(tb, 'an.nv', 'mat-khau-moi-dai-hon')).status).toBe(401);
  });
});

describe('roles per route family', () => {
  const ROLES: StaffRole[] = ['admin', 'editor', 'handler', 'viewer'];
  let clients: Record<StaffRole, StaffClient>;
  let code: string;

  async function setup() {
    tb = await startConsoleBot();
    for (const role of ROLES) await addAccount(tb, `${role}.user`, role);
    clients = Object.fromEntries(await Promise.all(ROLES.map(async (r) => [r, await loginAs(tb!, `${r}.user`)]))) as Record<StaffRole, StaffClient>;
    code = seedPetition(tb, '7001').code;
  }

  // [method, path, body, roles allowed]: everyone else gets 403, no credentials 401.
  const table = (): [string, string, unknown, StaffRole[]][] => [
    ['GET', '/dashboard', undefined, ROLES],
    ['GET', '/petitions', undefined, ['admin', 'handler', 'viewer']],
    ['GET', `/petitions/${code}`, undefined, ['admin', 'handler']],
    ['PATCH', `/petitions/${code}`, { status: 'processing', note: 'Đã giao tổ công tác kiểm tra.' }, ['admin', 'handler']],
    ['GET', '/petitions/export?format=csv', undefined, ['admin', 'handler', 'viewer']],
    ['GET', '/petitions/export?format=csv&include_pii=true', undefined, ['admin', 'handler']],
    ['GET', '/posts', undefined, ROLES],
    ['POST', '/posts', post(), ['admin', 'editor']],
    ['GET', '/plans', undefined, ['admin', 'editor']],
    ['GET', '/followers/stats', undefined, ROLES],
    ['GET', '/content/unanswered', undefined, ROLES],
    ['GET', '/content/procedures', undefined, ROLES],
    ['GET', '/reports/summary?period=2026', undefined, ROLES],
    ['GET', '/audit', undefined, ['admin']],
    ['GET', '/staff', undefined, ['admin']],
    ['POST', '/staff', { username: 'moi.tao', role: 'viewer', password: 'mat-khau-moi-dai-hon' }, ['admin']],
  ];

  it('401 as JSON without a session or token, on every family', async () => {
    await setup();
    for (const [method, path, body] of table()) {
      const res = await call(tb!, method, path, { body });
      expectRefusal(res, 401, 'unauthorized');
    }
  });

  it('401 on every route of the access table, and on routes it does not list, without credentials or with a wrong token', async () => {
    await setup();
    const filled = (path: string) => path.replace(/:(\w+)/g, (_m, name: string) => (name === 'code' ? code : name === 'id' ? '1' : `x-${name}`));
    const routes = [...ACCESS_RULES.map((r) => [r.method, filled(r.path)] as const), ['GET', '/no-such-route'] as const, ['POST', '/petitions'] as const];
    expect(routes.length).toBeGreaterThan(35);
    for (const [method, path] of routes) {
      for (const bearer of [undefined, 'not-the-admin-token-xx']) {
        const res = await call(tb!, method, path, { body: method === 'GET' || method === 'DELETE' ? undefined : {}, ...(bearer ? { bearer } : {}) });
        expect(res.status, `${method} ${path}${bearer ? ' (wrong token)' : ''}`).toBe(401);
        expect(res.json).toMatchObject({ error: { code: 'unauthorized' } });
      }
    }
  });

  it('only the listed roles get through; the others get 403 as JSON', async () => {
    await setup();
    for (const [method, path, body, allowed] of table()) {
      for (const role of ROLES) {
        const b = method === 'POST' && path === '/staff' ? { ...(body as object), username: `moi.${role}` } : body;
        const res = await call(tb!, method, path, { as: clients[role], body: b });
        if (allowed.includes(role)) expect(res.status, `${role} ${method} ${path}: ${res.text.slice(0, 200)}`).toBeLessThan(300);
        else {
          expect(res.status, `${role} ${method} ${path}`).toBe(403);
          expect(res.json).toMatchObject({ error: { code: 'forbidden', message: expect.stringMatching(VIETNAMESE), role } });
        }
      }
    }
  });

  it('a refused personal-data export is written to the audit log', async () => {
    await setup();
    expect((await call(tb!, 'GET', '/petitions/export?include_pii=true', { as: clients.viewer })).status).toBe(403);
    expect(auditRows(tb!, 'access.denied')).toEqual([
      { actor: 'viewer.user', actor_kind: 'staff', role: 'viewer', action: 'access.denied', target: 'petition.export', detail: JSON.stringify({ method: 'GET', path: '/petitions/export' }) },
    ]);
  });

  it('routes missing from the policy are admin-only', async () => {
    await setup();
    expect((await call(tb!, 'GET', '/no-such-route', { as: clients.viewer })).status).toBe(403);
    expectRefusal(await call(tb!, 'GET', '/no-such-route', { as: clients.admin }), 404, 'not_found');
  });

  it('a role change applies to open sessions at once', async () => {
    await setup();
    expect((await call(tb!, 'GET', `/petitions/${code}`, { as: clients.viewer })).status).toBe(403);
    const viewer = (await call(tb!, 'GET', '/staff', { as: clients.admin })).json.items.find((a: { username: string }) => a.username === 'viewer.user');
    expect((await call(tb!, 'PATCH', `/staff/${viewer.id}`, { as: clients.admin, body: { role: 'handler' } })).status).toBe(200);
    expect((await call(tb!, 'GET', `/petitions/${code}`, { as: clients.viewer })).status).toBe(200);
  });

  it('refuses to demote or disable the last admin', async () => {
    await setup();
    const admin = (await call(tb!, 'GET', '/staff', { as: clients.admin })).json.items.find((a: { username: string }) => a.username === 'admin.user');
    expectRefusal(await call(tb!, 'PATCH', `/staff/${admin.id}`, { as: clients.admin, body: { role: 'viewer' } }), 409, 'last_admin');
    expectRefusal(await call(tb!, 'PATCH', `/staff/${admin.id}`, { as: clients.admin, body: { disabled: true } }), 409, 'last_admin');
  });
});

describe('CSRF and the bearer token', () => {
  it('a state-changing request with the cookie needs the session CSRF token', async () => {
    tb = await startConsoleBot();
    await addAccount(tb, 'bt.pv01', 'editor');
    await addAccount(tb, 'xl.pa', 'handler');
    const editor = await loginAs(tb, 'bt.pv01');
    const handler = await loginAs(tb, 'xl.pa');
    const { code } = seedPetition(tb, '7002');
    expect((await call(tb, 'POST', '/posts', { as: editor, body: post(), csrf: false })).status).toBe(403);
    expect((await call(tb, 'POST', '/posts', { as: editor, body: post(), csrf: handler.csrf })).status).toBe(403);
    expectRefusal(await call(tb, 'PATCH', `/petitions/${code}`, { as: handler, body: { status: 'processing' }, csrf: false }), 403, 'csrf_invalid');
    expect(repos(tb.bot).posts.list()).toHaveLength(0);
    const ok = await call(tb, 'POST', '/posts', { as: editor, body: post() });
    expect(ok.status).toBe(201);
    // Reads need no token.
    expect((await call(tb, 'GET', '/posts', { as: editor, csrf: false })).status).toBe(200);
    const created = await call(tb, 'GET', `/posts/${ok.json.id}`, { as: editor });
    expect(created.json).toMatchObject({ createdBy: 'bt.pv01', approvedBy: 'bt.pv01' });
  });

  it('the ADMIN_TOKEN bearer keeps working for scripts, without CSRF, as admin', async () => {
    tb = await startConsoleBot();
    const res = await call(tb, 'POST', '/posts', { bearer: ADMIN_TOKEN, body: post() });
    expect(res.status).toBe(201);
    expect((await call(tb, 'GET', `/posts/${res.json.id}`, { bearer: ADMIN_TOKEN })).json.createdBy).toBe('admin-token');
    expect((await call(tb, 'GET', '/audit', { bearer: ADMIN_TOKEN })).status).toBe(200);
    expect((await call(tb, 'GET', '/petitions', { bearer: 'not-the-admin-token-xx' })).status).toBe(401);
    // A wrong bearer is refused even with a valid cookie alongside: no guessing which credential counts.
    await addAccount(tb, 'an.nv', 'admin');
    const me = await loginAs(tb, 'an.nv');
    expect((await call(tb, 'GET', '/petitions', { as: me, bearer: 'not-the-admin-token-xx' })).status).toBe(401);
  });

  it('without ADMIN_TOKEN configured a bearer opens nothing, and sessions still work', async () => {
    tb = await startConsoleBot({ env: { ADMIN_TOKEN: '' } });
    expect((await call(tb, 'GET', '/petitions', { bearer: ADMIN_TOKEN })).status).toBe(401);
    await addAccount(tb, 'an.nv', 'handler');
    expect((await call(tb, 'GET', '/petitions', { as: await loginAs(tb, 'an.nv') })).status).toBe(200);
  });
});

describe('audit log', () => {
  it('records status changes (by the signed-in name), exports, post and account changes', async () => {
    tb = await startConsoleBot();
    await addAccount(tb, 'quan.tri', 'admin');
    await addAccount(tb, 'xl.pa', 'handler');
    await addAccount(tb, 'bt.pv01', 'editor');
    const admin = await loginAs(tb, 'quan.tri');
    const handler = await loginAs(tb, 'xl.pa');
    const editor = await loginAs(tb, 'bt.pv01');
    const { code } = seedPetition(tb, '7003');

    // The body's "actor" is ignored for a session: the history names who is signed in.
    const change = await call(tb, 'PATCH', `/petitions/${code}`, { as: handler, body: { status: 'answered', reply: 'Đã khắc phục, cảm ơn anh/chị.', actor: 'someone-else' } });
    expect(change.status).toBe(200);
    const history = (await call(tb, 'GET', `/petitions/${code}`, { as: handler })).json.history;
    expect(history.at(-1)).toMatchObject({ actor: 'xl.pa', to: 'answered' });

    expect((await call(tb, 'GET', '/petitions/export?format=csv&include_pii=true&from=2020-01-01', { as: handler })).status).toBe(200);
    expect((await call(tb, 'GET', '/petitions/export?format=xlsx', { as: admin })).status).toBe(200);
    const created = await call(tb, 'POST', '/posts', { as: editor, body: post() });
    await call(tb, 'PATCH', `/posts/${created.json.id}`, { as: editor, body: { title: 'Tiêu đề mới' } });
    await call(tb, 'POST', `/posts/${created.json.id}/cancel`, { as: editor });
    await call(tb, 'POST', '/staff', { as: admin, body: { username: 'moi.tao', role: 'viewer', password: 'mat-khau-moi-dai-hon' } });
    // A refused call is not audited as done.
    await call(tb, 'POST', `/posts/${created.json.id}/cancel`, { as: editor });

    await waitFor('audit lines', () => auditRows(tb!, 'post.cancel').length === 1 && auditRows(tb!, 'petition.export').length === 2);
    const status = auditRows(tb, 'petition.status');
    expect(status).toEqual([{ actor: 'xl.pa', actor_kind: 'staff', role: 'handler', action: 'petition.status', target: code, detail: JSON.stringify({ status: 'answered', withReply: true, withNote: false }) }]);
    const exports = auditRows(tb, 'petition.export').map((r) => ({ actor: r.actor, detail: JSON.parse(r.detail!) }));
    expect(exports).toEqual([
      { actor: 'xl.pa', detail: { format: 'csv', includePii: true, from: '2020-01-01' } },
      { actor: 'quan.tri', detail: { format: 'xlsx', includePii: false } },
    ]);
    expect(auditRows(tb, 'post.create')[0]).toMatchObject({ actor: 'bt.pv01', target: String(created.json.id) });
    expect(JSON.parse(auditRows(tb, 'post.update')[0]!.detail!)).toMatchObject({ fields: ['title'] });
    expect(auditRows(tb, 'post.cancel')).toHaveLength(1);
    expect(auditRows(tb, 'account.create').map((r) => [r.actor, r.target])).toContainEqual(['quan.tri', 'moi.tao']);
    expect(auditRows(tb, 'login.success').map((r) => r.actor)).toEqual(['quan.tri', 'xl.pa', 'bt.pv01']);

    // The admin reads it through the API, newest first, filtered by action family.
    const page = await call(tb, 'GET', '/audit?action=post', { as: admin });
    expect(page.json.items.map((r: { action: string }) => r.action)).toEqual(['post.cancel', 'post.update', 'post.create']);
  });

  it('is append-only: UPDATE and DELETE are refused by the database', async () => {
    tb = await startConsoleBot();
    await addAccount(tb, 'an.nv', 'viewer');
    await login(tb, 'an.nv');
    const db = tb.bot.db;
    const { audit } = repos(tb.bot);
    expect(audit.list({}, 0, 0).total).toBeGreaterThan(0);
    // Raw writes on purpose: the database's own triggers must refuse them, whatever the code above it does.
    expect(() => db.prepare("UPDATE audit_log SET actor = 'someone-else'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(audit.list({ actor: 'someone-else' }, 0, 0).total).toBe(0);
  });
});
