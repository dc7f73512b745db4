import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { startBot } from '../src/main.ts';
import { liveEnv, makeTempDir, removeTempDir, silentLogger } from './helpers/bot.ts';

const live = {
  BOT_MODE: 'live',
  ZALO_APP_ID: 'app',
  ZALO_APP_SECRET: 'secret',
  ZALO_OA_SECRET_KEY: 'oa-secret',
  ZALO_ACCESS_TOKEN: 'at',
  ZALO_REFRESH_TOKEN: 'rt',
};

function configError(env: NodeJS.ProcessEnv, options?: { hasStoredTokens?: boolean }): ConfigError {
  try {
    loadConfig(env, options);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c.mode).toBe('demo');
    expect(c.port).toBe(3000);
    expect(c.databasePath).toBe('./data/bot.db');
    expect(c.timeZone).toBe('Asia/Ho_Chi_Minh');
    expect(c.zalo.apiBaseUrl).toBe('https://openapi.zalo.me');
    expect(c.zalo.oauthBaseUrl).toBe('https://oauth.zaloapp.com');
    expect(c.zalo.httpTimeoutMs).toBe(10_000);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_PATH: ' ' }).port).toBe(3000);
  });

  it('fails in live mode without ZALO_APP_ID, naming the key', () => {
    const { ZALO_APP_ID: _omit, ...env } = live;
    const err = configError(env);
    expect(err.message).toContain('ZALO_APP_ID');
    expect(err.message).not.toContain('ZALO_APP_SECRET,');
  });

  it('names every missing live key, tokens included when none are stored', () => {
    const err = configError({ BOT_MODE: 'live' });
    for (const key of ['ZALO_APP_ID', 'ZALO_APP_SECRET', 'ZALO_OA_SECRET_KEY', 'ZALO_ACCESS_TOKEN', 'ZALO_REFRESH_TOKEN']) expect(err.message).toContain(key);
  });

  it('lets live mode start without env tokens when the database holds them', () => {
    const { ZALO_ACCESS_TOKEN: _a, ZALO_REFRESH_TOKEN: _r, ...env } = live;
    expect(loadConfig(env, { hasStoredTokens: true }).mode).toBe('live');
  });

  it.each([['abc'], ['70000'], ['-1'], ['3.5']])('rejects PORT=%s naming PORT', (port) => {
    expect(configError({ PORT: port }).message).toMatch(/^Invalid configuration:\n\s+PORT: /);
  });

  it.each([
    ['BOT_MODE', 'prod'],
    ['APP_TIMEZONE', 'Mars/Olympus'],
    ['ZALO_API_BASE_URL', 'not a url'],
    ['LOG_LEVEL', 'loud'],
    ['ADMIN_TOKEN', 'short'],
  ])('rejects a bad %s naming it', (key, value) => {
    expect(configError({ [key]: value }).message).toContain(`${key}:`);
  });

  // Issue 12, item 3: demo mode serves its signing secret to the simulator page, so it must never hold a real key.
  const ZALO_KEYS = ['ZALO_APP_ID', 'ZALO_APP_SECRET', 'ZALO_OA_SECRET_KEY', 'ZALO_ACCESS_TOKEN', 'ZALO_REFRESH_TOKEN'] as const;
  it.each(ZALO_KEYS.flatMap((key) => [[key, undefined], [key, 'demo']] as const))('refuses %s with BOT_MODE=%s (demo), saying which mode to choose', (key, mode) => {
    const err = configError({ [key]: 'a-real-looking-value', ...(mode ? { BOT_MODE: mode } : {}) });
    expect(err.message).toContain(key);
    expect(err.message).toContain('set BOT_MODE=live to run against Zalo, or remove these keys to run the demo');
    expect(err.message).not.toContain('a-real-looking-value');
  });

  it('names every Zalo key present in demo mode, and only those', () => {
    const { BOT_MODE: _m, ZALO_APP_SECRET: _s, ...env } = live;
    const err = configError(env);
    for (const key of ['ZALO_APP_ID', 'ZALO_OA_SECRET_KEY', 'ZALO_ACCESS_TOKEN', 'ZALO_REFRESH_TOKEN']) expect(err.message).toContain(key);
    expect(err.message).not.toContain('ZALO_APP_SECRET');
  });

  it('runs the demo with the shipped .env.example (empty Zalo keys count as unset)', () => {
    const example: NodeJS.ProcessEnv = {};
    for (const line of readFileSync(new URL('../.env.example', import.meta.url), 'utf8').split('\n')) {
      const m = /^([A-Z_]+)=(.*)$/.exec(line);
      if (m) example[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1');
    }
    const c = loadConfig(example);
    expect(c.mode).toBe('demo');
    expect(c.host).toBe('127.0.0.1');
  });

  it('binds demo mode to 127.0.0.1 unless HOST is set; live mode keeps 0.0.0.0', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig(live).host).toBe('0.0.0.0');
    expect(loadConfig({ ...live, HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
  });

  it('gives demo mode no Zalo credentials at all (main.ts makes its own)', () => {
    const c = loadConfig({});
    expect([c.zalo.appId, c.zalo.appSecret, c.zalo.oaSecretKey, c.zalo.accessToken, c.zalo.refreshToken]).toEqual(['', '', '', undefined, undefined]);
  });

  it('strips a trailing slash from the Zalo base URLs', () => {
    expect(loadConfig({ ZALO_API_BASE_URL: 'http://127.0.0.1:9999/' }).zalo.apiBaseUrl).toBe('http://127.0.0.1:9999');
  });
});

/** Files under `dir` this process still holds open (Linux /proc). */
function openFilesUnder(dir: string): string[] {
  const paths: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(dir)) paths.push(target);
    } catch {
      // the fd closed while listing
    }
  }
  return paths;
}

describe('startBot configuration', () => {
  it('refuses live mode with an empty database and no env tokens, naming them, and leaves no file lock behind', async () => {
    const dir = makeTempDir();
    try {
      const env = liveEnv(`${dir}/bot.db`, { ZALO_ACCESS_TOKEN: '', ZALO_REFRESH_TOKEN: '' });
      await expect(startBot({ env, logger: silentLogger() })).rejects.toThrow(/ZALO_ACCESS_TOKEN, ZALO_REFRESH_TOKEN/);
      expect(openFilesUnder(dir)).toEqual([]);
    } finally {
      removeTempDir(dir);
    }
  });

  it('refuses live mode without ZALO_APP_ID', async () => {
    const dir = makeTempDir();
    try {
      await expect(startBot({ env: liveEnv(`${dir}/bot.db`, { ZALO_APP_ID: undefined }), logger: silentLogger() })).rejects.toThrow(/ZALO_APP_ID/);
    } finally {
      removeTempDir(dir);
    }
  });
});
