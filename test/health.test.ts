import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../src/clock.ts';
import { outboxSettled, startTestBot, waitFor, type TestBot } from './helpers/bot.ts';
import { eventWith, uniqueMsgId } from './helpers/fixtures.ts';
import { countOutbox } from './helpers/db-reads.ts';
import { repos } from './helpers/repos.ts';

let t: TestBot | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const ADMIN_TOKEN = 'health-admin-token-0123456789abcdefghijk';

async function health(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/healthz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function adminHealth(url: string, token = ADMIN_TOKEN): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/admin/api/health`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('GET /healthz (public: status and reasons only)', () => {
  it('is ok with no reasons, and nothing else, before any webhook', async () => {
    t = await startTestBot();
    const { status, body } = await health(t.bot.url);
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'ok', reasons: [] });
  });

  it('is degraded when every send is refused with -216 (the token needs re-authorisation)', async () => {
    t = await startTestBot({ fake: { accessToken: 'zalo-knows-another-token', refreshToken: 'zalo-knows-another-refresh' } });
    const userId = '7000000000000000031';
    await t.post(eventWith('user_send_text', { msgId: uniqueMsgId(), userId }));
    await t.bot.drainInbox();
    const { status, body } = await waitFor('degraded', async () => {
      const h = await health(t!.bot.url);
      return h.body.status === 'degraded' ? h : undefined;
    });
    expect(status).toBe(200);
    expect(body.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/re-authoris/i)]));
  });

  it('is degraded when the last 20 sends all failed', async () => {
    t = await startTestBot({ fake: { outOfWindow: new Set(Array.from({ length: 25 }, (_, i) => `70000000000000001${String(i).padStart(2, '0')}`)) } });
    for (let i = 0; i < 25; i++) await t.post(eventWith('user_send_text', { msgId: uniqueMsgId(), userId: `70000000000000001${String(i).padStart(2, '0')}` }));
    await t.bot.drainInbox();
    await outboxSettled(t.bot);
    const { status, body } = await health(t.bot.url);
    expect(status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/last 20 sends/i)]));
  });

  it('is degraded when the oldest pending outbox message is older than 5 minutes', async () => {
    const clock = createFakeClock('2026-11-29T02:00:00Z');
    t = await startTestBot({ clock });
    // A reply waiting for a retry since 6 minutes ago (written directly: it is not due yet, nothing sends it; the
    // repository's enqueue makes a row due at its creation, so it cannot make this one).
    t.bot.db
      .prepare(`INSERT INTO outbox (dedupe_key, user_id, payload, purpose, next_attempt_at, created_at) VALUES ('late-1', '7000000000000000041', '{"kind":"text","text":"x"}', 'reply', ?, ?)`)
      .run(clock.now().getTime() + 3_600_000, clock.now().getTime() - 6 * 60_000);
    const { status, body } = await health(t.bot.url);
    expect(status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.reasons).toEqual([expect.stringMatching(/outbox.*(6 min|minutes)/i)]);
  });

  it('is degraded when the database cannot be written (full: max_page_count reached)', async () => {
    t = await startTestBot();
    const pages = t.bot.db.pragma('page_count', { simple: true }) as number;
    t.bot.db.pragma(`max_page_count = ${pages}`);
    const { status, body } = await health(t.bot.url);
    expect(status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.reasons).toEqual([expect.stringMatching(/database cannot be written/i)]);
  });

  it('answers 503 down when the database cannot be used', async () => {
    t = await startTestBot();
    t.bot.db.close();
    const { status, body } = await health(t.bot.url);
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: 'down', reasons: [expect.stringMatching(/database/i)] });
    expect(Object.keys(body).sort()).toEqual(['reasons', 'status']);
  });

  it('answers within 500 ms while another process holds the write lock for 5 s', async () => {
    t = await startTestBot({ outboxPollMs: 20 });
    const holder = spawn(process.execPath, ['-e', `const D=require('better-sqlite3');const d=new D(${JSON.stringify(t.dbPath)});d.exec('BEGIN EXCLUSIVE');console.log('locked');setTimeout(()=>{d.exec('COMMIT');d.close()},5000)`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((r) => holder.stdout!.once('data', r));
    // A webhook arrives meanwhile: its commit must not freeze the server while it waits for the lock.
    const webhook = t.post(eventWith('user_send_text', { msgId: uniqueMsgId(), userId: '7000000000000000051' }));
    await new Promise((r) => setTimeout(r, 100));
    const timings: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const res = await fetch(`${t.bot.url}/healthz`);
      await res.json();
      timings.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(Math.max(...timings)).toBeLessThan(500);
    await new Promise((r) => holder.once('exit', r));
    await webhook;
  }, 20_000);
});

describe('GET /admin/api/health (staff only: the details)', () => {
  it('shows token expiry, queue sizes and the last webhook time to staff, and nothing to the public', async () => {
    t = await startTestBot({ env: { ADMIN_TOKEN }, fake: { outOfWindow: new Set(['7000000000000000009']) } });
    const before = Date.now();
    await t.post(eventWith('user_send_text', { msgId: uniqueMsgId(), userId: '7000000000000000009' }));
    await t.bot.drainInbox();
    await outboxSettled(t.bot);
    const replies = countOutbox(t.bot);
    const { status, body } = await adminHealth(t.bot.url);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'ok',
      reasons: [],
      mode: 'live',
      db: { usable: true, writable: true },
      token: { expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), needsReauth: false, refreshOutcomeUnknown: false },
      inbox: { pending: 0, oldestPendingSeconds: 0 },
      outbox: { pending: 0, failed: replies, oldestPendingSeconds: 0 },
    });
    expect(new Date(String(body.lastWebhookAt)).getTime()).toBeGreaterThanOrEqual(before - 1);
    expect((await fetch(`${t.bot.url}/admin/api/health`)).status).toBe(401);
    expect((await adminHealth(t.bot.url, 'wrong-token-0123456789abcdef')).status).toBe(401);
  });

  it('shows how long the oldest unanswered event has waited', async () => {
    const clock = createFakeClock('2026-11-29T02:00:00Z');
    t = await startTestBot({ clock, env: { ADMIN_TOKEN } });
    const insert = (eventKey: string, receivedAt: number) =>
      repos(t!.bot).inbox.insert({ eventKey, eventName: 'user_send_text', userId: '7000000000000000010', payload: '{}', receivedAt });
    insert('backlog-1', clock.now().getTime() - 95_000);
    insert('backlog-2', clock.now().getTime() - 10_000);
    expect((await adminHealth(t.bot.url)).body.inbox).toEqual({ pending: 2, oldestPendingSeconds: 95 });
  });
});

