import axios from 'axios';
import type { Logger } from 'pino';
import type { Clock } from '../../src/clock.ts';
import { assertLiveTokens, ConfigError, type Config } from '../../src/config.ts';
import type { Db } from '../../src/db/open.ts';
import { createZaloClient, type ZaloClient } from '../../src/zalo/client.ts';
import { createTokenRepository } from '../../src/zalo/token-repository.ts';
import { createTokenManager } from '../../src/zalo/tokens.ts';

// Same assumption as src/main.ts for tokens taken from the environment: about two hours left.
const SEED_TOKEN_LIFETIME_MS = 2 * 60 * 60 * 1000;

/**
 * A Zalo client for a CLI that runs next to (or instead of) the server: it shares the database's token pair, whose
 * refresh is locked in SQLite, so the CLI and the server never spend the same single-use refresh token.
 */
export function createCliZaloClient(config: Config, db: Db, logger: Logger, clock: Clock): ZaloClient {
  if (config.mode !== 'live') {
    throw new ConfigError('This command talks to Zalo: set BOT_MODE=live (demo mode has no real OA to read from).');
  }
  const tokenRepo = createTokenRepository(db);
  assertLiveTokens(config, tokenRepo.get() !== undefined);
  if (config.zalo.accessToken && config.zalo.refreshToken) {
    tokenRepo.seed(config.zalo.accessToken, config.zalo.refreshToken, clock.now().getTime() + SEED_TOKEN_LIFETIME_MS);
  }
  const http = axios.create();
  const tokens = createTokenManager({
    repo: tokenRepo,
    http,
    oauthBaseUrl: config.zalo.oauthBaseUrl,
    appId: config.zalo.appId,
    appSecret: config.zalo.appSecret,
    clock,
    logger,
    timeoutMs: config.zalo.httpTimeoutMs,
  });
  return createZaloClient({ http, apiBaseUrl: config.zalo.apiBaseUrl, tokens, logger, timeoutMs: config.zalo.httpTimeoutMs });
}
