import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../src/clock.ts';
import { outboxSettled, startTestBot, type TestBot } from '../helpers/bot.ts';
import { errorOf, expectRefusal } from '../helpers/refusal.ts';
import { followerIds, receivedBy } from './rig.ts';
import { repos } from '../helpers/repos.ts';

// The staff API on the real server (live mode, fresh SQLite file, fake Zalo over HTTP), with a fake clock.

const TOKEN = 'admin-token-for-tests-0123456789';
let t: TestBot | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

async function start(now = '2025-03-10T08:00:00+07:00', fake = {}) {
  const clock = createFakeClock(now);
  t = await startTestBot({
    clock,
    fake,
    env: { ADMIN_TOKEN: TOKEN, BROADCAST_TICK: '0 0 1 1 *', BROADCAST_QUIET_HOURS: '22:00-06:00', BROADCAST_RATE_PER_SEC: '500' },
  });
  return { bot: t.bot, fake: t.fake!, clock };
}

async function api(method: string, path: string, body?: unknown, token: string | null = TOKEN): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${t!.bot.url}/admin/api${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const valid = { title: 'Đăng ký thường trú trực tuyến', body: 'Người dân có thể nộp hồ sơ đăng ký thường trú qua Cổng dịch vụ công.', mode: 'message', sendAt: '2025-03-10T09:00:00+07:00' };

describe('POST /admin/api/posts', () => {
  it('401 without the bearer token, and with a wrong one', async () => {
    await start();
    expect((await api('POST', '/posts', valid, null)).status).toBe(401);
    expect((await api('GET', '/posts', undefined, 'not-the-token-at-all-xx')).status).toBe(401);
  });

  it('201 {id} for a valid post; times with an offset or Z name the same instant', async () => {
    const { bot } = await start();
    const a = await api('POST', '/posts', valid);
    expect(a.status).toBe(201);
    expect(a.json).toEqual({ id: expect.any(Number) });
    const b = await api('POST', '/posts', { ...valid, sendAt: '2025-03-10T02:00:00Z' });
    expect(b.status).toBe(201);
    const c = await api('POST', '/posts', { ...valid, sendAt: '2025-03-10T10:00+08:00' });
    expect(c.status).toBe(201);
    const rows = repos(bot).posts.list().sort((x, y) => x.id - y.id).map((p) => p.send_at);
    expect(rows).toEqual([Date.parse('2025-03-10T02:00:00Z'), Date.parse('2025-03-10T02:00:00Z'), Date.parse('2025-03-10T02:00:00Z')]);
    const got = await api('GET', `/posts/${String(a.json.id)}`);
    expect(got.json).toMatchObject({ sendAt: '2025-03-10T09:00:00+07:00', sendAtLocal: '10/03/2025 09:00', status: 'scheduled', createdBy: 'admin-token', approvedBy: 'admin-token', audience: 'all' });
  });

  it.each([
    [{ sendAt: '2025-03-10T07:59:00+07:00' }, 'send_time_in_past', 'sendAt', /10\/03\/2025 07:59/],
    [{ sendAt: '2025-03-10T22:30:00+07:00' }, 'quiet_hours', 'sendAt', /22:00-06:00/],
    [{ sendAt: '2025-03-11T05:59:00+07:00' }, 'quiet_hours', 'sendAt', /giờ nghỉ ban đêm/],
    [{ sendAt: '2025-03-10T09:00:00' }, 'invalid_send_at', 'sendAt', /múi giờ/],
    [{ sendAt: '2025-02-30T09:00:00+07:00' }, 'invalid_send_at', 'sendAt', /múi giờ/],
    [{ sendAt: 'tomorrow morning' }, 'invalid_send_at', 'sendAt', /múi giờ/],
    [{ body: 'x'.repeat(2001) }, 'invalid_request', 'body', /Nội dung tin dài tối đa 2000 ký tự/],
    [{ body: '' }, 'invalid_request', 'body', /Nội dung tin không được để trống/],
    [{ mode: 'sms' }, 'invalid_request', 'mode', /Hình thức phải là một trong/],
    [{ imageUrl: 'javascript:alert(1)' }, 'invalid_request', 'imageUrl', /http:\/\/ hoặc https:\/\//],
    [{ mode: 'article' }, 'article_needs_image', 'imageUrl', /ảnh bìa/],
    [{ mode: 'article', imageUrl: 'https://a.vn/c.jpg', audience: { tag: 'doanh-nghiep' } }, 'article_audience_all', 'audience', /theo nhãn/],
    [{ audience: 'everyone' }, 'invalid_request', 'audience', /Người nhận không hợp lệ/],
    [{ extra: 1 }, 'invalid_request', 'extra', /"extra" không được hỗ trợ/],
  ])('400 with a clear message for %j', async (change, code, field, message) => {
    await start();
    const res = await api('POST', '/posts', { ...valid, ...change });
    expectRefusal(res, 400, code, field);
    expect(errorOf(res).message).toMatch(message);
  });

  it('400 for a body that is not JSON, in the same shape', async () => {
    await start();
    const res = await fetch(`${t!.bot.url}/admin/api/posts`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: '{"title":' });
    expectRefusal({ status: res.status, json: await res.json() }, 400, 'invalid_json');
  });
});

describe('posts life cycle through the API', () => {
  it('list, get with counts, patch (reschedule), cancel, and the sends follow', async () => {
    const { bot, fake, clock } = await start();
    const ids = followerIds(4);
    for (const id of ids) {
      await t!.post({ app_id: '3608465249409039670', oa_id: '1', follower: { id }, user_id_by_app: '1', event_name: 'follow', source: 'oa_profile', timestamp: String(clock.now().getTime() - 3600_000) });
    }
    await bot.drainInbox();
    await outboxSettled(bot);
    const before = fake.sent.length; // welcome replies go through the outbox, not the broadcast ledger

    const keep = (await api('POST', '/posts', valid)).json.id as number;
    const drop = (await api('POST', '/posts', { ...valid, title: 'sẽ hủy' })).json.id as number;
    expect(((await api('GET', '/posts')).json.posts as unknown[]).length).toBe(2);
    expect(((await api('GET', '/posts?status=cancelled')).json.posts as unknown[]).length).toBe(0);
    expectRefusal(await api('GET', '/posts?status=bogus'), 400, 'invalid_request', 'status');

    const patched = await api('PATCH', `/posts/${keep}`, { sendAt: '2025-03-10T10:00:00+07:00', body: 'Nội dung đã sửa.' });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ sendAt: '2025-03-10T10:00:00+07:00', body: 'Nội dung đã sửa.', status: 'scheduled' });
    expectRefusal(await api('PATCH', `/posts/${keep}`, { sendAt: '2025-03-10T23:00:00+07:00' }), 400, 'quiet_hours', 'sendAt');
    expect((await api('POST', `/posts/${drop}/cancel`)).json).toMatchObject({ status: 'cancelled' });
    expectRefusal(await api('POST', `/posts/${drop}/cancel`), 409, 'post_not_cancellable');
    expectRefusal(await api('PATCH', `/posts/${drop}`, { title: 'x' }), 409, 'post_not_editable');
    expectRefusal(await api('GET', '/posts/999'), 404, 'post_not_found');

    clock.set('2025-03-10T09:00:00+07:00');
    await bot.broadcasts.tick();
    await bot.broadcasts.idle();
    expect(fake.sent.length).toBe(before);
    clock.set('2025-03-10T10:00:00+07:00');
    await bot.broadcasts.tick();
    await bot.broadcasts.idle();
    const broadcasts = fake.sent.slice(before);
    expect(broadcasts.map((m) => m.userId).sort()).toEqual(ids);
    expect(broadcasts.every((m) => (m.body.message as { text: string }).text === 'Nội dung đã sửa.')).toBe(true);

    const one = await api('GET', `/posts/${keep}`);
    expect(one.json).toMatchObject({ status: 'sent', counts: { sent: 4, failed: 0, out_of_window: 0, unknown: 0, pending: 0 } });
    expect((one.json.history as { action: string }[]).map((h) => h.action)).toEqual(['created', 'updated', 'started', 'audience_fixed', 'finished']);
    expectRefusal(await api('PATCH', `/posts/${keep}`, { title: 'too late' }), 409, 'post_not_editable');

    const report = await api('GET', '/reports/broadcasts?quarter=2025-Q1');
    expect(report.status).toBe(200);
    expect(report.json).toMatchObject({ quarter: '2025-Q1', from: '2025-01-01T00:00:00+07:00', to: '2025-04-01T00:00:00+07:00', totals: { posts: 2, byStatus: { sent: 1, cancelled: 1 }, deliveries: { sent: 4 } } });
    expect(((await api('GET', '/reports/broadcasts?quarter=2025-Q2')).json.posts as unknown[]).length).toBe(0);
    expectRefusal(await api('GET', '/reports/broadcasts?quarter=2025-5'), 400, 'invalid_request', 'quarter');
  });

  it('a draft is scheduled by PATCH {status: "scheduled"}, which checks its time', async () => {
    const { bot } = await start();
    const id = (await api('POST', '/posts', { ...valid, status: 'draft', sendAt: '2025-01-06T09:00:00+07:00' })).json.id as number;
    expect(bot.broadcasts.posts.get(id)!.status).toBe('draft');
    const refused = await api('PATCH', `/posts/${id}`, { status: 'scheduled' });
    expectRefusal(refused, 400, 'send_time_in_past', 'sendAt');
    const ok = await api('PATCH', `/posts/${id}`, { status: 'scheduled', sendAt: '2025-03-12T08:30:00+07:00' });
    expect(ok.json).toMatchObject({ status: 'scheduled', approvedBy: 'admin-token' });
  });

  it('preview sends the post to that one user only; Zalo\'s refusal comes back as 422', async () => {
    const { bot, fake } = await start('2025-03-10T08:00:00+07:00', { outOfWindow: new Set(['8419999999999999999']) });
    // Previews go only to Zalo ids staff registered as their own (the bearer: any staff account's).
    for (const [username, zaloUserId] of [['bt.pv01', '8410000000000000777'], ['bt.pv02', '8419999999999999999']] as const) {
      await bot.staffConsole.staff.create({ username, role: 'editor', password: 'mat-khau-thu-nghiem-01', zaloUserId }, { name: 'test-setup', kind: 'cli' });
    }
    const id = (await api('POST', '/posts', { ...valid, linkUrl: 'https://dichvucong.gov.vn' })).json.id as number;
    const res = await api('POST', `/posts/${id}/preview`, { userId: '8410000000000000777' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ sent: true, userId: '8410000000000000777' });
    expect(fake.sent.map((m) => m.userId)).toEqual(['8410000000000000777']);
    expect(bot.broadcasts.posts.get(id)!.status).toBe('scheduled'); // a preview is not the send
    const refused = await api('POST', `/posts/${id}/preview`, { userId: '8419999999999999999' });
    expectRefusal(refused, 422, 'preview_refused');
    expect(errorOf(refused)).toMatchObject({ message: expect.stringMatching(/mã lỗi Zalo -230/), zaloCode: -230 });
    expectRefusal(await api('POST', `/posts/${id}/preview`, { userId: 12345 }), 400, 'invalid_request', 'userId');
    expect(bot.broadcasts.deliveries.counts(id).sent).toBe(0);
  });
});

