import type { Db } from '../db/open.ts';

/** A received webhook event waiting to be (or already) processed. */
export interface InboxRow {
  id: number;
  event_key: string;
  event_name: string;
  user_id: string | null;
  payload: string;
  received_at: number;
  status: 'pending' | 'done' | 'failed' | 'ignored';
  attempts: number;
}

/** A webhook event as it is stored. */
export interface NewInboxRow {
  eventKey: string;
  eventName: string;
  userId: string | undefined;
  payload: string;
  receivedAt: number;
}

export interface InboxRepository {
  /** Stores an event once; returns false when the key was already there (a redelivery). */
  insert(row: NewInboxRow): boolean;
  /** Oldest pending rows first. */
  pending(limit: number): InboxRow[];
  markDone(id: number, at: number): void;
  markIgnored(id: number, at: number, reason: string): void;
  markFailed(id: number, at: number, error: string, maxAttempts: number): void;
  countPending(): number;
  /** When the oldest event still waiting for an answer arrived (how far answering lags behind). */
  oldestPendingAt(): number | undefined;
  lastReceivedAt(): number | undefined;
  /** Deletes the raw events of a user (erasure on request); the keys stay so redeliveries are still ignored. */
  forgetUser(userId: string): void;
  /** Empties the raw bodies of handled events older than `before` (the keys stay, so redeliveries are still ignored). */
  pruneHandled(before: number): number;
}

/** SQLite inbox: the unique event_key makes redelivered events a no-op. */
export function createInboxRepository(db: Db): InboxRepository {
  const insert = db.prepare(
    `INSERT INTO inbox (event_key, event_name, user_id, payload, received_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(event_key) DO NOTHING`,
  );
  const pending = db.prepare(`SELECT * FROM inbox WHERE status = 'pending' ORDER BY id LIMIT ?`);
  const done = db.prepare(`UPDATE inbox SET status = 'done', processed_at = ?, attempts = attempts + 1 WHERE id = ?`);
  const ignored = db.prepare(`UPDATE inbox SET status = 'ignored', processed_at = ?, error = ? WHERE id = ?`);
  const failed = db.prepare(
    `UPDATE inbox SET attempts = attempts + 1, error = ?, processed_at = ?,
       status = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE 'pending' END WHERE id = ?`,
  );
  const countPending = db.prepare(`SELECT count(*) AS n FROM inbox WHERE status = 'pending'`).pluck();
  const oldestPending = db.prepare(`SELECT received_at FROM inbox WHERE status = 'pending' ORDER BY id LIMIT 1`).pluck();
  // Newest row by primary key: max(received_at) would scan the whole (ever-growing) table on every /healthz.
  const lastReceived = db.prepare(`SELECT received_at FROM inbox ORDER BY id DESC LIMIT 1`).pluck();
  const forget = db.prepare(`UPDATE inbox SET payload = '{}', user_id = NULL WHERE user_id = ?`);
  const prune = db.prepare(
    `UPDATE inbox SET payload = '{}', user_id = NULL WHERE status IN ('done','ignored','failed') AND received_at < ? AND payload <> '{}'`,
  );
  return {
    insert: (r) => insert.run(r.eventKey, r.eventName, r.userId ?? null, r.payload, r.receivedAt).changes === 1,
    pending: (limit) => pending.all(limit) as InboxRow[],
    markDone: (id, at) => void done.run(at, id),
    markIgnored: (id, at, reason) => void ignored.run(at, reason, id),
    markFailed: (id, at, error, maxAttempts) => void failed.run(error.slice(0, 500), at, maxAttempts, id),
    countPending: () => countPending.get() as number,
    oldestPendingAt: () => (oldestPending.get() as number | undefined) ?? undefined,
    lastReceivedAt: () => (lastReceived.get() as number | null) ?? undefined,
    forgetUser: (userId) => void forget.run(userId),
    pruneHandled: (before) => prune.run(before).changes,
  };
}
