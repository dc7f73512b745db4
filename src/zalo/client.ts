import type { AxiosInstance, AxiosResponse } from 'axios';
import type { Logger } from 'pino';
import { z } from 'zod';
import { splitText, type Button, type OutgoingMessage } from '../messages.ts';
import { isRetryable, isSafeToRepeat, TOKEN_ERROR_CODES, ZaloApiError, ZaloHttpError } from './errors.ts';
import { classifySendError, type SendLog, type SendReport } from './send-outcome.ts';
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

/** What a read-back of the OA's recent messages to a user says about one part of a message. */
export type ReadBack = 'delivered' | 'not_found' | 'unreadable';

/** Zalo OA API calls the rest of the app uses. */
export interface ZaloClient {
  /**
   * Sends one message (long texts are split); returns Zalo's message ids. Retries only what surely did not reach
   * Zalo; throws otherwise (classify with send-outcome.ts).
   */
  sendMessage(userId: string, message: OutgoingMessage): Promise<{ messageIds: string[] }>;
  /**
   * One attempt at a message from part `fromChunk` on (the parts before it were confirmed earlier): no retries but
   * the token refresh, never throws. The caller owns the retry policy and acts on `outcome`.
   */
  deliver(userId: string, message: OutgoingMessage, options?: { fromChunk?: number }): Promise<SendReport>;
  /**
   * Settles an uncertain part: reads the OA's recent messages to the user and looks for exactly that text sent
   * since `sinceMs`. Only a clear match says 'delivered'.
   */
  readBack(userId: string, message: OutgoingMessage, chunk: number, sinceMs: number): Promise<ReadBack>;
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
  /** Where every message send's outcome is noted (the health check reads it). */
  sendLog?: SendLog;
}

