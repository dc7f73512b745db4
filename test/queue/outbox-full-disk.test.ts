import { afterEach, describe, expect, it } from 'vitest';
import type { FakeSentMessage } from '../../src/zalo/fake-zalo.ts';
import { countRows, startTestBot, waitFor, type TestBot } from '../helpers/bot.ts';
import { eventWith, uniqueMsgId } from '../helpers/fixtures.ts';

// Issue 12 item 5: the disk filled up. Sends that reached Zalo could not be recorded and stayed 'sending'; the
// citizen's later replies were blocked until a restart, then the recorded-as-nothing sends went out again.
// The database is made unwritable from inside (PRAGMA query_only on the bot's own connection) at the moment Zalo
// accepts the first reply, and writable again 800 ms later ("space freed"): no root, no tmpfs.

let t: TestBot | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const USER = '7000000000000000061';

describe('a full disk while a reply is sent', () => {
  it('records the outcome once the disk has room, never resends it, and does not block later replies', async () => {
    let first: FakeSentMessage | undefined;
    let freed: Promise<void> | undefined;
    t = await startTestBot({
      outboxPollMs: 20,
      fake: {
        onSend: (m) => {
          if (first) return;
          first = m;
          t!.bot.db.pragma('query_only = 1');
          freed = new Promise((r) => setTimeout(() => {
            t!.bot.db.pragma('query_only = 0');
            r();
          }, 800));
        },
      },
    });
    expect((await t.post(eventWith('user_send_text', { msgId: uniqueMsgId(), userId: USER }))).status).toBe(200);
    await t.bot.drainInbox();
    await waitFor('the first send', () => first);
    // While nothing can be written, the health check says so.
    const during = (await (await fetch(`${t.bot.url}/healthz`)).json()) as { status: string; reasons?: string[] };
    expect(during.status).toBe('degraded');
    expect(during.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/database cannot be written/i)]));
    await freed;

    await waitFor('every reply of the first message to be recorded sent', () => countRows(t!.bot, 'outbox', "status <> 'sent'") === 0 && countRows(t!.bot, 'outbox') > 0);
    const rows = countRows(t.bot, 'outbox');
    // A later message of the same citizen is answered without a restart.
    const later = eventWith('user_send_text', { msgId: uniqueMsgId(), userId: USER });
    (later.message as { text: string }).text = 'đăng ký tạm trú';
    expect((await t.post(later)).status).toBe(200);
    await t.bot.drainInbox();
    await waitFor('the later replies', () => countRows(t!.bot, 'outbox') > rows && countRows(t!.bot, 'outbox', "status <> 'sent'") === 0);
    // Nothing went out twice: one accepted copy per outbox row.
    expect(t.fake!.sent.length).toBe(countRows(t.bot, 'outbox'));
    const health = (await (await fetch(`${t.bot.url}/healthz`)).json()) as { status: string };
    expect(health.status).toBe('ok');
  }, 20_000);
});
