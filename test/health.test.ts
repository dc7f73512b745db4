import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../src/clock.ts';
import { outboxSettled, startTestBot, type TestBot } from './helpers/bot.ts';
import { eventWith, uniqueMsgId } from './helpers/fixtures.ts';

let t: TestBot | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

async function health(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/healthz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('GET /healthz', () => {
  it('has the documented shape before any webhook', async () => {
    t = await startTestBot();
    const { status, body } = await health(t.bot.url);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'ok',
      mode: 'live',
      db: 'ok',
      token: { expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), needsReauth: false },
      inbox: { pending: 0, oldestPendingSeconds: 0 },
      outbox: { pending: 0, failed: 0 },
      lastWebhookAt: null,
    });
  });

  it('reports the last webhook time and counts', async () => {
    t = await startTestBot({ fake: { outOfWindow: new Set(['7000000000000000009']) } });
    const before = Date.now();
    await t.post(eventWith('user_send_text', { msgId: uniqueMsgId(), userId: '7000000000000000009' }));
    await t.bot.drainInbox();
    await outboxSettled(t.bot);
    const { body } = await health(t.bot.url);
    const replies = t.bot.db.prepare('SELECT count(*) FROM outbox').pluck().get() as number;
    expect(replies).toBeGreaterThan(0);
    expect(body.inbox).toEqual({ pending: 0, oldestPendingSeconds: 0 });
    expect(body.outbox).toMatchObject({ pending: 0, failed: replies }); // -230: recorded as failed
    expect(new Date(String(body.lastWebhookAt)).getTime()).toBeGreaterThanOrEqual(before - 1);
  });

  it('shows how long the oldest unanswered event has waited', async () => {
    const clock = createFakeClock('2026-11-29T02:00:00Z');
    t = await startTestBot({ clock });
    // Two events stored and not answered yet, as during a long backlog (written directly: nothing wakes the dispatcher).
    const insert = t.bot.db.prepare(`INSERT INTO inbox (event_key, event_name, user_id, payload, received_at) VALUES (?, 'user_send_text', '7000000000000000010', '{}', ?)`);
    insert.run('backlog-1', clock.now().getTime() - 95_000);
    insert.run('backlog-2', clock.now().getTime() - 10_000);
    expect((await health(t.bot.url)).body.inbox).toEqual({ pending: 2, oldestPendingSeconds: 95 });
  });

  it('answers 503 when the database cannot be used', async () => {
    t = await startTestBot();
    t.bot.db.close();
    const { status, body } = await health(t.bot.url);
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: 'error', db: 'unavailable' });
  });
});
