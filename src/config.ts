import { existsSync } from 'node:fs';
import { validate as isValidCron } from 'node-cron';
import { z } from 'zod';

// The only module that reads the environment. Everything else receives a frozen Config.

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'is not a known IANA time zone (e.g. Asia/Ho_Chi_Minh)');

// Broadcasts: quiet hours are "HH:MM-HH:MM" in APP_TIMEZONE (may cross midnight), or "off".
const QUIET_HOURS = /^([01]\d|2[0-3]):([0-5]\d)\s*-\s*([01]\d|2[0-3]):([0-5]\d)$/;
const quietHours = z
  .string()
  .trim()
  .refine((v) => v.toLowerCase() === 'off' || (QUIET_HOURS.test(v) && v.replace(/\s/g, '').split('-')[0] !== v.replace(/\s/g, '').split('-')[1]), {
    message: 'must be "HH:MM-HH:MM" with two different times (e.g. 22:00-06:00) or "off"',
  });
const cronExpression = z.string().trim().refine((v) => isValidCron(v), { message: 'is not a valid cron expression (5 fields, or 6 with seconds)' });

const envSchema = z.object({
  BOT_MODE: z.preprocess(emptyToUndefined, z.enum(['demo', 'live']).default('demo')),
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  // Unset: 127.0.0.1 in demo mode (its simulator signs with a secret it serves to the page), 0.0.0.0 in live mode.
  HOST: optionalString,
  DATABASE_PATH: z.preprocess(emptyToUndefined, z.string().default('./data/bot.db')),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  APP_TIMEZONE: z.preprocess(emptyToUndefined, timeZone.default('Asia/Ho_Chi_Minh')),
  PUBLIC_BASE_URL: optionalString,

  ZALO_APP_ID: optionalString,
  ZALO_APP_SECRET: optionalString,
  ZALO_OA_SECRET_KEY: optionalString,
  ZALO_ACCESS_TOKEN: optionalString,
  ZALO_REFRESH_TOKEN: optionalString,
  ZALO_API_BASE_URL: z.preprocess(emptyToUndefined, z.url().default('https://openapi.zalo.me')),
  ZALO_OAUTH_BASE_URL: z.preprocess(emptyToUndefined, z.url().default('https://oauth.zaloapp.com')),
  ZALO_HTTP_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(120_000).default(10_000)),
  // The OAuth refresh's own timeout: a refresh that times out may have rotated the single-use pair (issue 12).
  ZALO_REFRESH_TIMEOUT_MS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(30_000, 'ZALO_REFRESH_TIMEOUT_MS must be at least 30000 (30 s)').max(300_000).default(30_000),
  ),

  // The bearer opens the whole staff API as admin: long and not a placeholder such as "aaaa…".
  ADMIN_TOKEN: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .min(32, 'must be at least 32 characters (e.g. openssl rand -base64 32)')
      .refine((v) => new Set(v).size > 1, 'must not be one character repeated')
      .optional(),
  ),
  // Staff console: the session cookie is Secure behind HTTPS (a plain-HTTP browser would drop it). Unset, it follows
  // PUBLIC_BASE_URL: true when that is https://.
  COOKIE_SECURE: z.preprocess(emptyToUndefined, z.enum(['true', 'false', '1', '0']).optional()),
  STAFF_SESSION_HOURS: z.preprocess(emptyToUndefined, z.coerce.number().min(0.25).max(168).default(12)),
  STAFF_IDLE_MINUTES: z.preprocess(emptyToUndefined, z.coerce.number().int('STAFF_IDLE_MINUTES must be whole minutes').min(1).max(1440).default(30)),
  PETITION_OVERDUE_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(365).default(15)),

  UNIT_NAME: z.preprocess(emptyToUndefined, z.string().default('Công an thành phố Cần Thơ')),
  UNIT_HOTLINE: optionalString,
  CONTENT_DIR: z.preprocess(emptyToUndefined, z.string().default('./content')),

  PETITION_RETENTION_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(36500).default(730)),
  OUTBOX_CONCURRENCY: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(64).default(4)),

  BROADCAST_TICK: z.preprocess(emptyToUndefined, cronExpression.default('* * * * *')),
  BROADCAST_RATE_PER_SEC: z.preprocess(emptyToUndefined, z.coerce.number().min(1).max(1000).default(20)),
  BROADCAST_QUIET_HOURS: z.preprocess(emptyToUndefined, quietHours.default('22:00-06:00')),
  BROADCAST_GRACE_MINUTES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(10_080).default(120)),
});

