import type { AxiosInstance, AxiosResponse } from 'axios';
import type { Logger } from 'pino';
import { z } from 'zod';
import { splitText, type Button, type OutgoingMessage } from '../messages.ts';
import { isRetryable, TOKEN_ERROR_CODES, ZaloApiError, ZaloHttpError } from './errors.ts';
import type { TokenManager } from './tokens.ts';

/** Backoff for retryable failures: attempts in total, and the base delay doubled each time (full jitter). */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

// 6 attempts with 2 s doubling, capped at 60 s: about two minutes in the worst case.
export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 2_000, maxDelayMs: 60_000 };

export interface ZaloProfile {
  userId: string;
  displayName: string | undefined;
  isFollower: boolean | undefined;
}

/** Zalo OA API calls the rest of the app uses. */
export interface ZaloClient {
  /** Sends one message (long texts are split); returns Zalo's message ids. */
  sendMessage(userId: string, message: OutgoingMessage): Promise<{ messageIds: string[] }>;
  getProfile(userId: string): Promise<ZaloProfile>;
  /** One page of followers (count ≤ 50). */
  getFollowers(offset: number, count?: number): Promise<{ total: number; userIds: string[] }>;
  /** Generic call used by features with their own endpoints (articles, broadcast). */
  post(path: string, body: unknown): Promise<Record<string, unknown>>;
}

export interface ZaloClientDeps {
  http: AxiosInstance;
  apiBaseUrl: string;
  tokens: TokenManager;
  logger: Logger;
  timeoutMs: number;
  retry?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const envelope = z.looseObject({ error: z.coerce.number(), message: z.string().optional(), data: z.unknown().optional() });
const sendData = z.looseObject({ message_id: z.union([z.string(), z.number().transform(String)]).optional() });
const profileData = z.looseObject({
  user_id: z.union([z.string(), z.number().transform(String)]),
  display_name: z.string().optional(),
  user_is_follower: z.boolean().optional(),
});
const followersData = z.looseObject({
  total: z.coerce.number(),
  users: z.array(z.looseObject({ user_id: z.union([z.string(), z.number().transform(String)]) })).default([]),
});

/** Maps our buttons to Zalo's template buttons. */
function wireButton(b: Button): Record<string, unknown> {
  switch (b.kind) {
    case 'query':
      return { title: b.title, type: 'oa.query.hide', payload: b.payload };
    case 'url':
      return { title: b.title, type: 'oa.open.url', payload: { url: b.url } };
    case 'phone':
      return { title: b.title, type: 'oa.open.phone', payload: { phone_code: b.phone } };
  }
}

/** Builds the `/v3.0/oa/message/cs` bodies for one outgoing message (several when the text is long). */
export function buildCsBodies(userId: string, message: OutgoingMessage): Record<string, unknown>[] {
  const recipient = { user_id: userId };
  switch (message.kind) {
    case 'text': {
      const chunks = splitText(message.text);
      return chunks.map((chunk, i) => {
        const last = i === chunks.length - 1;
        const buttons = last && message.buttons && message.buttons.length > 0 ? message.buttons.slice(0, 5) : undefined;
        return {
          recipient,
          message: buttons
            ? { text: chunk, attachment: { type: 'template', payload: { buttons: buttons.map(wireButton) } } }
            : { text: chunk },
        };
      });
    }
    case 'image':
      return [
        {
          recipient,
          message: {
            ...(message.text ? { text: message.text.slice(0, 2000) } : {}),
            attachment: { type: 'template', payload: { template_type: 'media', elements: [{ media_type: 'image', url: message.imageUrl }] } },
          },
        },
      ];
    case 'request_user_info':
      return [
        {
          recipient,
          message: {
            attachment: {
              type: 'template',
              payload: {
                template_type: 'request_user_info',
                elements: [{ title: message.title, subtitle: message.subtitle, ...(message.imageUrl ? { image_url: message.imageUrl } : {}) }],
              },
            },
          },
        },
      ];
  }
}

/** Creates the Zalo OA client: token header, typed errors, refresh on -216/-220, bounded backoff. */
export function createZaloClient(deps: ZaloClientDeps): ZaloClient {
  const retry = deps.retry ?? DEFAULT_RETRY;
  const sleep = deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const random = deps.random ?? Math.random;

  async function once(token: string, method: 'GET' | 'POST', path: string, payload: unknown): Promise<unknown> {
    let res: AxiosResponse;
    try {
      res = await deps.http.request({
        method,
        url: `${deps.apiBaseUrl}${path}`,
        headers: { access_token: token, 'content-type': 'application/json' },
        timeout: deps.timeoutMs,
        validateStatus: () => true,
        transitional: { silentJSONParsing: true, forcedJSONParsing: true, clarifyTimeoutError: true },
        ...(method === 'GET' ? { params: { data: JSON.stringify(payload) } } : { data: payload }),
      });
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw new ZaloHttpError(`${method} ${path}: ${code ?? (err as Error).message}`);
    }
    if (res.status >= 500 || res.status === 429) throw new ZaloHttpError(`${method} ${path}: HTTP ${res.status}`, res.status);
    const body = envelope.safeParse(res.data);
    if (!body.success) throw new ZaloHttpError(`${method} ${path}: unreadable answer (HTTP ${res.status})`, res.status >= 400 ? res.status : undefined);
    if (body.data.error !== 0) throw new ZaloApiError(body.data.error, body.data.message ?? 'unknown error');
    return body.data.data;
  }

  async function call(method: 'GET' | 'POST', path: string, payload: unknown): Promise<unknown> {
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const token = await deps.tokens.getAccessToken();
      try {
        return await once(token, method, path, payload);
      } catch (err) {
        if (err instanceof ZaloApiError && TOKEN_ERROR_CODES.has(err.code) && !refreshed) {
          refreshed = true;
          deps.logger.warn({ code: err.code, path }, 'Zalo refused the access token; refreshing once');
          await deps.tokens.refresh(token);
          attempt--; // the token retry does not count against the backoff budget
          continue;
        }
        if (isRetryable(err) && attempt < retry.attempts) {
          const cap = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
          const delay = Math.round(cap / 2 + (random() * cap) / 2);
          deps.logger.warn({ path, attempt, delayMs: delay, err: (err as Error).message }, 'Zalo call failed; retrying');
          await sleep(delay);
          continue;
        }
        throw err;
      }
    }
  }

  return {
    async sendMessage(userId, message) {
      const ids: string[] = [];
      for (const body of buildCsBodies(userId, message)) {
        const data = sendData.safeParse((await call('POST', '/v3.0/oa/message/cs', body)) ?? {});
        if (data.success && data.data.message_id) ids.push(data.data.message_id);
      }
      return { messageIds: ids };
    },
    async getProfile(userId) {
      const data = profileData.parse(await call('GET', '/v3.0/oa/user/detail', { user_id: userId }));
      return { userId: data.user_id, displayName: data.display_name, isFollower: data.user_is_follower };
    },
    async getFollowers(offset, count = 50) {
      const data = followersData.parse(
        await call('GET', '/v3.0/oa/user/getlist', { offset, count: Math.min(50, count), is_follower: 'true' }),
      );
      return { total: data.total, userIds: data.users.map((u) => u.user_id) };
    },
    async post(path, body) {
      const data = await call('POST', path, body);
      return data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
    },
  };
}
