import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../src/clock.ts';
import { startTestBot, type TestBot } from '../helpers/bot.ts';
import { expectRefusal } from '../helpers/refusal.ts';
import { ADMIN_TOKEN, addAccount, auditRows, call, login, loginAs, PASSWORD, seedPetition, startConsoleBot } from './console-helpers.ts';

// Issue 12 (low items): the bearer token's strength and what it may write, the idle timeout, the Secure cookie
// behind https, password rules, and post previews only to the sender's own Zalo ids.

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.stop();
  tb = undefined;
});

describe('ADMIN_TOKEN', () => {
  it.each([
    ['aaaaaaaaaaaaaaaa', /ADMIN_TOKEN: .*32/],
    ['a'.repeat(40), /ADMIN_TOKEN: .*repeated/],
    ['0123456789abcdef0123456789abcde', /ADMIN_TOKEN: .*32/],
  ])('refuses %s at start, naming the key', async (token, message) => {
    await expect(startTestBot({ fake: false, env: { ADMIN_TOKEN: token } })).rejects.toThrow(message);
  });

  it('a bearer caller cannot write another name into a petition\'s history', async () => {
    tb = await startConsoleBot();
    const { code } = seedPetition(tb, '7201');
    const res = await call(tb, 'PATCH', `/petitions/${code}`, { bearer: ADMIN_TOKEN, body: { status: 'processing', note: 'Đã giao tổ công tác.', actor: 'dai.uy.nguyen' } });
    expect(res.status).toBe(200);
    const history = (await call(tb, 'GET', `/petitions/${code}`, { bearer: ADMIN_TOKEN })).json.history;
    expect(history.at(-1)).toMatchObject({ actor: 'admin-token', to: 'processing' });
    expect(JSON.stringify(history)).not.toContain('dai.uy.nguyen');
  });
});

describe('sessions', () => {
  it('end after STAFF_IDLE_MINUTES without use (default 30), besides the absolute lifetime', async () => {
    const clock = createFakeClock('2026-03-10T02:00:00Z');
    tb = await startConsoleBot({ clock });
    await addAccount(tb, 'an.nv', 'viewer');
    const me = await loginAs(tb, 'an.nv');
    // Used every 20 minutes: stays open well past 30 minutes.
    for (let i = 0; i < 4; i += 1) {
      clock.advance(20 * 60_000);
      expect((await call(tb, 'GET', '/dashboard', { as: me })).status).toBe(200);
    }
    clock.advance(31 * 60_000);
    expect((await call(tb, 'GET', '/dashboard', { as: me })).status).toBe(401);
  });

  it('STAFF_IDLE_MINUTES sets the idle timeout', async () => {
    const clock = createFakeClock('2026-03-10T02:00:00Z');
    tb = await startConsoleBot({ clock, env: { STAFF_IDLE_MINUTES: '5' } });
    await addAccount(tb, 'an.nv', 'viewer');
    const me = await loginAs(tb, 'an.nv');
    clock.advance(4 * 60_000);
    expect((await call(tb, 'GET', '/session', { as: me })).status).toBe(200);
    clock.advance(6 * 60_000);
    expect((await call(tb, 'GET', '/session', { as: me })).status).toBe(401);
  });

  it('the cookie is Secure by default when PUBLIC_BASE_URL is https, unless COOKIE_SECURE says otherwise', async () => {
    tb = await startConsoleBot({ env: { PUBLIC_BASE_URL: 'https://zalo-bot.conganthanhpho.example' } });
    await addAccount(tb, 'an.nv', 'viewer');
    expect((await login(tb, 'an.nv')).setCookie).toMatch(/; Secure/i);
    await tb.stop();
    tb = await startConsoleBot({ env: { PUBLIC_BASE_URL: 'https://zalo-bot.conganthanhpho.example', COOKIE_SECURE: 'false' } });
    await addAccount(tb, 'an.nv', 'viewer');
    expect((await login(tb, 'an.nv')).setCookie).not.toMatch(/; Secure/i);
  });
});

