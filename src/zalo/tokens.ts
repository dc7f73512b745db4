import { randomUUID } from 'node:crypto';
import type { AxiosInstance } from 'axios';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import { ZaloHttpError, ZaloReauthRequiredError } from './errors.ts';
import type { TokenRepository, TokenRow } from './token-repository.ts';

const REFRESH_MARGIN_MS = 60 * 60 * 1000; // refresh when less than an hour is left (tokens last ~25 h)
// Issue 12: Zalo rotated the pair but answered after 15 s, past a 10 s timeout. The refresh has its own timeout,
// never shorter than this, and the lease outlives it, so a slow refresh is never overlapped by another.
export const MIN_REFRESH_TIMEOUT_MS = 30_000;
const LOCK_MARGIN_MS = 15_000;
const DEFAULT_EXPIRES_IN_S = 90_000;
const UNKNOWN_ACTION =
  'Re-authorise the OA now (README "Re-authorising the OA"): the bot will not try this refresh token again, and keeps using the current access token until it expires.';

const oauthSuccess = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).optional(),
});

export interface TokenStatus {
  expiresAt: number | undefined;
  needsReauth: boolean;
  reason: string | undefined;
  /** A refresh got no answer: the refresh token may be spent; sends go on with the current access token. */
  refreshOutcomeUnknown: boolean;
}

/** Hands out a valid OA access token; refreshes single-flight, saving the rotated pair before use. */
export interface TokenManager {
  getAccessToken(): Promise<string>;
  /** Refreshes because `staleToken` was refused; returns the stored token if someone else already refreshed. */
  refresh(staleToken?: string): Promise<string>;
  /** Refreshes if the token expires within the margin (called by a timer). */
  refreshIfDue(): Promise<void>;
  status(): TokenStatus;
}

