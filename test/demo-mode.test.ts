import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../src/main.ts';
import { makeTempDir, removeTempDir, silentLogger } from './helpers/bot.ts';
import { zaloMac } from './helpers/sign.ts';

// Issue 12, item 3: demo mode published the real OA secret (GET /simulator/api/config), listened on every
// interface, and showed any user's conversation. With that secret a forged user_withdraw erased a citizen's data.

let dir: string | undefined;
const bots: RunningBot[] = [];
afterEach(async () => {
  while (bots.length > 0) await bots.pop()!.close();
  if (dir) removeTempDir(dir);
  dir = undefined;
});

/** Demo mode as `npm start` runs it: no HOST, no Zalo keys unless given. */
async function startDemo(extra: NodeJS.ProcessEnv = {}, db = 'bot.db'): Promise<RunningBot> {
  dir ??= makeTempDir();
  const bot = await startBot({ logger: silentLogger(), env: { PORT: '0', DATABASE_PATH: join(dir, db), LOG_LEVEL: 'silent', ...extra } });
  bots.push(bot);
  return bot;
}

interface SimConfig {
  appId: string;
  oaSecretKey: string;
  oaId: string;
}
const simConfig = async (bot: RunningBot) => (await (await fetch(`${bot.url}/simulator/api/config`)).json()) as SimConfig;

async function post(bot: RunningBot, body: object, appId: string, key: string): Promise<number> {
  const raw = JSON.stringify(body);
  const ts = (body as { timestamp: string }).timestamp;
  const res = await fetch(`${bot.url}/webhooks/zalo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${zaloMac(appId, raw, ts, key)}` },
    body: raw,
  });
  return res.status;
}

const text = (appId: string, userId: string, msg: string) => ({
  app_id: appId,
  event_name: 'user_send_text',
  timestamp: String(Date.now()),
  sender: { id: userId },
  recipient: { id: '4318000000000000001' },
  message: { msg_id: `m${Math.random().toString(16).slice(2)}`, text: msg },
});

describe('demo mode', () => {
  it('refuses to start when a real Zalo key is in the environment, and serves nothing', async () => {
    await expect(startDemo({ ZALO_OA_SECRET_KEY: 'the-real-oa-secret-key' })).rejects.toThrow(
      /ZALO_OA_SECRET_KEY.*set BOT_MODE=live to run against Zalo, or remove these keys to run the demo/,
    );
    await expect(startDemo({ BOT_MODE: 'demo', ZALO_APP_SECRET: 'x', ZALO_REFRESH_TOKEN: 'y' })).rejects.toThrow(/ZALO_APP_SECRET, ZALO_REFRESH_TOKEN/);
  });

  it('signs with its own secret, random per start, which the simulator page gets and the webhook checks', async () => {
    const first = await startDemo({}, 'a.db');
    const second = await startDemo({}, 'b.db');
    const a = await simConfig(first);
    const b = await simConfig(second);
    expect(a.oaSecretKey).toMatch(/^[0-9a-f]{64}$/);
    expect(b.oaSecretKey).toMatch(/^[0-9a-f]{64}$/);
    expect(a.oaSecretKey).not.toBe(b.oaSecretKey);
    expect(await post(first, text(a.appId, 'demo-1000000000000001', 'xin chào'), a.appId, a.oaSecretKey)).toBe(200);
    // The key the README used to print, and the other process's key, are refused.
    expect(await post(first, text(a.appId, 'demo-1000000000000001', 'xin chào'), a.appId, 'demo-oa-secret-key')).toBe(401);
    expect(await post(first, text(a.appId, 'demo-1000000000000001', 'xin chào'), a.appId, b.oaSecretKey)).toBe(401);
  });

  it('listens on 127.0.0.1 unless HOST is set', async () => {
    const bot = await startDemo();
    expect(bot.config.host).toBe('127.0.0.1');
    expect(new URL(bot.url).hostname).toBe('127.0.0.1');
  });

  it('shows only simulator conversations: any other user id is a 404', async () => {
    const bot = await startDemo();
    const { appId, oaSecretKey } = await simConfig(bot);
    const demoUser = 'demo-1000000000000002';
    const citizen = '2468458835291979221';
    expect(await post(bot, text(appId, demoUser, 'xin chào'), appId, oaSecretKey)).toBe(200);
    expect(await post(bot, text(appId, citizen, 'xin chào'), appId, oaSecretKey)).toBe(200);
    await bot.drainInbox();
    await expect.poll(() => bot.fakeZalo!.messagesFor(citizen).length, { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => bot.fakeZalo!.messagesFor(demoUser).length, { timeout: 10_000 }).toBeGreaterThan(0);

    const mine = await fetch(`${bot.url}/simulator/api/messages?userId=${demoUser}`);
    expect(mine.status).toBe(200);
    expect(((await mine.json()) as { messages: unknown[] }).messages.length).toBeGreaterThan(0);
    for (const query of [`userId=${citizen}`, '', 'userId=', 'userId=demo-', `userId=${citizen}&userId=${demoUser}`]) {
      const res = await fetch(`${bot.url}/simulator/api/messages?${query}`);
      expect(res.status, query).toBe(404);
      expect(await res.text(), query).not.toContain('xin chào');
    }
  });
});
