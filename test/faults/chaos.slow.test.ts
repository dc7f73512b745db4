import { afterEach, describe, expect, it } from 'vitest';
import { startTestBot, waitFor, type TestBot } from '../helpers/bot.ts';
import { uniqueMsgId } from '../helpers/fixtures.ts';
import { countInbox, countOutboxUnsettled, outboxRows } from '../helpers/db-reads.ts';

// A fake Zalo that fails 30% of calls at random (HTTP 500, no answer, -32, -220, broken JSON) during a
// 2,000-event run: every reply is delivered, or recorded as failed with its reason; none is sent twice.

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.stop();
  tb = undefined;
});

const EVENTS = 2000;

describe('Zalo failing 30% of calls', () => {
  it('delivers every reply or records why not, and never sends one twice', async () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    tb = await startTestBot({
      fake: { failRate: 0.3, random },
      env: { ZALO_HTTP_TIMEOUT_MS: '300', OUTBOX_CONCURRENCY: '8' },
      retry: { attempts: 6, baseDelayMs: 5, maxDelayMs: 40 },
      outboxPollMs: 20,
      outboxRetryMs: 200,
      outboxUncertainMs: 300,
    });
    const questions = ['lam cccd can j', 'đăng ký tạm trú', 'xin chào', 'cháy nhà rồi', 'mất cà vẹt làm lại', 'How do I apply for a passport?'];
    for (let i = 0; i < EVENTS; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, EVENTS - i) }, async (_, k) => {
          const n = i + k;
          const res = await tb!.post({
            app_id: '3608465249409039670',
            event_name: 'user_send_text',
            timestamp: String(Date.now()),
            sender: { id: `60000000000${String(n).padStart(6, '0')}` },
            recipient: { id: '1' },
            message: { msg_id: uniqueMsgId(), text: questions[n % questions.length] },
          });
          expect(res.status).toBe(200);
        }),
      );
    }
    await tb.bot.drainInbox();
    const db = tb.bot.db;
    await waitFor('the outbox to finish', () => countOutboxUnsettled(db) === 0, 240_000);

    expect(countInbox(db, 'done')).toBe(EVENTS);
    const rows = outboxRows(db);
    expect(rows.length).toBeGreaterThanOrEqual(EVENTS);
    // 'unknown': a timeout or broken answer twice in a row (first attempt and its one resend); never a third copy.
    const failed = rows.filter((r) => r.status === 'failed' || r.status === 'unknown');
    for (const r of failed) expect(r.last_error, `outbox ${r.id}`).toBeTruthy();
    expect(rows.every((r) => r.status === 'sent' || r.status === 'failed' || r.status === 'unknown')).toBe(true);
    // Nearly everything gets through. What surely did not reach Zalo (500, -32) is retried up to 8 times: almost
    // never failed. A timeout or broken answer (12% of calls here, more when a loaded machine makes the 300 ms
    // timeout fire) is resent once, so about 0.12 × 0.15 ≈ 2% end 'unknown' (issue 12: at most two copies, never 30).
    const unknown = rows.filter((r) => r.status === 'unknown').length;
    console.log(JSON.stringify({ rows: rows.length, failed: failed.length - unknown, unknown }));
    expect(failed.length - unknown).toBeLessThan(rows.length * 0.005);
    expect(unknown).toBeLessThan(rows.length * 0.05);

    // At the fake: one accepted copy per sent row, never two of the same message to the same person.
    const seen = new Map<string, number>();
    for (const m of tb.fake!.sent) {
      const key = `${m.userId}|${JSON.stringify(m.body.message)}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect([...seen.values()].filter((n) => n > 1)).toEqual([]);
    const sentRows = rows.filter((r) => r.status === 'sent').length;
    expect(tb.fake!.sent.length).toBeGreaterThanOrEqual(sentRows);
    expect(tb.fake!.oauthCalls).toBeGreaterThan(0);
  });
});
