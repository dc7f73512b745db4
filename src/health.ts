import express, { type Router } from 'express';
import type { Clock } from './clock.ts';
import type { Db } from './db/open.ts';
import type { InboxRepository } from './queue/inbox-repository.ts';
import type { OutboxRepository } from './queue/outbox-repository.ts';
import type { TokenManager } from './zalo/tokens.ts';

export interface HealthDeps {
  db: Db;
  mode: string;
  tokens: TokenManager;
  inbox: InboxRepository;
  outbox: OutboxRepository;
  clock: Clock;
}

/** GET /healthz: 200 with the state of the bot, 503 when the database cannot be used. */
export function createHealthRouter(deps: HealthDeps): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    try {
      deps.db.prepare('SELECT 1').get();
      const token = deps.tokens.status();
      const outbox = deps.outbox.counts();
      const lastWebhook = deps.inbox.lastReceivedAt();
      const oldestPending = deps.inbox.oldestPendingAt();
      res.status(200).json({
        status: token.needsReauth ? 'degraded' : 'ok',
        mode: deps.mode,
        db: 'ok',
        token: {
          expiresAt: token.expiresAt ? new Date(token.expiresAt).toISOString() : null,
          needsReauth: token.needsReauth,
        },
        // How many events wait for an answer, and for how long the oldest has waited (0 when none).
        inbox: {
          pending: deps.inbox.countPending(),
          oldestPendingSeconds: oldestPending === undefined ? 0 : Math.max(0, Math.round((deps.clock.now().getTime() - oldestPending) / 1000)),
        },
        outbox: { pending: outbox.pending, failed: outbox.failed, held: outbox.held },
        lastWebhookAt: lastWebhook ? new Date(lastWebhook).toISOString() : null,
      });
    } catch (err) {
      res.status(503).json({ status: 'error', mode: deps.mode, db: 'unavailable', error: (err as Error).message });
    }
  });
  return router;
}
