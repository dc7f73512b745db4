import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeZalo, type FakeZalo } from '../src/zalo/fake-zalo.ts';
import { CREDS, liveEnv, makeTempDir, postWebhook, removeTempDir, waitFor } from './helpers/bot.ts';
import { killIfRunning, spawnBot, type BotProcess } from './helpers/child.ts';
import { eventWith, uniqueMsgId } from './helpers/fixtures.ts';
import { outboxRows } from './helpers/db-reads.ts';

let dir: string;
let child: BotProcess | undefined;
let fakeZalo: FakeZalo | undefined;
afterEach(async () => {
  await killIfRunning(child);
  await fakeZalo?.close();
  removeTempDir(dir);
});

describe('SIGTERM', () => {
  it('finishes the reply in flight, closes the database and exits 0 within 10 s', async () => {
    dir = makeTempDir();
    const dbPath = join(dir, 'bot.db');
    fakeZalo = await startFakeZalo({ accessToken: CREDS.accessToken, refreshToken: CREDS.refreshToken, latencyMs: 1_500 });
    child = spawnBot(liveEnv(dbPath, { ZALO_API_BASE_URL: fakeZalo.url, ZALO_OAUTH_BASE_URL: fakeZalo.url }));
    const url = await child.url;
    // A keep-alive connection stays open to the server: it must not hold the shutdown.
    expect((await fetch(`${url}/healthz`, { keepalive: true })).status).toBe(200);
    const userId = '7200000000000000001';
    expect((await postWebhook(url, eventWith('user_send_text', { userId, msgId: uniqueMsgId() }))).status).toBe(200);
    await waitFor('a reply in flight', () => fakeZalo!.apiCalls >= 1);

    const started = Date.now();
    child.proc.kill('SIGTERM');
    const { code } = await child.exited;
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);

    // The send that was in flight completed and was recorded; the database was closed cleanly (no WAL left).
    const db = new Database(dbPath, { readonly: true });
    try {
      const statuses = outboxRows(db).map((r) => r.status);
      expect(statuses[0]).toBe('sent');
    } finally {
      db.close();
    }
    expect(child.output()).toContain('Stopping');
  });

  it('exits 0 within 10 s even while Zalo hangs, and the unsent reply goes out after restart', async () => {
    dir = makeTempDir();
    const dbPath = join(dir, 'bot.db');
    fakeZalo = await startFakeZalo({ accessToken: CREDS.accessToken, refreshToken: CREDS.refreshToken, latencyMs: 120_000 });
    const port = Number(new URL(fakeZalo.url).port);
    const env = liveEnv(dbPath, { ZALO_API_BASE_URL: fakeZalo.url, ZALO_OAUTH_BASE_URL: fakeZalo.url });
    child = spawnBot(env);
    const url = await child.url;
    const userId = '7200000000000000002';
    expect((await postWebhook(url, eventWith('user_send_text', { userId, msgId: uniqueMsgId() }))).status).toBe(200);
    await waitFor('a reply in flight', () => fakeZalo!.apiCalls >= 1);

    const started = Date.now();
    child.proc.kill('SIGTERM');
    expect((await child.exited).code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);

    const stuck = fakeZalo;
    await stuck.close();
    fakeZalo = await startFakeZalo({ accessToken: stuck.state.accessToken, refreshToken: stuck.state.refreshToken }, port);
    child = spawnBot(env);
    await child.url;
    const healthy = fakeZalo;
    await waitFor('the reply after restart', () => healthy.sent.some((m) => (m.body.recipient as { user_id?: string }).user_id === userId), 20_000);
  });

  it('exits 0 on SIGTERM when idle', async () => {
    dir = makeTempDir();
    child = spawnBot({ ...liveEnv(join(dir, 'bot.db')), ZALO_API_BASE_URL: 'http://127.0.0.1:9', ZALO_OAUTH_BASE_URL: 'http://127.0.0.1:9' });
    await child.url;
    child.proc.kill('SIGTERM');
    expect((await child.exited).code).toBe(0);
  });
});