describe('password rules', () => {
  it('at least 12 characters, not a common one, not the current one; the messages are Vietnamese', async () => {
    tb = await startConsoleBot();
    await addAccount(tb, 'quan.tri', 'admin');
    const admin = await loginAs(tb, 'quan.tri');
    const create = (password: string) => call(tb!, 'POST', '/staff', { as: admin, body: { username: 'moi.tao', role: 'viewer', password } });
    const short = await create('mat-khau-11');
    expectRefusal(short, 400, 'weak_password', 'password');
    expect(short.json.error.message).toMatch(/ít nhất 12 ký tự/);
    const common = await create('MatKhau123456');
    expectRefusal(common, 400, 'weak_password', 'password');
    expect(common.json.error.message).toMatch(/phổ biến/);
    expect((await create('mat-khau-moi-dai-hon')).status).toBe(201);

    const me = await loginAs(tb, 'quan.tri');
    const same = await call(tb, 'POST', '/session/password', { as: me, body: { current: PASSWORD, next: PASSWORD } });
    expectRefusal(same, 400, 'password_unchanged', 'next');
    expect(same.json.error.message).toMatch(/khác mật khẩu đang dùng/);
  });
});

describe('post previews', () => {
  const future = () => new Date(Date.now() + 3 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const post = () => ({ title: 'Đăng ký thường trú trực tuyến', body: 'Nộp hồ sơ qua Cổng dịch vụ công quốc gia.', mode: 'message', sendAt: future() });

  it('go only to Zalo ids the sender registered as their own; another id is 403 in Vietnamese, audited', async () => {
    tb = await startConsoleBot();
    await addAccount(tb, 'bt.pv01', 'editor');
    const editor = await loginAs(tb, 'bt.pv01');
    const id = (await call(tb, 'POST', '/posts', { as: editor, body: post() })).json.id as number;

    const citizen = await call(tb, 'POST', `/posts/${id}/preview`, { as: editor, body: { userId: '8410000000000000999' } });
    expectRefusal(citizen, 403, 'preview_not_own_id');
    expect(citizen.json.error.message).toMatch(/Zalo user id của chính bạn/);
    expect(tb.fake!.sent).toHaveLength(0);
    expect(auditRows(tb, 'access.denied')).toEqual([expect.objectContaining({ actor: 'bt.pv01', target: 'post.preview' })]);
    expect(JSON.parse(auditRows(tb, 'access.denied')[0]!.detail!)).toMatchObject({ userId: '8410000000000000999' });

    // Registered on the account page, the own id works (and the registration is audited).
    const registered = await call(tb, 'POST', '/session/zalo-ids', { as: editor, body: { userId: '8410000000000000777' } });
    expect(registered.status).toBe(200);
    expect(registered.json.zaloUserIds).toEqual(['8410000000000000777']);
    expect((await call(tb, 'GET', '/session', { as: editor })).json.user.zaloUserIds).toEqual(['8410000000000000777']);
    const own = await call(tb, 'POST', `/posts/${id}/preview`, { as: editor, body: { userId: '8410000000000000777' } });
    expect(own.status).toBe(200);
    expect(tb.fake!.sent.map((m) => m.userId)).toEqual(['8410000000000000777']);
    expect(auditRows(tb, 'account.zalo.add')).toHaveLength(1);

    // Another editor's id is not one's own.
    await addAccount(tb, 'bt.khac', 'editor');
    const other = await loginAs(tb, 'bt.khac');
    expect((await call(tb, 'POST', `/posts/${id}/preview`, { as: other, body: { userId: '8410000000000000777' } })).status).toBe(403);
    // Removed, it no longer works.
    expect((await call(tb, 'DELETE', '/session/zalo-ids/8410000000000000777', { as: editor })).json.zaloUserIds).toEqual([]);
    expect((await call(tb, 'POST', `/posts/${id}/preview`, { as: editor, body: { userId: '8410000000000000777' } })).status).toBe(403);
  });

  it('the bearer may preview only to an id some staff account registered', async () => {
    tb = await startConsoleBot();
    await addAccount(tb, 'bt.pv01', 'editor', { zaloUserId: '8410000000000000555' });
    const id = (await call(tb, 'POST', '/posts', { bearer: ADMIN_TOKEN, body: post() })).json.id as number;
    expect((await call(tb, 'POST', `/posts/${id}/preview`, { bearer: ADMIN_TOKEN, body: { userId: '8410000000000000555' } })).status).toBe(200);
    expect((await call(tb, 'POST', `/posts/${id}/preview`, { bearer: ADMIN_TOKEN, body: { userId: '8410000000000000999' } })).status).toBe(403);
  });
});