const envelope = z.looseObject({ error: z.coerce.number(), message: z.string().optional(), data: z.unknown().optional() });
const sendData = z.looseObject({ message_id: z.union([z.string(), z.number().transform(String)]).optional() });
const profileData = z.looseObject({
  user_id: z.union([z.string(), z.number().transform(String)]),
  display_name: z.string().optional(),
  user_is_follower: z.boolean().optional(),
});
// GET /v2.0/oa/conversation: the field list is not confirmed (see the reference), so only what a clear match needs
// is read, and anything else makes the read-back 'unreadable' (the caller then falls back to one delayed resend).
const numeric = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);
const idString = z.union([z.string(), z.number().transform(String)]);
const conversationData = z.array(
  z.looseObject({ message: z.unknown().optional(), time: numeric.optional(), from_id: idString.optional(), to_id: idString.optional() }),
);
// Zalo's clock and ours may differ a little: a copy sent up to this long before the attempt still counts.
const READ_BACK_SKEW_MS = 60_000;
const READ_BACK_TIMEOUT_FACTOR = 3;
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

  async function once(token: string, method: 'GET' | 'POST', path: string, payload: unknown, timeoutMs = deps.timeoutMs): Promise<unknown> {
    let res: AxiosResponse;
    try {
      res = await deps.http.request({
        method,
        url: `${deps.apiBaseUrl}${path}`,
        headers: { access_token: token, 'content-type': 'application/json' },
        timeout: timeoutMs,
        validateStatus: () => true,
        transitional: { silentJSONParsing: true, forcedJSONParsing: true, clarifyTimeoutError: true },
        ...(method === 'GET' ? { params: { data: JSON.stringify(payload) } } : { data: payload }),
      });
    } catch (err) {
      // The cause (and its code) stays on the error: whether the request may have been delivered depends on it.
      const code = (err as { code?: string }).code;
      throw new ZaloHttpError(`${method} ${path}: ${code ?? (err as Error).message}`, undefined, { cause: err });
    }
    if (res.status >= 500 || res.status === 429) throw new ZaloHttpError(`${method} ${path}: HTTP ${res.status}`, res.status);
    const body = envelope.safeParse(res.data);
    if (!body.success) throw new ZaloHttpError(`${method} ${path}: unreadable answer (HTTP ${res.status})`, res.status >= 400 ? res.status : undefined);
    if (body.data.error !== 0) throw new ZaloApiError(body.data.error, body.data.message ?? 'unknown error');
    return body.data.data;
  }

  // A failure of the token step means the API call itself was not made: nothing can have been delivered.
  async function tokenStep<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (err) {
      if (err instanceof ZaloHttpError) throw new ZaloHttpError(err.message, err.status, { cause: err, delivery: 'not_sent' });
      throw err;
    }
  }

  /**
   * One call with the token refresh (once, on -216/-220: a refused token delivered nothing) and the backoff. A
   * message send (`mayRepeat: false`) is repeated only after failures that surely had no effect at Zalo.
   */
  async function call(method: 'GET' | 'POST', path: string, payload: unknown, mayRepeat = true, policy = retry, timeoutMs = deps.timeoutMs): Promise<unknown> {
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const token = await tokenStep(() => deps.tokens.getAccessToken());
      try {
        return await once(token, method, path, payload, timeoutMs);
      } catch (err) {
        if (err instanceof ZaloApiError && TOKEN_ERROR_CODES.has(err.code) && !refreshed) {
          refreshed = true;
          deps.logger.warn({ code: err.code, path }, 'Zalo refused the access token; refreshing once');
          await tokenStep(() => deps.tokens.refresh(token));
          attempt--; // the token retry does not count against the backoff budget
          continue;
        }
        if ((mayRepeat ? isRetryable(err) : isSafeToRepeat(err)) && attempt < policy.attempts) {
          const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
          const delay = Math.round(cap / 2 + (random() * cap) / 2);
          deps.logger.warn({ path, attempt, delayMs: delay, err: (err as Error).message }, 'Zalo call failed; retrying');
          await sleep(delay);
          continue;
        }
        throw err;
      }
    }
  }

  const NO_RETRY: RetryPolicy = { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 };
  const sendOne = async (body: Record<string, unknown>, policy: RetryPolicy): Promise<string | undefined> => {
    const data = sendData.safeParse((await call('POST', '/v3.0/oa/message/cs', body, false, policy)) ?? {});
    return data.success ? data.data.message_id : undefined;
  };

  return {
    async sendMessage(userId, message) {
      const ids: string[] = [];
      try {
        for (const body of buildCsBodies(userId, message)) {
          const id = await sendOne(body, retry);
          if (id) ids.push(id);
        }
      } catch (err) {
        deps.sendLog?.record(classifySendError(err).outcome);
        throw err;
      }
      deps.sendLog?.record('sent');
      return { messageIds: ids };
    },
    async deliver(userId, message, options = {}) {
      const bodies = buildCsBodies(userId, message);
      const ids: string[] = [];
      let sent = Math.max(0, options.fromChunk ?? 0);
      for (; sent < bodies.length; sent++) {
        try {
          const id = await sendOne(bodies[sent]!, NO_RETRY);
          if (id) ids.push(id);
        } catch (err) {
          const failure = classifySendError(err);
          deps.sendLog?.record(failure.outcome);
          return { ...failure, chunksSent: sent, chunks: bodies.length, messageIds: ids };
        }
      }
      // A settled message with nothing left to send made no call: it is not a send for the health check.
      if (bodies.length > (options.fromChunk ?? 0)) deps.sendLog?.record('sent');
      return { outcome: 'sent', chunksSent: sent, chunks: bodies.length, messageIds: ids, code: null, error: undefined, night: false };
    },
    async readBack(userId, message, chunk, sinceMs) {
      const body = buildCsBodies(userId, message)[chunk];
      const text = (body?.message as { text?: unknown } | undefined)?.text;
      // Without a text there is nothing to match on (an image, a form): only a resend can settle it.
      if (typeof text !== 'string' || text === '') return 'unreadable';
      let raw: unknown;
      try {
        // A read is safe to repeat, and Zalo is slow when this is needed: the client's retries and a longer timeout.
        raw = await call('GET', '/v2.0/oa/conversation', { user_id: userId, offset: 0, count: 10 }, true, retry, deps.timeoutMs * READ_BACK_TIMEOUT_FACTOR);
      } catch (err) {
        deps.logger.warn({ err: (err as Error).message }, 'Reading back the conversation failed; the message will be resent once');
        return 'unreadable';
      }
      const list = conversationData.safeParse(raw);
      if (!list.success) return 'unreadable';
      const match = list.data.some(
        (m) =>
          m.message === text &&
          m.time !== undefined &&
          m.time >= sinceMs - READ_BACK_SKEW_MS &&
          // Sent by the OA to this user, not the user's own words: one of the two ids must say so.
          (m.from_id !== undefined ? m.from_id !== userId : m.to_id === userId),
      );
      return match ? 'delivered' : 'not_found';
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
