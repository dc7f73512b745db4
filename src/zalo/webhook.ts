import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import getRawBody from 'raw-body';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { InboxWriter } from '../queue/inbox-writer.ts';
import { parseZaloEvent, readTimestamp } from './events.ts';
import { parseWebhookJson } from './json.ts';
import { verifySignature } from './signature.ts';

export const WEBHOOK_PATH = '/webhooks/zalo';
export const MAX_WEBHOOK_BYTES = 1024 * 1024;
/**
 * Replay window on the body's `timestamp` (ms; the MAC covers it): a captured request is worthless after a day,
 * which still takes Zalo's redeliveries after an outage of some hours; 10 minutes ahead allows for clock skew.
 */
export const MAX_EVENT_AGE_MS = 24 * 3600_000;
export const MAX_EVENT_AHEAD_MS = 10 * 60_000;

export interface WebhookDeps {
  appId: string;
  oaSecretKey: string;
  /** Stores events (group commit); a 200 goes out only after the event is committed. */
  inbox: InboxWriter;
  clock: Clock;
  logger: Logger;
  /** Called after a new event is stored (wakes the dispatcher). */
  onStored: () => void;
  /** Called for every request read, before any work (lets background work give way to acks). */
  onRequest?: () => void;
}

export type WebhookHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * True for the requests the webhook handler takes: POST /webhooks/zalo, matched as express routes are (any case, an
 * optional trailing slash, any query string), so a URL already registered with Zalo keeps working.
 */
export function isWebhookRequest(req: IncomingMessage): boolean {
  if (req.method !== 'POST' || req.url === undefined) return false;
  const query = req.url.indexOf('?');
  let path = query === -1 ? req.url : req.url.slice(0, query);
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return path.length === WEBHOOK_PATH.length && path.toLowerCase() === WEBHOOK_PATH;
}

const REQUEST_ID = /^[\w.-]{1,64}$/;

function reply(res: ServerResponse, status: number, body: object, requestId: string, extra?: Record<string, string>): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    'x-request-id': requestId,
    ...extra,
  });
  res.end(json);
}

/**
 * POST /webhooks/zalo: raw body → verify mac → replay window → parse → store in the inbox → 200.
 *
 * This is the one hot path of the server, so it is a plain Node handler that the server calls before express:
 * express's router, body parser and response helpers cost about a third of every ack. The body is read with
 * raw-body (the reader behind express.raw), with the same 1 MB limit.
 */
export function createWebhookHandler(deps: WebhookDeps): WebhookHandler {
  function handle(req: IncomingMessage, res: ServerResponse, raw: Buffer, requestId: string): void {
    const header = req.headers['x-zevent-signature'];
    if (typeof header !== 'string' || header === '') {
      reply(res, 401, { error: 'unauthorized' }, requestId);
      return;
    }
    const text = raw.toString('utf8');
    let body: unknown;
    try {
      body = parseWebhookJson(text);
    } catch {
      reply(res, 400, { error: 'malformed JSON' }, requestId);
      return;
    }
    const timestamp = readTimestamp(body);
    if (!timestamp || !verifySignature(raw, header, deps.appId, timestamp, deps.oaSecretKey)) {
      deps.logger.warn({ reqId: requestId }, 'Webhook with a wrong signature refused');
      reply(res, 401, { error: 'unauthorized' }, requestId);
      return;
    }
    const age = deps.clock.now().getTime() - Number(timestamp);
    if (age > MAX_EVENT_AGE_MS || age < -MAX_EVENT_AHEAD_MS) {
      // A 4xx, not a 200: if the clock here is wrong, Zalo's retries show up in the logs instead of vanishing.
      deps.logger.warn({ reqId: requestId, timestamp, ageSeconds: Math.round(age / 1000) }, 'Signed webhook outside the replay window refused (check the server clock if this repeats)');
      reply(res, 400, { error: 'event timestamp outside the accepted window' }, requestId);
      return;
    }
    const parsed = parseZaloEvent(body);
    if (!parsed.ok) {
      deps.logger.warn({ reqId: requestId, problem: parsed.error }, 'Signed webhook body does not match any Zalo event shape');
      reply(res, 400, { error: 'invalid event' }, requestId);
      return;
    }
    const { event, key } = parsed;
    deps.inbox.store({ eventKey: key, eventName: event.eventName, userId: event.userId, payload: text, receivedAt: deps.clock.now().getTime() }).then(
      (stored) => {
        if (event.type === 'unknown') deps.logger.info({ event: event.eventName }, 'Unknown Zalo event stored');
        reply(res, 200, { ok: true, duplicate: !stored }, requestId);
        if (stored) deps.onStored();
      },
      (err: Error) => {
        // The database stayed locked past the busy timeout: Zalo retries a non-200, so nothing is lost.
        deps.logger.error({ reqId: requestId, err: err.message }, 'Could not store a webhook event; Zalo will redeliver it');
        reply(res, 503, { error: 'busy, retry later' }, requestId, { 'retry-after': '5' });
      },
    );
  }

  return (req, res) => {
    deps.onRequest?.();
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding !== 'identity') {
      // The MAC is over the bytes Zalo signed; Zalo sends them uncompressed.
      req.resume();
      reply(res, 415, { error: 'unsupported content encoding' }, requestId);
      return;
    }
    getRawBody(req, { limit: MAX_WEBHOOK_BYTES, length: req.headers['content-length'] }, (err, raw) => {
      if (err) {
        const tooLarge = (err as { type?: string }).type === 'entity.too.large';
        // Read off the rest of the body first (as body-parser does), so the client sees the answer and not a reset.
        let answered = false;
        const answer = () => {
          if (answered || res.headersSent || res.destroyed) return;
          answered = true;
          reply(res, tooLarge ? 413 : 400, { error: tooLarge ? 'body too large' : 'bad request' }, requestId);
        };
        if (req.readableEnded) answer();
        else {
          req.once('end', answer);
          req.once('close', answer);
          req.resume();
        }
        return;
      }
      try {
        handle(req, res, raw, requestId);
      } catch (e) {
        deps.logger.error({ reqId: requestId, err: (e as Error).message, stack: (e as Error).stack }, 'Unhandled error in the webhook');
        if (!res.headersSent) reply(res, 500, { error: 'internal error' }, requestId);
      }
    });
  };
}