export type BotMode = 'demo' | 'live';

/** Typed, validated configuration of the whole process. */
export interface Config {
  mode: BotMode;
  port: number;
  host: string;
  databasePath: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  timeZone: string;
  publicBaseUrl: string | undefined;
  zalo: {
    appId: string;
    appSecret: string;
    oaSecretKey: string;
    accessToken: string | undefined;
    refreshToken: string | undefined;
    apiBaseUrl: string;
    oauthBaseUrl: string;
    httpTimeoutMs: number;
    /** Timeout of the OAuth token refresh (ZALO_REFRESH_TIMEOUT_MS, ≥ 30 s). */
    refreshTimeoutMs: number;
  };
  adminToken: string | undefined;
  /** Staff console: cookie flags, how long a login lasts, when an open petition counts as overdue. */
  staffConsole: StaffConsoleConfig;
  unit: { name: string; hotline: string | undefined };
  contentDir: string;
  outboxConcurrency: number;
  broadcasts: BroadcastConfig;
  /** Days after a petition is closed before its personal fields are erased. */
  petitionRetentionDays: number;
}

/** Staff console settings (see the "Staff console" section of .env.example). */
export interface StaffConsoleConfig {
  cookieSecure: boolean;
  sessionHours: number;
  /** A session unused this long ends. */
  idleMinutes: number;
  petitionOverdueDays: number;
}

/** A daily local-time window, in minutes after local midnight; start > end crosses midnight. */
export interface QuietHoursWindow {
  startMinute: number;
  endMinute: number;
}

/** Scheduled broadcasts: cron tick, send rate, quiet hours (undefined = off) and the grace for late posts. */
export interface BroadcastConfig {
  tick: string;
  ratePerSec: number;
  quietHours: QuietHoursWindow | undefined;
  graceMinutes: number;
}

/** "22:00-06:00" → minutes after midnight; "off" → undefined. The value is already validated by the schema. */
function parseQuietHours(value: string): QuietHoursWindow | undefined {
  const m = QUIET_HOURS.exec(value);
  if (!m) return undefined;
  return Object.freeze({ startMinute: Number(m[1]) * 60 + Number(m[2]), endMinute: Number(m[3]) * 60 + Number(m[4]) });
}

/** A configuration error that names the offending keys. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The keys of a real Zalo app and OA: live mode needs them, demo mode must not see them. */
export const ZALO_KEYS = ['ZALO_APP_ID', 'ZALO_APP_SECRET', 'ZALO_OA_SECRET_KEY', 'ZALO_ACCESS_TOKEN', 'ZALO_REFRESH_TOKEN'] as const;

/**
 * `env` without the Zalo keys, in demo mode: for offline commands (ask, eval, the search benchmark) that never talk
 * to Zalo and run on a server whose .env holds the live keys.
 */
export function offlineEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy: NodeJS.ProcessEnv = { ...env, BOT_MODE: 'demo' };
  for (const key of ZALO_KEYS) delete copy[key];
  return copy;
}

export interface LoadConfigOptions {
  /** Whether tokens already exist in the database (live mode may then start without env tokens). */
  hasStoredTokens?: boolean;
}

