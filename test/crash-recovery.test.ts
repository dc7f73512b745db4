import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeZalo, type FakeZalo } from '../src/zalo/fake-zalo.ts';
import { CREDS, liveEnv, makeTempDir, postWebhook, removeTempDir, startTestBot, waitFor, type TestBot } from './helpers/bot.ts';
import { killIfRunning, spawnBot, type BotProcess } from './helpers/child.ts';
import { eventWith, uniqueMsgId } from './helpers/fixtures.ts';
import { countOutbox, countOutboxNotSent, inboxRows } from './helpers/db-reads.ts';
import { repos } from './helpers/repos.ts';

// Crashes are real: the bot runs as a child process and is killed with SIGKILL.

let dir: string;
const children: BotProcess[] = [];
const fakes: FakeZalo[] = [];
let inProcess: TestBot | undefined;
afterEach(async () => {
  for (const c of children.splice(0)) await killIfRunning(c);
  for (const f of fakes.splice(0)) await f.close();
  await inProcess?.stop(false);
  inProcess = undefined;
  if (dir) removeTempDir(dir);
});

async function fake(options: Parameters<typeof startFakeZalo>[0], port?: number): Promise<FakeZalo> {
  const f = await startFakeZalo(options, port);
  fakes.push(f);
  return f;
}

function spawn(env: NodeJS.ProcessEnv): BotProcess {
  const c = spawnBot(env);
  children.push(c);
  return c;
}

const repliesTo = (f: FakeZalo, userId: string) => f.sent.filter((m) => (m.body.recipient as { user_id?: string }).user_id === userId);

describe('crash after the 200', () => {
  it('a reply still in flight when the process is killed is delivered after restart', async () => {
    dir = makeTempDir();
    const dbPath = join(dir, 'bot.db');
    // The first fake holds every API call for a minute: the reply cannot be delivered before the kill.
    const slow = await fake({ accessToken: CREDS.accessToken, refreshToken: CREDS.refreshToken, latencyMs: 60_000 });
    const port = Number(new URL(slow.url).port);
    const env = liveEnv(dbPath, { ZALO_API_BASE_URL: slow.url, ZALO_OAUTH_BASE_URL: slow.url });

    const first = spawn(env);
    const url = await first.url;
    const userId = '7100000000000000001';
    const res = await postWebhook(url, eventWith('user_send_text', { userId, msgId: uniqueMsgId() }));
    expect(res.status).toBe(200);
    await waitFor('the reply to reach Zalo', () => slow.apiCalls >= 1);
    first.proc.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(slow.sent).toHaveLength(0);

    // Zalo comes back on the same address, with the token pair the first process left.
    await slow.close();
    const healthy = await fake({ accessToken: slow.state.accessToken, refreshToken: slow.state.refreshToken }, port);
    const second = spawn(env);
    await second.url;
    const db = new Database(dbPath, { readonly: true });
    try {
      const unsent = () => countOutboxNotSent(db);
      await waitFor('every reply to be sent after restart', () => repliesTo(healthy, userId).length > 0 && unsent() === 0, 20_000);
      const rows = countOutbox(db);
      expect(rows).toBeGreaterThan(0);
      expect(repliesTo(healthy, userId).length).toBeGreaterThanOrEqual(rows);
      expect(inboxRows(db).map((r) => r.status)).toEqual(['done']);
    } finally {
      db.close();
    }
    second.proc.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });

  it('an inbox row left pending by a crash is processed at the next start', async () => {
    dir = makeTempDir();
    // Create the schema with a first run, then leave a pending row as a crash right after the 200 would.
    const setup = await startTestBot({ dir });
    await setup.stop(false);
    const userId = '7100000000000000002';
    const payload = JSON.stringify(eventWith('user_send_text', { userId, msgId: 'pending-after-crash-1' }));
    const db = new Database(join(dir, 'bot.db'));
    repos(db).inbox.insert({ eventKey: 'msg:user_send_text:pending-after-crash-1', eventName: 'user_send_text', userId, payload, receivedAt: Date.now() });
    db.close();

    inProcess = await startTestBot({ dir });
    const fakeZalo = inProcess.fake!;
    await waitFor('the reply to the pending event', () => repliesTo(fakeZalo, userId).length > 0);
    expect(inboxRows(inProcess.bot).map((r) => r.status)).toEqual(['done']);
  });
});
