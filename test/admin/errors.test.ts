import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import type { TestBot } from '../helpers/bot.ts';
import { errorOf, expectRefusal, VIETNAMESE } from '../helpers/refusal.ts';
import { addAccount, call, loginAs, seedPetition, startConsoleBot, type StaffClient } from './console-helpers.ts';

// Issue 13: one refusal shape for the whole admin API, { error: { code, message, fields? } }, with a Vietnamese
// message, on the real server: every router's 400, express's own body errors, include_pii read one way, and an
// unexpected failure that shows no stack.

let tb: TestBot;
let admin: StaffClient;
let viewer: StaffClient;
let code: string;
const logs: string[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  tb = await startConsoleBot({ logger: createLogger('info', sink) });
  await addAccount(tb, 'quan.tri', 'admin');
  await addAccount(tb, 'xem.bc', 'viewer');
  admin = await loginAs(tb, 'quan.tri');
  viewer = await loginAs(tb, 'xem.bc');
  code = seedPetition(tb, '7001').code;
});
afterAll(() => tb?.stop());

/** Every message of a refusal (and of each field) is Vietnamese: none is an English sentence in ASCII. */
function expectVietnamese(res: { status: number; json: unknown }) {
  const error = errorOf(res);
  expect(error.message, JSON.stringify(error)).toMatch(VIETNAMESE);
  for (const [field, text] of Object.entries(error.fields ?? {})) expect(text, field).toMatch(VIETNAMESE);
}

describe('400 from every admin router', () => {
  // [router, method, path, body, the field named]
  const cases: [string, string, string, unknown, string | undefined][] = [
    ['session (login)', 'POST', '/session', { username: 'quan.tri' }, 'password'],
    ['session (password)', 'POST', '/session/password', { current: 'x' }, 'next'],
    ['session (Zalo ids)', 'POST', '/session/zalo-ids', { userId: 'abc' }, 'userId'],
    ['accounts (create)', 'POST', '/staff', { username: 'Bad Name', role: 'boss', password: '' }, 'role'],
    ['accounts (audit)', 'GET', '/audit?page=0&from=10-03-2026', undefined, 'from'],
    ['console (unanswered)', 'GET', '/content/unanswered?limit=9999', undefined, 'limit'],
    ['console (report)', 'GET', '/reports/summary?period=2026-Q9', undefined, 'period'],
    ['plans', 'POST', '/plans/import', { file: '../../etc/passwd' }, undefined],
    ['broadcasts', 'POST', '/posts', { title: '', mode: 'sms' }, 'title'],
    ['petitions (list)', 'GET', '/petitions?status=bogus', undefined, 'status'],
    ['petitions (change)', 'PATCH', '/petitions/PA-2026-000001', { status: 'rejected', extra: 1 }, 'extra'],
    ['quiz', 'GET', '/quizzes/cchc-2026/results?include_pii=maybe', undefined, 'include_pii'],
    ['satisfaction', 'GET', '/reports/satisfaction?period=2026-Q5', undefined, 'period'],
  ];
  it.each(cases)('%s: %s %s', async (_router, method, path, body, field) => {
    const res = await call(tb, method, path, { as: admin, body });
    expectRefusal(res, 400, 'invalid_request', field);
    expectVietnamese(res);
    expect(Object.keys(res.json)).toEqual(['error']);
  });

  it('a service refusal has the same shape, with its own code', async () => {
    const res = await call(tb, 'PATCH', `/petitions/${code}`, { as: admin, body: { status: 'rejected' } });
    expectRefusal(res, 400, 'reason_required');
    expectVietnamese(res);
  });
});

describe('express\'s own refusals', () => {
  const raw = (path: string, body: string, method = 'POST') =>
    fetch(`${tb.bot.url}/admin/api${path}`, { method, headers: { 'content-type': 'application/json', cookie: admin.cookie, 'x-csrf-token': admin.csrf }, body }).then(async (r) => ({ status: r.status, json: (await r.json()) as unknown }));

  it('bad JSON is a 400 in the same shape, before and behind the guard', async () => {
    for (const path of ['/session', '/posts', '/staff/1']) {
      const res = await raw(path, '{"title":', path === '/staff/1' ? 'PATCH' : 'POST');
      expectRefusal(res, 400, 'invalid_json');
      expectVietnamese(res);
    }
  });

  it('a body over 1 MB is a 413 in the same shape', async () => {
    const res = await raw('/posts', JSON.stringify({ title: 'x', body: 'y'.repeat(1_100_000) }));
    expectRefusal(res, 413, 'body_too_large');
  });

  it('401, 403 and 404 too', async () => {
    expectRefusal(await call(tb, 'GET', '/staff'), 401, 'unauthorized');
    expectRefusal(await call(tb, 'GET', '/staff', { as: viewer }), 403, 'forbidden');
    expectRefusal(await call(tb, 'POST', '/posts', { as: admin, body: {}, csrf: false }), 403, 'csrf_invalid');
    expectRefusal(await call(tb, 'GET', '/no-such-route', { as: admin }), 404, 'not_found');
    expectRefusal(await call(tb, 'GET', '/petitions/PA-2026-999999', { as: admin }), 404, 'petition_not_found');
  });
});

describe('include_pii, read one way', () => {
  const routes = ['/petitions/export', '/quizzes/cchc-2026/results', '/quizzes/cchc-2026/results.xlsx'];

  it.each(routes)('%s?include_pii=maybe is a 400 naming include_pii, for an admin and for a viewer', async (path) => {
    for (const as of [admin, viewer]) {
      const res = await call(tb, 'GET', `${path}?include_pii=maybe`, { as });
      expectRefusal(res, 400, 'invalid_request', 'include_pii');
      expect(res.headers.get('content-disposition')).toBeNull();
    }
  });

  it.each(routes)('%s: yes/1/true ask for personal data (viewer refused), no/0/false or none do not', async (path) => {
    for (const value of ['true', '1', 'yes']) expectRefusal(await call(tb, 'GET', `${path}?include_pii=${value}`, { as: viewer }), 403, 'forbidden');
    for (const query of ['?include_pii=false', '?include_pii=0', '?include_pii=no', '']) expect((await call(tb, 'GET', `${path}${query}`, { as: viewer })).status, query).toBe(200);
  });
});

describe('an unexpected failure', () => {
  it('is a 500 in the same shape, with the request id and no stack; the stack goes to the log', async () => {
    const staff = tb.bot.staffConsole.staff;
    const list = staff.list;
    staff.list = () => {
      throw new Error('disk I/O error at staff_accounts');
    };
    try {
      const res = await call(tb, 'GET', '/staff', { as: admin });
      expect(res.status).toBe(500);
      expect(res.json).toEqual({ error: { code: 'internal', message: expect.stringMatching(VIETNAMESE) } });
      expect(res.json.error.message).toContain(res.headers.get('x-request-id'));
      expect(res.text).not.toMatch(/disk I\/O|staff_accounts|\bat \S+ \(|\.ts:\d+/);
      const logged = logs.find((l) => l.includes('disk I/O error at staff_accounts'));
      expect(logged).toBeDefined();
      expect(logged).toMatch(/"stack":/);
    } finally {
      staff.list = list;
    }
  });
});