describe('followers', () => {
  it('POST /admin/api/followers/sync reads Zalo\'s list page by page and marks the missing ones unfollowed', async () => {
    const listed = followerIds(120, '84500');
    const { bot } = await start('2025-03-10T08:00:00+07:00', { followers: listed });
    repos(bot).users.setFollower('8450099999999999999', true, 0);
    const res = await api('POST', '/followers/sync');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ total: 120, fetched: 120, added: 120, unfollowed: 1, complete: true });
    expect(repos(bot).followers.stats(0).followers).toBe(120);
    expect(t!.fake!.apiCalls).toBeGreaterThanOrEqual(3); // 50 + 50 + 20
    const again = await api('POST', '/followers/sync');
    expect(again.json).toMatchObject({ added: 0, unfollowed: 0 });
    expect((await api('GET', '/followers/stats')).json).toEqual({ followers: 120, optedOut: 0, inWindow: 0 });
  });

  it('tags set through the API select a tag audience', async () => {
    const { bot, fake, clock } = await start('2025-03-10T08:00:00+07:00');
    const ids = followerIds(3, '84600');
    for (const id of ids) {
      repos(bot).users.setFollower(id, true, 0);
      repos(bot).users.touch(id, clock.now().getTime());
    }
    expect((await api('PUT', `/followers/${ids[1]}/tags/doanh-nghiep`)).json).toEqual({ userId: ids[1], tags: ['doanh-nghiep'] });
    expectRefusal(await api('PUT', `/followers/abc/tags/doanh-nghiep`), 400, 'invalid_request', 'userId');
    await api('POST', '/posts', { ...valid, audience: { tag: 'doanh-nghiep' } });
    clock.set('2025-03-10T09:00:00+07:00');
    await bot.broadcasts.tick();
    await bot.broadcasts.idle();
    expect([...receivedBy(fake).keys()]).toEqual([ids[1]]);
  });
});
