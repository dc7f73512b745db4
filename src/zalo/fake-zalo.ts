import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';

// A small fake of Zalo's OA API and OAuth host, spoken over real HTTP. Demo mode, the simulator,
// benchmarks and end-to-end tests point ZALO_API_BASE_URL / ZALO_OAUTH_BASE_URL at it.

/** A message the fake received on /v3.0/oa/message/cs or /v2.0/oa/message. */
export interface FakeSentMessage {
  seq: number;
  messageId: string;
  userId: string;
  body: Record<string, unknown>;
  at: number;
}

export interface FakeZaloOptions {
  /** Accept any access/refresh token (demo mode, where the store outlives the fake). */
  lenientTokens?: boolean;
  accessToken?: string;
  refreshToken?: string;
  expiresIn?: number;
  /** Chance (0–1) that an API call fails with a random fault (HTTP 500, timeout, -32, -220, bad JSON). */
  failRate?: number;
  /** Added latency per call, in ms. */
  latencyMs?: number;
  /** Follower ids served by /v3.0/oa/user/getlist. */
  followers?: string[];
  /** Users outside the 7-day window: sends to them fail with -230. */
  outOfWindow?: Set<string>;
  /**
   * Zalo's night refusal (-234) for CS sends and article broadcasts: true for everyone, a set for some users
   * ('__broadcast__' stands for the article broadcast). Mutable: a test switches it off when "morning" comes.
   */
  nightRefused?: boolean | Set<string>;
  /**
   * A slow Zalo that still delivers: CS sends are recorded at once but answered only after this many ms (past the
   * client's timeout, the bot cannot know the message went out).
   */
  lateAnswerMs?: number;
  /** The OAuth host rotates the pair at once but answers after this many ms (a slow refresh). */
  oauthLatencyMs?: number;
  /** GET /v2.0/oa/conversation answers -209 (read-back unavailable) instead of the recent messages. */
  conversationUnsupported?: boolean;
  /** Called after each message is recorded (tests use it to act in the middle of a fan-out). */
  onSend?: (message: FakeSentMessage) => void;
  random?: () => number;
}

export interface FakeZalo {
  url: string;
  sent: FakeSentMessage[];
  /** Messages for a user after a sequence number (the simulator polls this). */
  messagesFor(userId: string, afterSeq?: number): FakeSentMessage[];
  oauthCalls: number;
  apiCalls: number;
  state: { accessToken: string; refreshToken: string };
  options: FakeZaloOptions;
  close(): Promise<void>;
}

