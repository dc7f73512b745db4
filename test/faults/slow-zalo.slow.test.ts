import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestBot, waitFor, type TestBot } from '../helpers/bot.ts';
import { uniqueMsgId } from '../helpers/fixtures.ts';
import { copiesPerReply, sendGreetings } from './slow-zalo-rig.ts';
import { countOutbox, countOutboxUnsettled, maxOutboxAttempts, outboxCountsBy } from '../helpers/db-reads.ts';

// Issue 12, measured: 50 citizens write "xin chào" while Zalo records every message but answers 2 s after the
// bot's 1 s timeout. Prints the figures the issue asks for (copies per reply, attempts per message, /healthz).

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.stop();
  tb = undefined;
});

const CITIZENS = 50;
// The cap a message can be claimed: one send plus one resend of an unknown outcome.
const ATTEMPT_CAP = 2;

async function run(readBack: boolean): Promise<void> {
  // What each read-back said (delivered / not_found / unreadable), from the worker's log lines.
  const readBacks: Record<string, number> = {};
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        const seen = (JSON.parse(line) as { readBack?: string }).readBack;
        if (seen) readBacks[seen] = (readBacks[seen] ?? 0) + 1;
      }
      done();
    },
  });
  tb = await startTestBot({
    logger: pino({ level: 'info' }, stream),
    fake: { lateAnswerMs: 2_000, conversationUnsupported: !readBack },
    env: { ZALO_HTTP_TIMEOUT_MS: '1000', OUTBOX_CONCURRENCY: '25' },
    retry: { attempts: 6, baseDelayMs: 5, maxDelayMs: 20 },
    outboxPollMs: 20,
    outboxRetryMs: 100,
    outboxUncertainMs: 500,
  });
  const t0 = Date.now();
  await sendGreetings(tb, CITIZENS, uniqueMsgId);
  await tb.bot.drainInbox();
  const db = tb.bot.db;
  const seen = new Set<string>();
  // Settled: no row pending, in flight, or unknown with its one resend still to come.
  const settled = () => countOutboxUnsettled(db) === 0;
  let degradedSeen = false;
  while (!settled() && Date.now() - t0 < 60_000) {
    const body = (await (await fetch(`${tb.bot.url}/healthz`)).json()) as { status: string; reasons?: string[] };
    seen.add(`${body.status}: ${(body.reasons ?? []).join('; ')}`);
    if (body.status === 'degraded') degradedSeen = true;
    await new Promise((r) => setTimeout(r, 200));
  }
  await waitFor('the outbox to settle', settled, 5_000);
  const copies = [...copiesPerReply(tb.fake!).values()];
  const attempts = outboxCountsBy(db, 'attempts');
  const statuses = outboxCountsBy(db, 'status');
  const rows = countOutbox(db);
  console.log(
    JSON.stringify({
      readBack,
      citizens: CITIZENS,
      replies: rows,
      copiesMax: Math.max(...copies),
      receivedOnce: copies.filter((n) => n === 1).length,
      receivedTwice: copies.filter((n) => n === 2).length,
      attempts,
      statuses,
      readBacks,
      healthzSeen: [...seen],
      seconds: Math.round((Date.now() - t0) / 1000),
    }),
  );
  expect(copies.length).toBe(rows);
  expect(Math.max(...copies)).toBeLessThanOrEqual(2);
  expect(maxOutboxAttempts(db)).toBeLessThanOrEqual(ATTEMPT_CAP);
  expect(degradedSeen).toBe(true);
  // A read-back that itself times out on this loaded machine falls back to the one resend: most, not all, once.
  if (readBack) expect(copies.filter((n) => n === 1).length).toBeGreaterThanOrEqual(rows * 0.9);
}

describe('50 replies through a Zalo that answers 2 s after a 1 s timeout', () => {
  it('without a read-back: every reply arrives at most twice', () => run(false), 120_000);
  it('with the conversation read-back: (nearly) every reply arrives once', () => run(true), 120_000);
});
