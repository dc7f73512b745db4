import type { Db } from '../db/open.ts';
import type { OutgoingMessage } from '../messages.ts';

/**
 * A message waiting to be sent, being sent, sent, failed, held until the citizen writes again, or 'unknown': Zalo
 * may or may not have delivered it (a timeout, a reset, a crash mid-send).
 */
export interface OutboxRow {
  id: number;
  dedupe_key: string;
  user_id: string;
  payload: string;
  purpose: string;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'held' | 'unknown';
  attempts: number;
  next_attempt_at: number;
  last_error_code: number | null;
  last_error: string | null;
  created_at: number;
  /** Parts of a long text Zalo confirmed: a later attempt resumes after them. */
  chunks_sent: number;
  /** For an 'unknown' row: when it is read back and, if not found, resent once. NULL: no resend left. */
  resend_at: number | null;
  /** 1 once the row's single resend of an unknown outcome has been used. */
  resent: number;
  /** When the attempt whose outcome is unknown started (a read-back trusts copies from then on). */
  uncertain_since: number | null;
}

/** A row claimed for sending; `settle` when it was 'unknown' and is now read back (then resent once if not found). */
export type ClaimedOutboxRow = OutboxRow & { settle: boolean };

export interface NewOutboxMessage {
  dedupeKey: string;
  userId: string;
  message: OutgoingMessage;
  purpose?: string;
}

export interface OutboxRepository {
  /** Adds messages; a dedupe key already present is skipped (reprocessing never enqueues twice). Returns rows added. */
  enqueue(messages: NewOutboxMessage[], now: number): number;
  /**
   * Claims up to `limit` due rows: 'unknown' rows whose resend is due first, then pending rows in per-user order (a
   * user's later row waits for an earlier pending one; one in flight in this process is excluded by `exceptUsers`).
   */
  claimDue(now: number, limit: number, exceptUsers: ReadonlySet<string>): ClaimedOutboxRow[];
  markSent(id: number, now: number, zaloMessageId: string | undefined, chunksSent?: number): void;
  markFailed(id: number, code: number | null, error: string, chunksSent?: number): void;
  /** Puts a row back for another attempt at `at`. */
  retryAt(id: number, at: number, code: number | null, error: string, chunksSent?: number): void;
  /** Records an unknown outcome: read back and resent once at `resendAt`, or never again when null. */
  markUnknown(id: number, u: { resendAt: number | null; since: number; chunksSent: number; error: string }): void;
  /** Pending rows (in flight and unknown rows awaiting their resend included): how many, and the oldest's creation. */
  backlog(): { pending: number; unknown: number; oldestCreatedAt: number | undefined };
  /** Keeps a row aside until the user interacts again (Zalo's 7-day window closed). */
  hold(id: number, code: number, error: string): void;
  /** Releases the user's held rows so they go out now. */
  releaseHeld(userId: string, now: number): number;
  /**
   * Rows left 'sending' by a crash become 'unknown', due now: they are read back and resent once if not found (the
   * process may have died after Zalo took the message but before it was recorded).
   */
  recoverInFlight(now: number): number;
  counts(): { pending: number; failed: number; held: number };
  nextDueAt(): number | undefined;
  /** Deletes every message to a user that is not in flight (erasure on request). */
  forgetUser(userId: string): void;
}

