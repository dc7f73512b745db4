import express, { type Router } from 'express';
import type { Clock } from './clock.ts';
import type { Db } from './db/open.ts';
import type { InboxRepository } from './queue/inbox-repository.ts';
import type { OutboxRepository } from './queue/outbox-repository.ts';
import type { SendLog } from './zalo/send-outcome.ts';
import type { TokenManager } from './zalo/tokens.ts';

// Issue 12: /healthz said "ok" while nothing was delivered (every call -216, disk full, Zalo slow). It now names
// each problem in plain words; the details (token expiry, queue sizes, last webhook) are for staff only.

/** A pending outbox message older than this means replies are not going out. */
const OUTBOX_STALE_MS = 5 * 60_000;
/** "The last N sends all failed". */
const SEND_WINDOW = 20;
// Bigger than a page, so the probe must allocate pages: a database at its size limit refuses it.
const PROBE_BYTES = 16 * 1024;

/** Recent write failures reported by the writers (outbox outcomes, inbox commits): a full disk shows here first. */
export interface WriteHealth {
  succeeded(): void;
  failed(err: unknown): void;
  /** The last write failed and none has worked since. */
  current(): { failing: boolean; error: string | undefined; sinceMs: number | undefined };
}

/** Tracks whether the latest database write worked. */
export function createWriteHealth(clock: Clock): WriteHealth {
  let failingSince: number | undefined;
  let error: string | undefined;
  return {
    succeeded() {
      failingSince = undefined;
      error = undefined;
    },
    failed(err) {
      failingSince ??= clock.now().getTime();
      error = err instanceof Error ? err.message : String(err);
    },
    current: () => ({ failing: failingSince !== undefined, error, sinceMs: failingSince }),
  };
}

export interface HealthDeps {
  db: Db;
  mode: string;
  tokens: TokenManager;
  inbox: InboxRepository;
  outbox: OutboxRepository;
  clock: Clock;
  /** Outcomes of the latest sends through the Zalo client (replies and broadcasts). */
  sendLog?: SendLog;
  writes?: WriteHealth;
}

export type HealthStatus = 'ok' | 'degraded' | 'down';

/** The whole picture: `status` and `reasons` are public, `details` are for staff. */
export interface HealthReport {
  status: HealthStatus;
  reasons: string[];
  details: Record<string, unknown>;
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/** Tries a write in a transaction that is rolled back: nothing is kept, but a full or read-only database refuses. */
function probeWrite(db: Db): string | undefined {
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (err) {
    return (err as { code?: string }).code === 'SQLITE_BUSY' ? 'another process holds the write lock' : (err as Error).message;
  }
  try {
    db.prepare(`INSERT INTO app_state (key, value, updated_at) VALUES ('health_probe', zeroblob(${PROBE_BYTES}), 0)
                ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  } finally {
    // A failed statement may already have rolled the transaction back.
    if (db.inTransaction) db.exec('ROLLBACK');
  }
}

/** Computes the health report from the bot's parts. */
export function createHealthCheck(deps: HealthDeps): () => HealthReport {
  return () => {
    try {
      deps.db.prepare('SELECT 1').get();
    } catch (err) {
      return { status: 'down', reasons: [`database unusable: ${(err as Error).message}`], details: { mode: deps.mode, db: { usable: false, writable: false } } };
    }
    const now = deps.clock.now().getTime();
    const reasons: string[] = [];
    const token = deps.tokens.status();
    if (token.needsReauth) reasons.push(`Zalo token needs re-authorisation by an OA admin (${token.reason ?? 'refresh refused'})`);
    else if (token.refreshOutcomeUnknown) reasons.push('token refresh outcome unknown — re-authorise if sends fail');

    const backlog = deps.outbox.backlog();
    const oldestPendingMs = backlog.oldestCreatedAt === undefined ? 0 : Math.max(0, now - backlog.oldestCreatedAt);
    if (oldestPendingMs > OUTBOX_STALE_MS) {
      reasons.push(`outbox: the oldest pending message has waited ${Math.floor(oldestPendingMs / 60_000)} minutes`);
    }
    const sends = deps.sendLog?.recent();
    if (sends && sends.count >= SEND_WINDOW && sends.notSent === sends.count) {
      reasons.push(`the last ${SEND_WINDOW} sends all failed (latest: ${sends.latest ?? 'unknown'})`);
    }
    const probeError = probeWrite(deps.db);
    const writes = deps.writes?.current();
    const writeError = probeError ?? (writes?.failing ? writes.error : undefined);
    if (writeError !== undefined) reasons.push(`database cannot be written: ${writeError}`);

    const counts = deps.outbox.counts();
    const lastWebhook = deps.inbox.lastReceivedAt();
    const oldestInbox = deps.inbox.oldestPendingAt();
    return {
      status: reasons.length > 0 ? 'degraded' : 'ok',
      reasons,
      details: {
        mode: deps.mode,
        db: { usable: true, writable: writeError === undefined, ...(writes?.failing ? { writesFailingSince: iso(writes.sinceMs) } : {}) },
        token: { expiresAt: iso(token.expiresAt), needsReauth: token.needsReauth, refreshOutcomeUnknown: token.refreshOutcomeUnknown },
        // How many events wait for an answer, and for how long the oldest has waited (0 when none).
        inbox: {
          pending: deps.inbox.countPending(),
          oldestPendingSeconds: oldestInbox === undefined ? 0 : Math.max(0, Math.round((now - oldestInbox) / 1000)),
        },
        outbox: { pending: counts.pending, failed: counts.failed, held: counts.held, unknown: backlog.unknown, oldestPendingSeconds: Math.round(oldestPendingMs / 1000) },
        sends: sends ? { recent: sends.count, notSent: sends.notSent, latest: sends.latest ?? null } : null,
        lastWebhookAt: iso(lastWebhook),
      },
    };
  };
}

/** GET /healthz (public): `{status, reasons}`; 200 for ok and degraded, 503 for down (database unusable). */
export function createHealthRouter(check: () => HealthReport): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    const { status, reasons } = check();
    res.status(status === 'down' ? 503 : 200).json({ status, reasons });
  });
  return router;
}

/** GET /health under /admin/api (staff only): the report with its details. Always 200 when it can answer. */
export function createAdminHealthRouter(check: () => HealthReport): Router {
  const router = express.Router();
  router.get('/health', (_req, res) => {
    const { status, reasons, details } = check();
    res.json({ status, reasons, ...details });
  });
  return router;
}
