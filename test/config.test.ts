import { readdirSync, readlinkSync } from 'node:fs';
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