/** SQLite outbox. */
export function createOutboxRepository(db: Db): OutboxRepository {
  const insert = db.prepare(
    `INSERT INTO outbox (dedupe_key, user_id, payload, purpose, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(dedupe_key) DO NOTHING`,
  );
  // Walks pending rows in id order (a partial index holding next_attempt_at too) and stops at the limit; the planner
  // would otherwise pick outbox_due and sort the whole due backlog on every claim.
  const due = db.prepare(
    `SELECT * FROM outbox o INDEXED BY outbox_pending_order WHERE o.status = 'pending' AND o.next_attempt_at <= ?
       AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.user_id = o.user_id AND p.id < o.id AND p.status = 'pending')
     ORDER BY o.id LIMIT ?`,
  );
  const claim = db.prepare(`UPDATE outbox SET status = 'sending', attempts = attempts + 1 WHERE id = ? AND status = 'pending'`);
  const dueUnknown = db.prepare(
    `SELECT * FROM outbox INDEXED BY outbox_resend_due WHERE status = 'unknown' AND resend_at IS NOT NULL AND resend_at <= ? ORDER BY resend_at LIMIT ?`,
  );
  const claimUnknown = db.prepare(
    `UPDATE outbox SET status = 'sending', attempts = attempts + 1, resent = 1, resend_at = NULL WHERE id = ? AND status = 'unknown'`,
  );
  const sent = db.prepare(
    `UPDATE outbox SET status = 'sent', sent_at = ?, zalo_message_id = coalesce(?, zalo_message_id), chunks_sent = coalesce(?, chunks_sent), last_error = NULL WHERE id = ?`,
  );
  const failed = db.prepare(`UPDATE outbox SET status = 'failed', last_error_code = ?, last_error = ?, chunks_sent = coalesce(?, chunks_sent) WHERE id = ?`);
  const retry = db.prepare(
    `UPDATE outbox SET status = 'pending', next_attempt_at = ?, last_error_code = ?, last_error = ?, chunks_sent = coalesce(?, chunks_sent) WHERE id = ?`,
  );
  const unknown = db.prepare(
    `UPDATE outbox SET status = 'unknown', resend_at = ?, uncertain_since = ?, chunks_sent = ?, last_error_code = NULL, last_error = ? WHERE id = ?`,
  );
  const backlog = db.prepare(
    `SELECT (SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')) AS pending,
            (SELECT count(*) FROM outbox WHERE status = 'unknown') AS unknown,
            (SELECT min(created_at) FROM outbox WHERE status IN ('pending', 'sending')) AS oldestPending,
            (SELECT min(created_at) FROM outbox INDEXED BY outbox_resend_due WHERE status = 'unknown' AND resend_at IS NOT NULL) AS oldestUnknown`,
  );
  const hold = db.prepare(`UPDATE outbox SET status = 'held', last_error_code = ?, last_error = ? WHERE id = ?`);
  const release = db.prepare(`UPDATE outbox SET status = 'pending', next_attempt_at = ? WHERE user_id = ? AND status = 'held'`);
  const recover = db.prepare(
    `UPDATE outbox SET status = 'unknown', resend_at = CASE WHEN resent = 0 THEN ? END, uncertain_since = coalesce(uncertain_since, created_at),
       last_error = 'in flight when the process stopped' WHERE status = 'sending'`,
  );
  // Each count walks the (status, …) index: sent rows, which pile up over the years, are never read.
  const counts = db.prepare(
    `SELECT (SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')) AS pending,
            (SELECT count(*) FROM outbox WHERE status = 'failed') AS failed,
            (SELECT count(*) FROM outbox WHERE status = 'held') AS held`,
  );
  const nextDue = db.prepare(`SELECT min(next_attempt_at) FROM outbox WHERE status = 'pending'`).pluck();
  const forget = db.prepare(`DELETE FROM outbox WHERE user_id = ? AND status <> 'sending'`);

  const enqueue = db.transaction((messages: NewOutboxMessage[], now: number) => {
    let added = 0;
    for (const m of messages) {
      added += insert.run(m.dedupeKey, m.userId, JSON.stringify(m.message), m.purpose ?? 'reply', now, now).changes;
    }
    return added;
  });
  const claimDue = db.transaction((now: number, limit: number, exceptUsers: ReadonlySet<string>) => {
    const claimed: ClaimedOutboxRow[] = [];
    const busy = new Set(exceptUsers);
    for (const row of dueUnknown.all(now, limit + busy.size) as OutboxRow[]) {
      if (claimed.length >= limit || busy.has(row.user_id)) continue;
      if (claimUnknown.run(row.id).changes === 1) {
        claimed.push({ ...row, status: 'sending', attempts: row.attempts + 1, resent: 1, resend_at: null, settle: true });
        busy.add(row.user_id);
      }
    }
    if (claimed.length >= limit) return claimed;
    const rows = (due.all(now, limit + busy.size) as OutboxRow[]).filter((r) => !busy.has(r.user_id)).slice(0, limit - claimed.length);
    for (const row of rows) {
      if (claim.run(row.id).changes === 1) claimed.push({ ...row, status: 'sending', attempts: row.attempts + 1, settle: false });
    }
    return claimed;
  });

  return {
    enqueue: (messages, now) => enqueue(messages, now),
    claimDue: (now, limit, exceptUsers) => claimDue(now, limit, exceptUsers),
    markSent: (id, now, zaloId, chunksSent) => void sent.run(now, zaloId ?? null, chunksSent ?? null, id),
    markFailed: (id, code, error, chunksSent) => void failed.run(code, error.slice(0, 500), chunksSent ?? null, id),
    retryAt: (id, at, code, error, chunksSent) => void retry.run(at, code, error.slice(0, 500), chunksSent ?? null, id),
    markUnknown: (id, u) => void unknown.run(u.resendAt, u.since, u.chunksSent, u.error.slice(0, 500), id),
    backlog: () => {
      const b = backlog.get() as { pending: number; unknown: number; oldestPending: number | null; oldestUnknown: number | null };
      const oldest = [b.oldestPending, b.oldestUnknown].filter((v): v is number => v !== null);
      return { pending: b.pending, unknown: b.unknown, oldestCreatedAt: oldest.length > 0 ? Math.min(...oldest) : undefined };
    },
    hold: (id, code, error) => void hold.run(code, error.slice(0, 500), id),
    releaseHeld: (userId, now) => release.run(now, userId).changes,
    recoverInFlight: (now) => recover.run(now).changes,
    counts: () => {
      const c = counts.get() as { pending: number | null; failed: number | null; held: number | null };
      return { pending: c.pending ?? 0, failed: c.failed ?? 0, held: c.held ?? 0 };
    },
    nextDueAt: () => (nextDue.get() as number | null) ?? undefined,
    forgetUser: (userId) => void forget.run(userId),
  };
}
