import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { InboxRepository } from '../queue/inbox-repository.ts';
import { parseZaloEvent, readTimestamp } from './events.ts';
import { verifySignature } from './signature.ts';

export const WEBHOOK_PATH = '/webhooks/zalo';
export const MAX_WEBHOOK_BYTES = 1024 * 1024;

export interface WebhookDeps {
  appId: string;
  oaSecretKey: string;
  inbox: InboxRepository;
  clock: Clock;
  logger: Logger;
  /** Called after a new event is stored (wakes the dispatcher). */
  onStored: () => void;
}

/** POST /webhooks/zalo: raw body → verify mac → parse → store in the inbox → 200. */
export function createWebhookRouter(deps: WebhookDeps): Router {
  const router = express.Router();
  router.post(
    WEBHOOK_PATH,
    express.raw({ type: () => true, limit: MAX_WEBHOOK_BYTES }),
    (req: Request, res: Response) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const header = req.get('x-zevent-signature');
      if (!header) {
        res.status(401).json({ error: 'unauthorized' });
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        res.status(400).json({ error: 'malformed JSON' });
        return;
      }
      const timestamp = readTimestamp(body);
      if (!timestamp || !verifySignature(raw, header, deps.appId, timestamp, deps.oaSecretKey)) {
        deps.logger.warn({ reqId: req.id }, 'Webhook with a wrong signature refused');
        res.status(401).json({ error: 'unauthorized' });
        return;
      }
      const parsed = parseZaloEvent(body);
      if (!parsed.ok) {
        deps.logger.warn({ reqId: req.id, problem: parsed.error }, 'Signed webhook body does not match any Zalo event shape');
        res.status(400).json({ error: 'invalid event' });
        return;
      }
      const { event, key } = parsed;
      let stored: boolean;
      try {
        stored = deps.inbox.insert({
          eventKey: key,
          eventName: event.eventName,
          userId: event.userId,
          payload: raw.toString('utf8'),
          receivedAt: deps.clock.now().getTime(),
        });
      } catch (err) {
        // The database stayed locked past the busy timeout: Zalo retries a non-200, so nothing is lost.
        deps.logger.error({ err: (err as Error).message }, 'Could not store a webhook event; Zalo will redeliver it');
        res.setHeader('retry-after', '5');
        res.status(503).json({ error: 'busy, retry later' });
        return;
      }
      if (event.type === 'unknown') deps.logger.info({ event: event.eventName }, 'Unknown Zalo event stored');
      res.status(200).json({ ok: true, duplicate: !stored });
      if (stored) deps.onStored();
    },
  );
  return router;
}
