import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeZalo, type FakeZalo } from '../../src/zalo/fake-zalo.ts';
import { CREDS, liveEnv, makeTempDir, postWebhook, removeTempDir, waitFor } from '../helpers/bot.ts';
import { killIfRunning, spawnBot, type BotProcess } from '../helpers/child.ts';
import { uniqueMsgId } from '../helpers/fixtures.ts';
import { countInbox, countOutbox, inboxKeys } from '../helpers/db-reads.ts';

// kill -9 at random points during a run, three times, then restart: no event lost; no reply doubled
// except the ones in flight at a kill.

let bot: BotProcess | undefined;
let fake: FakeZalo | undefined;
let dir: string | undefined;
afterEach(async () => {
  await killIfRunning(bot);
  await fake?.close();
  if (dir) removeTempDir(dir);
});

const EVENTS = 400;
const CONCURRENCY = 4;

describe('kill -9 three times during a run', () => {
  it('loses no event and doubles only replies in flight at a kill', async () => {
    dir = makeTempDir();
    const dbPath = join(dir, 'bot.db');
    fake = await startFakeZalo({ accessToken: CREDS.accessToken, refreshToken: CREDS.refreshToken, latencyMs: 15 });
    const env = liveEnv(dbPath, { ZALO_API_BASE_URL: fake.url, ZALO_OAUTH_BASE_URL: fake.url, OUTBOX_CONCURRENCY: String(CONCURRENCY) });
    bot = spawnBot(env);
    let url = await bot.url;
    const kills = new Set([90, 200, 310]);
    const ids: string[] = [];
    for (let n = 0; n < EVENTS; n++) {
      const msgId = uniqueMsgId();
      ids.push(msgId);
      const body = { app_id: CREDS.appId, event_name: 'user_send_text', timestamp: String(Date.now()), sender: { id: `61000000000${String(n).padStart(6, '0')}` }, recipient: { id: '1' }, message: { msg_id: msgId, text: n % 2 ? 'xin chào' : 'đổi căn cước' } };
      // Zalo retries until it gets a 200: so does this client.
      for (;;) {
        try {
          if ((await postWebhook(url, body)).status === 200) break;
        } catch {
          /* the bot is down */
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      if (kills.has(n)) {
        bot.proc.kill('SIGKILL');
        await bot.exited;
        bot = spawnBot(env);
        url = await bot.url;
      }
    }
    const check = () => {
      const db = new Database(dbPath, { readonly: true });
      try {
        return {
          pending: countOutbox(db, 'pending', 'sending'),
          inboxDone: countInbox(db, 'done'),
          keys: inboxKeys(db),
          sent: countOutbox(db, 'sent'),
          rows: countOutbox(db),
        };
      } finally {
        db.close();
      }
    };
    await waitFor('every event processed and every reply sent', () => {
      const c = check();
      return c.inboxDone === EVENTS && c.pending === 0 ? c : undefined;
    }, 120_000);
    const c = check();
    // No event lost, none stored twice.
    expect(c.keys).toHaveLength(EVENTS);
    for (const id of ids) expect(c.keys.some((k) => k.endsWith(`:${id}`))).toBe(true);
    expect(c.sent).toBe(c.rows);
    // Each reply reached Zalo; a copy twice only for what was in flight at one of the three kills.
    const copies = new Map<string, number>();
    for (const m of fake.sent) {
      const key = `${m.userId}|${JSON.stringify(m.body.message)}`;
      copies.set(key, (copies.get(key) ?? 0) + 1);
    }
    expect(copies.size).toBe(c.rows);
    const doubled = [...copies.values()].filter((n) => n > 1).length;
    expect(doubled).toBeLessThanOrEqual(kills.size * CONCURRENCY);
  });
});