/** Starts the fake on 127.0.0.1 (port 0 = any free port). */
export async function startFakeZalo(options: FakeZaloOptions = {}, port = 0): Promise<FakeZalo> {
  const random = options.random ?? Math.random;
  const app = express();
  let seq = 0;
  const fake: Omit<FakeZalo, 'url' | 'close'> = {
    sent: [],
    messagesFor: (userId, afterSeq = 0) => fake.sent.filter((m) => m.userId === userId && m.seq > afterSeq),
    oauthCalls: 0,
    apiCalls: 0,
    state: { accessToken: options.accessToken ?? 'fake-access-1', refreshToken: options.refreshToken ?? 'fake-refresh-1' },
    options,
  };
  const articles = new Map<string, string>();

  const tokenOk = (token: string | undefined) => (options.lenientTokens ? Boolean(token) : token === fake.state.accessToken);

  app.post('/v4/oa/access_token', express.urlencoded({ extended: false }), async (req, res) => {
    fake.oauthCalls++;
    const given = String(req.body?.refresh_token ?? '');
    if (!options.lenientTokens && given !== fake.state.refreshToken) {
      res.json({ error_name: 'invalid_grant', error_reason: 'Invalid refresh token', error_description: 'refresh token is invalid or used' });
      return;
    }
    const n = Number(/(\d+)$/.exec(fake.state.refreshToken)?.[1] ?? '1') + 1;
    fake.state = { accessToken: `fake-access-${n}`, refreshToken: `fake-refresh-${n}` };
    if (options.oauthLatencyMs) await new Promise((r) => setTimeout(r, options.oauthLatencyMs));
    res.json({ access_token: fake.state.accessToken, refresh_token: fake.state.refreshToken, expires_in: String(options.expiresIn ?? 90000) });
  });

  // Fault injection and latency for every OA API call.
  app.use(async (req, res, next) => {
    fake.apiCalls++;
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    if (options.failRate && random() < options.failRate) {
      const fault = Math.floor(random() * 5);
      if (fault === 0) return void res.status(500).json({ error: -1, message: 'internal' });
      if (fault === 1) return; // never answers: the client times out
      if (fault === 2) return void res.json({ error: -32, message: 'Your application reached limit call api' });
      if (fault === 3) {
        fake.state.accessToken = `${fake.state.accessToken}-expired`;
        return void res.json({ error: -220, message: 'access_token expired' });
      }
      return void res.type('application/json').send('{"error":0,"data":');
    }
    if (!tokenOk(req.get('access_token'))) return void res.json({ error: -216, message: 'Access token is invalid' });
    next();
  });

  const record = (userId: string, body: Record<string, unknown>) => {
    const m: FakeSentMessage = { seq: ++seq, messageId: randomUUID().replace(/-/g, ''), userId, body, at: Date.now() };
    fake.sent.push(m);
    options.onSend?.(m);
    return m;
  };
  const refusedAtNight = (userId: string) => {
    const night = fake.options.nightRefused;
    return night === true || (night instanceof Set && night.has(userId));
  };
  const NIGHT = { error: -234, message: 'Cannot send this message type at night (22:00 - 06:00)' };

  app.post('/v3.0/oa/message/cs', express.json({ limit: '1mb' }), (req, res) => {
    const userId = String(req.body?.recipient?.user_id ?? '');
    const textLen = typeof req.body?.message?.text === 'string' ? req.body.message.text.length : 0;
    if (!userId) return void res.json({ error: -201, message: 'parameter user_id is invalid' });
    if (textLen > 2000) return void res.json({ error: -210, message: 'text exceeds 2000 characters' });
    if (options.outOfWindow?.has(userId)) return void res.json({ error: -230, message: 'User has not interacted with the OA in the past 7 days' });
    if (refusedAtNight(userId)) return void res.json(NIGHT);
    const m = record(userId, req.body);
    const answer = () => res.json({ error: 0, message: 'Success', data: { message_id: m.messageId, user_id: userId } });
    if (options.lateAnswerMs) setTimeout(() => (res.writable ? answer() : undefined), options.lateAnswerMs);
    else answer();
  });

  // The OA's recent messages with one user, newest first (the shape the bot's read-back expects; Zalo's own field
  // list is not confirmed, see the reference).
  app.get('/v2.0/oa/conversation', (req, res, next) => {
    if (options.conversationUnsupported) return void next();
    const data = JSON.parse(String(req.query.data ?? '{}')) as { user_id?: string; offset?: number; count?: number };
    if (!data.user_id) return void res.json({ error: -201, message: 'parameter user_id is invalid' });
    const offset = Number(data.offset ?? 0);
    const count = Math.min(10, Number(data.count ?? 10));
    const mine = fake.sent.filter((m) => m.userId === data.user_id).reverse().slice(offset, offset + count);
    res.json({
      error: 0,
      message: 'Success',
      data: mine.map((m) => {
        const msg = m.body.message as { text?: unknown } | undefined;
        return { src: 0, time: m.at, type: 'text', message: typeof msg?.text === 'string' ? msg.text : '', message_id: m.messageId, from_id: 'oa', to_id: m.userId };
      }),
    });
  });

  app.get('/v3.0/oa/user/detail', (req, res) => {
    const data = JSON.parse(String(req.query.data ?? '{}')) as { user_id?: string };
    if (!data.user_id) return void res.json({ error: -201, message: 'parameter user_id is invalid' });
    res.json({ error: 0, message: 'Success', data: { user_id: data.user_id, display_name: `Demo user ${data.user_id.slice(-4)}`, user_is_follower: true } });
  });

  app.get('/v3.0/oa/user/getlist', (req, res) => {
    const data = JSON.parse(String(req.query.data ?? '{}')) as { offset?: number; count?: number };
    const all = options.followers ?? [];
    const offset = Number(data.offset ?? 0);
    const count = Math.min(50, Number(data.count ?? 50));
    const users = all.slice(offset, offset + count).map((user_id) => ({ user_id }));
    res.json({ error: 0, message: 'Success', data: { total: all.length, count: users.length, offset, users } });
  });

  app.post('/v2.0/article/create', express.json({ limit: '1mb' }), (req, res) => {
    const token = `article-token-${articles.size + 1}`;
    articles.set(token, `article-${articles.size + 1}`);
    record('__article__', req.body);
    res.json({ error: 0, message: 'Success', data: { token } });
  });

  app.post('/v2.0/article/verify', express.json(), (req, res) => {
    const id = articles.get(String(req.body?.token ?? ''));
    if (!id) return void res.json({ error: -201, message: 'token is invalid' });
    res.json({ error: 0, message: 'Success', data: { id } });
  });

  app.post('/v2.0/oa/message', express.json({ limit: '1mb' }), (req, res) => {
    if (refusedAtNight('__broadcast__')) return void res.json(NIGHT);
    const m = record('__broadcast__', req.body);
    res.json({ error: 0, message: 'Success', data: { message_id: m.messageId } });
  });

  app.use((_req, res) => {
    res.json({ error: -209, message: 'API not supported by the fake' });
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s));
  });
  const { port: actual } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
