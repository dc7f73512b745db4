import type { Db } from '../db/open.ts';
import type { OutgoingMessage } from '../messages.ts';

/** A message waiting to be sent, being sent, sent, failed, or held until the citizen writes again. */
export interface OutboxRow {
  id: number;
  dedupe_key: string;
  user_id: string;
  payload: string;
  purpose: string;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'held';
  attempts: number;
  next_attempt_at: number;
  last_error_code: number | null;
  last_error: string | null;
  created_at: number;
}

export interface NewOutboxMessage {
  dedupeKey: string;
  userId: string;
  message: OutgoingMessage;
  purpose?: string;
}

export interface OutboxRepository {
  /** Adds messages; a dedupe key already present is skipped (reprocessing never enqueues twice). Returns rows added. */
  enqueue(messages: NewOutboxMessage[], now: number): number;
  /** Claims up to `limit` due rows, keeping per-user order (a user's later row waits for the earlier one). */
  claimDue(now: number, limit: number, exceptUsers: ReadonlySet<string>): OutboxRow[];
  markSent(id: number, now: number, zaloMessageId: string | undefined): void;
  markFailed(id: number, code: number | null, error: string): void;
  /** Puts a row back for another attempt at `at`. */
  retryAt(id: number, at: number, code: number | null, error: string): void;
  /** Keeps a row aside until the user interacts again (Zalo's 7-day window closed). */
  hold(id: number, code: number, error: string): void;
  /** Releases the user's held rows so they go out now. */
  releaseHeld(userId: string, now: number): number;
  /** Rows left 'sending' by a crash go back to 'pending' (a reply may rarely arrive twice; never lost). */
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
       AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.user_id = o.user_id AND p.id < o.id AND p.status IN ('pending','sending'))
     ORDER BY o.id LIMIT ?`,
  );
  const claim = db.prepare(`UPDATE outbox SET status = 'sending', attempts = attempts + 1 WHERE id = ? AND status = 'pending'`);
  const sent = db.prepare(`UPDATE outbox SET status = 'sent', sent_at = ?, zalo_message_id = ?, last_error = NULL WHERE id = ?`);
  const failed = db.prepare(`UPDATE outbox SET status = 'failed', last_error_code = ?, last_error = ? WHERE id = ?`);
  const retry = db.prepare(`UPDATE outbox SET status = 'pending', next_attempt_at = ?, last_error_code = ?, last_error = ? WHERE id = ?`);
  const hold = db.prepare(`UPDATE outbox SET status = 'held', last_error_code = ?, last_error = ? WHERE id = ?`);
  const release = db.prepare(`UPDATE outbox SET status = 'pending', next_attempt_at = ? WHERE user_id = ? AND status = 'held'`);
  const recover = db.prepare(`UPDATE outbox SET status = 'pending', next_attempt_at = ? WHERE status = 'sending'`);
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
    const rows = (due.all(now, limit + exceptUsers.size) as OutboxRow[]).filter((r) => !exceptUsers.has(r.user_id)).slice(0, limit);
    const claimed: OutboxRow[] = [];
    for (const row of rows) {
      if (claim.run(row.id).changes === 1) claimed.push({ ...row, status: 'sending', attempts: row.attempts + 1 });
    }
    return claimed;
  });

  return {
    enqueue: (messages, now) => enqueue(messages, now),
    claimDue: (now, limit, exceptUsers) => claimDue(now, limit, exceptUsers),
    markSent: (id, now, zaloId) => void sent.run(now, zaloId ?? null, id),
    markFailed: (id, code, error) => void failed.run(code, error.slice(0, 500), id),
    retryAt: (id, at, code, error) => void retry.run(at, code, error.slice(0, 500), id),
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
