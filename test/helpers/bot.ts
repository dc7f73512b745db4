import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { startBot, type RunningBot, type StartOptions } from '../../src/main.ts';
import { startFakeZalo, type FakeZalo, type FakeZaloOptions } from '../../src/zalo/fake-zalo.ts';
import { countRows } from './db-reads.ts';
import { signatureHeader } from './sign.ts';

// Kept importable from here, where tests have always found it; the SQL lives in db-reads.ts.
export { countRows };

/** Credentials the tests run the bot with in live mode (never real ones). */
export const CREDS = {
  appId: '3608465249409039670',
  appSecret: 'test-app-secret-Qm9vZ2xl',
  oaSecretKey: 'test-oa-secret-key-Wm9sYQ',
  accessToken: 'env-access-token-4c1d9e7f',
  refreshToken: 'env-refresh-token-8b2a6c3e',
} as const;

export const ZALO_API = 'https://openapi.zalo.me';
export const ZALO_OAUTH = 'https://oauth.zaloapp.com';

/** A fresh folder for one test's SQLite file; remove it with `removeTempDir`. */
export function makeTempDir(): string {
  return mkdtempSync(join(tmpdir(), 'zalo-bot-test-'));
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Live-mode environment on a given database, with Zalo at its real hosts (for nock) unless overridden. */
export function liveEnv(databasePath: string, overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    BOT_MODE: 'live',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_PATH: databasePath,
    LOG_LEVEL: 'silent',
    ZALO_APP_ID: CREDS.appId,
    ZALO_APP_SECRET: CREDS.appSecret,
    ZALO_OA_SECRET_KEY: CREDS.oaSecretKey,
    ZALO_ACCESS_TOKEN: CREDS.accessToken,
    ZALO_REFRESH_TOKEN: CREDS.refreshToken,
    ZALO_API_BASE_URL: ZALO_API,
    ZALO_OAUTH_BASE_URL: ZALO_OAUTH,
    ...overrides,
  };
}

export const silentLogger = (): Logger => pino({ level: 'silent' });

/** Fast retries so failure paths finish in milliseconds. */
export const FAST_RETRY = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 } as const;

export interface TestBot {
  bot: RunningBot;
  fake: FakeZalo | undefined;
  dir: string;
  dbPath: string;
  /** POSTs a body to the webhook, signed unless `signature` is given (null = no header). */
  post(body: string | Record<string, unknown>, signature?: string | null): Promise<{ status: number; json: unknown }>;
  /** Stops the bot and the fake; keeps the database folder unless `removeDir`. */
  stop(removeDir?: boolean): Promise<void>;
}

export interface TestBotOptions extends Omit<StartOptions, 'env'> {
  /** Start a real fake Zalo and point the bot at it (default); false = Zalo at its real hosts, for nock. */
  fake?: FakeZaloOptions | false;
  env?: NodeJS.ProcessEnv;
  /** Reuse a database folder (restart tests). */
  dir?: string;
}

/** Starts the real server in live mode on a free port with a fresh SQLite file (or the given folder). */
export async function startTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  const dir = options.dir ?? makeTempDir();
  const dbPath = join(dir, 'bot.db');
  const fake = options.fake === false ? undefined : await startFakeZalo({ accessToken: CREDS.accessToken, refreshToken: CREDS.refreshToken, ...options.fake });
  const env = liveEnv(dbPath, {
    ...(fake ? { ZALO_API_BASE_URL: fake.url, ZALO_OAUTH_BASE_URL: fake.url } : {}),
    ...options.env,
  });
  const { fake: _fake, env: _env, dir: _dir, ...rest } = options;
  const bot = await startBot({ logger: silentLogger(), retry: FAST_RETRY, ...rest, env });
  return {
    bot,
    fake,
    dir,
    dbPath,
    post: (body, signature) => postWebhook(bot.url, body, signature),
    async stop(removeDir = true) {
      await bot.close();
      await fake?.close();
      if (removeDir) removeTempDir(dir);
    },
  };
}

/** POSTs to /webhooks/zalo; signs with the test credentials unless a signature (or null for none) is given. */
export async function postWebhook(
  baseUrl: string,
  body: string | Record<string, unknown>,
  signature?: string | null,
): Promise<{ status: number; json: unknown }> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const mac = signature === undefined ? signatureHeader(raw, CREDS.appId, CREDS.oaSecretKey) : signature;
  if (mac !== null) headers['x-zevent-signature'] = mac;
  const res = await fetch(`${baseUrl}/webhooks/zalo`, { method: 'POST', headers, body: raw });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

/** Polls `check` until it returns a truthy value (bounded; throws with `what` on timeout). */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until the outbox has nothing pending or sending. */
export async function outboxSettled(bot: RunningBot): Promise<void> {
  await waitFor('the outbox to settle', () => countRows(bot, 'outbox', "status IN ('pending','sending')") === 0);
}
