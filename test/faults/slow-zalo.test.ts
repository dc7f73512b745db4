import { afterEach, describe, expect, it } from 'vitest';
import { startTestBot, waitFor, type TestBot } from '../helpers/bot.ts';
import { uniqueMsgId } from '../helpers/fixtures.ts';
import { copiesPerReply, sendGreetings } from './slow-zalo-rig.ts';
import { countOutboxUnsettled, maxOutboxAttempts, outboxRows } from '../helpers/db-reads.ts';

// Zalo accepts each message and records it, but answers 2 s later, after the bot's 1 s timeout: the bot cannot know
// the message went out. Issue 12: one "xin chào" reached a citizen 42 times. Each reply must now arrive at most twice.

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.stop();
  tb = undefined;
});

const CITIZENS = 25;

describe('a slow Zalo that delivers but answers after the timeout', () => {
  it('sends each reply at most twice (no read-back), attempts stay under the cap, and /healthz says so meanwhile', async () => {
    tb = await startTestBot({
      fake: { lateAnswerMs: 2_000, conversationUnsupported: true },
      env: { ZALO_HTTP_TIMEOUT_MS: '1000', OUTBOX_CONCURRENCY: '16' },
      // The old client retried 6 times and the outbox 5 times on top; fast delays keep the test short.
      retry: { attempts: 6, baseDelayMs: 5, maxDelayMs: 20 },
      outboxPollMs: 20,
      outboxRetryMs: 100,
      outboxUncertainMs: 300,
    });
    await sendGreetings(tb, CITIZENS, uniqueMsgId);
    await tb.bot.drainInbox();
    const health = await waitFor('/healthz to report the problem', async () => {
      const res = await fetch(`${tb!.bot.url}/healthz`);
      const body = (await res.json()) as { status: string; reasons?: string[] };
      return body.status !== 'ok' ? { code: res.status, body } : undefined;
    }, 20_000);
    expect(health.code).toBe(200);
    expect(health.body.status).toBe('degraded');
    expect(health.body.reasons?.length).toBeGreaterThan(0);

    const db = tb.bot.db;
    await waitFor('every reply to settle', () => countOutboxUnsettled(db) === 0, 30_000);
    const copies = copiesPerReply(tb.fake!);
    expect(Math.max(...copies.values())).toBeLessThanOrEqual(2);
    expect(maxOutboxAttempts(db)).toBeLessThanOrEqual(2);
    expect([...new Set(outboxRows(db).map((r) => r.status))]).toEqual(['unknown']);
  }, 60_000);
});