/** Validates `env` (default process.env) and returns a frozen Config; throws ConfigError naming the key. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadConfigOptions = {}): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  if (e.BOT_MODE === 'demo') {
    // Demo mode hands its signing secret to anyone who opens the simulator: with a real OA secret key in it, a
    // forged user_withdraw erased a citizen's data on the live bot. So it never starts next to real keys.
    const present = ZALO_KEYS.filter((k) => e[k] !== undefined);
    if (present.length > 0) {
      throw new ConfigError(
        `${present.join(', ')} ${present.length === 1 ? 'is' : 'are'} set but BOT_MODE is ${env.BOT_MODE ? 'demo' : 'not set (demo is the default)'}: ` +
          'set BOT_MODE=live to run against Zalo, or remove these keys to run the demo.',
      );
    }
  }
  if (e.BOT_MODE === 'live') {
    const missing = (['ZALO_APP_ID', 'ZALO_APP_SECRET', 'ZALO_OA_SECRET_KEY'] as const).filter((k) => !e[k]);
    if (!options.hasStoredTokens) {
      if (!e.ZALO_ACCESS_TOKEN) missing.push('ZALO_ACCESS_TOKEN' as never);
      if (!e.ZALO_REFRESH_TOKEN) missing.push('ZALO_REFRESH_TOKEN' as never);
    }
    if (missing.length > 0) {
      throw new ConfigError(
        `BOT_MODE=live needs ${missing.join(', ')} (see .env.example). ` +
          'Tokens may be left out only when the database already holds them.',
      );
    }
  }
  const demo = e.BOT_MODE === 'demo';
  return Object.freeze({
    mode: e.BOT_MODE,
    port: e.PORT,
    host: e.HOST ?? (demo ? '127.0.0.1' : '0.0.0.0'),
    databasePath: e.DATABASE_PATH,
    logLevel: e.LOG_LEVEL,
    timeZone: e.APP_TIMEZONE,
    publicBaseUrl: e.PUBLIC_BASE_URL,
    zalo: Object.freeze({
      // Empty in demo mode: main.ts signs the demo with credentials it generates at each start.
      appId: e.ZALO_APP_ID ?? '',
      appSecret: e.ZALO_APP_SECRET ?? '',
      oaSecretKey: e.ZALO_OA_SECRET_KEY ?? '',
      accessToken: e.ZALO_ACCESS_TOKEN,
      refreshToken: e.ZALO_REFRESH_TOKEN,
      apiBaseUrl: e.ZALO_API_BASE_URL.replace(/\/+$/, ''),
      oauthBaseUrl: e.ZALO_OAUTH_BASE_URL.replace(/\/+$/, ''),
      httpTimeoutMs: e.ZALO_HTTP_TIMEOUT_MS,
      refreshTimeoutMs: e.ZALO_REFRESH_TIMEOUT_MS,
    }),
    adminToken: e.ADMIN_TOKEN,
    staffConsole: Object.freeze({
      cookieSecure: e.COOKIE_SECURE === undefined ? /^https:\/\//i.test(e.PUBLIC_BASE_URL ?? '') : e.COOKIE_SECURE === 'true' || e.COOKIE_SECURE === '1',
      sessionHours: e.STAFF_SESSION_HOURS,
      idleMinutes: e.STAFF_IDLE_MINUTES,
      petitionOverdueDays: e.PETITION_OVERDUE_DAYS,
    }),
    unit: Object.freeze({ name: e.UNIT_NAME, hotline: e.UNIT_HOTLINE }),
    contentDir: e.CONTENT_DIR,
    outboxConcurrency: e.OUTBOX_CONCURRENCY,
    broadcasts: Object.freeze({
      tick: e.BROADCAST_TICK,
      ratePerSec: e.BROADCAST_RATE_PER_SEC,
      quietHours: parseQuietHours(e.BROADCAST_QUIET_HOURS),
      graceMinutes: e.BROADCAST_GRACE_MINUTES,
    }),
    petitionRetentionDays: e.PETITION_RETENTION_DAYS,
  });
}

/** Live mode without tokens in env must find them in the database; throws ConfigError otherwise. */
export function assertLiveTokens(config: Config, hasStoredTokens: boolean): void {
  if (config.mode !== 'live' || hasStoredTokens) return;
  const missing = [
    ...(config.zalo.accessToken ? [] : ['ZALO_ACCESS_TOKEN']),
    ...(config.zalo.refreshToken ? [] : ['ZALO_REFRESH_TOKEN']),
  ];
  if (missing.length > 0) {
    throw new ConfigError(`BOT_MODE=live needs ${missing.join(', ')}: the database holds no Zalo tokens yet (see .env.example).`);
  }
}

/** Loads `.env` from the working directory into process.env when present (real env wins). */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