export interface TokenManagerDeps {
  repo: TokenRepository;
  http: AxiosInstance;
  oauthBaseUrl: string;
  appId: string;
  appSecret: string;
  clock: Clock;
  logger: Logger;
  /** The API timeout (the refresh never uses less than MIN_REFRESH_TIMEOUT_MS). */
  timeoutMs: number;
  /** The OAuth refresh's own timeout (ZALO_REFRESH_TIMEOUT_MS, at least 30 s). */
  refreshTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Creates the token manager over the SQLite token store. */
export function createTokenManager(deps: TokenManagerDeps): TokenManager {
  const owner = randomUUID();
  const sleep = deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const refreshTimeoutMs = Math.max(MIN_REFRESH_TIMEOUT_MS, deps.refreshTimeoutMs ?? MIN_REFRESH_TIMEOUT_MS, deps.timeoutMs);
  const lockTtlMs = refreshTimeoutMs + LOCK_MARGIN_MS;
  let inflight: Promise<string> | undefined;

  const current = () => {
    const row = deps.repo.get();
    if (!row) throw new ZaloReauthRequiredError('No Zalo tokens stored: set ZALO_ACCESS_TOKEN and ZALO_REFRESH_TOKEN once, or re-authorise the OA.');
    if (row.needs_reauth) throw new ZaloReauthRequiredError(`Zalo tokens need re-authorisation: ${row.reauth_reason ?? 'refresh refused'}`);
    return row;
  };
  const unknownError = (row: TokenRow) =>
    new ZaloReauthRequiredError(`Zalo token refresh outcome unknown since ${new Date(row.refresh_unknown_at ?? 0).toISOString()}: re-authorise the OA`);

  async function callOauth(refreshToken: string): Promise<z.infer<typeof oauthSuccess>> {
    const form = new URLSearchParams({ app_id: deps.appId, grant_type: 'refresh_token', refresh_token: refreshToken });
    let res;
    try {
      res = await deps.http.post(`${deps.oauthBaseUrl}/v4/oa/access_token`, form.toString(), {
        headers: { secret_key: deps.appSecret, 'content-type': 'application/x-www-form-urlencoded' },
        timeout: refreshTimeoutMs,
        validateStatus: () => true,
        transitional: { silentJSONParsing: true, forcedJSONParsing: true, clarifyTimeoutError: true },
      });
    } catch (err) {
      const failure = new ZaloHttpError(`OAuth refresh failed: ${(err as Error).message}`, undefined, { cause: err });
      if (failure.delivery === 'unknown') {
        // The request may have reached Zalo, which may have rotated the pair: the refresh token may be spent, and
        // sending it again would break the chain for good (needsReauth). Never retry it; tell the operator.
        deps.repo.markRefreshUnknown(deps.clock.now().getTime(), failure.message);
        deps.logger.error(
          { reason: failure.message, errorCode: failure.errorCode, timeoutMs: refreshTimeoutMs, accessTokenValidUntil: new Date(deps.repo.get()?.expires_at ?? 0).toISOString() },
          `Zalo token refresh got no answer, so the refresh token may have been used. ${UNKNOWN_ACTION}`,
        );
      }
      throw failure;
    }
    // Overload, rate limit or a proxy's error page: the refresh token was not judged, so try again later
    // instead of asking a human to re-authorise.
    const transient = res.status >= 500 || res.status === 429 || res.status === 408;
    if (transient || !res.data || typeof res.data !== 'object') {
      throw new ZaloHttpError(`OAuth refresh: HTTP ${res.status}${transient ? '' : ', unreadable answer'}`, res.status);
    }
    const parsed = oauthSuccess.safeParse(res.data);
    if (parsed.success) return parsed.data;
    // Zalo answers refusals with HTTP 200 (or 4xx) and no access_token: the refresh token is spent or invalid.
    const body = res.data as Record<string, unknown>;
    const reason = [body.error_name, body.error_reason, body.error_description, body.error, body.message]
      .filter((v) => v !== undefined && v !== null && v !== '')
      .join(' / ');
    const why = `OAuth refresh refused (HTTP ${res.status}${reason ? `: ${reason}` : ', no access_token'})`;
    deps.repo.markNeedsReauth(why);
    deps.logger.error(
      { reason: why },
      'Zalo refresh token rejected. An OA admin must re-authorise the app (see README "Re-authorising the OA"); messages wait in the outbox meanwhile.',
    );
    throw new ZaloReauthRequiredError(why);
  }

  async function doRefresh(staleToken: string | undefined): Promise<string> {
    const deadline = deps.clock.now().getTime() + lockTtlMs + refreshTimeoutMs;
    for (;;) {
      const row = current();
      const now = deps.clock.now().getTime();
      if (staleToken !== undefined && row.access_token !== staleToken) return row.access_token;
      if (staleToken === undefined && row.expires_at - now > REFRESH_MARGIN_MS) return row.access_token;
      if (row.refresh_unknown_at !== null) throw unknownError(row);
      if (deps.repo.tryLock(owner, now, now + lockTtlMs)) {
        try {
          const fresh = current();
          if (staleToken !== undefined && fresh.access_token !== staleToken) return fresh.access_token;
          if (fresh.refresh_unknown_at !== null) throw unknownError(fresh);
          const result = await callOauth(fresh.refresh_token);
          const expiresIn = result.expires_in === undefined ? DEFAULT_EXPIRES_IN_S : Number(result.expires_in);
          const at = deps.clock.now().getTime();
          deps.repo.save(owner, result.access_token, result.refresh_token, at + expiresIn * 1000, at);
          deps.logger.info({ expiresInS: expiresIn }, 'Zalo access token refreshed');
          return result.access_token;
        } finally {
          deps.repo.unlock(owner);
        }
      }
      // Another process is refreshing: wait for its new pair rather than spending the refresh token twice.
      if (deps.clock.now().getTime() > deadline) throw new ZaloHttpError('Timed out waiting for another process to refresh the Zalo token');
      await sleep(200);
    }
  }

  const refresh = (staleToken?: string): Promise<string> => {
    inflight ??= doRefresh(staleToken).finally(() => {
      inflight = undefined;
    });
    return inflight;
  };

  return {
    async getAccessToken() {
      if (inflight) return inflight;
      const row = current();
      const left = row.expires_at - deps.clock.now().getTime();
      // Refresh outcome unknown: the refresh token is not sent again; the access token serves while it is valid.
      if (row.refresh_unknown_at !== null) {
        if (left > 0) return row.access_token;
        throw unknownError(row);
      }
      if (left <= REFRESH_MARGIN_MS) return refresh();
      return row.access_token;
    },
    refresh,
    async refreshIfDue() {
      const row = deps.repo.get();
      if (!row || row.needs_reauth || row.refresh_unknown_at !== null) return;
      if (row.expires_at - deps.clock.now().getTime() <= REFRESH_MARGIN_MS) await refresh();
    },
    status() {
      const row = deps.repo.get();
      return {
        expiresAt: row?.expires_at,
        needsReauth: !row || row.needs_reauth === 1,
        reason: row ? (row.reauth_reason ?? undefined) : 'no tokens stored',
        refreshOutcomeUnknown: row?.refresh_unknown_at !== null && row?.refresh_unknown_at !== undefined,
      };
    },
  };
}
