import type { Db } from '../db/open.ts';

// The send ledger: one row per (post, recipient), unique. A row moves pending → sending before the call to Zalo and
// never goes back to pending unless Zalo said no, so a crash can leave a row 'sending' (→ 'unknown') but can never
// make the same follower receive the same post twice.

export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed', 'out_of_window', 'unknown', 'skipped', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** The recipient of an article broadcast: the whole audience in one send. */
export const WHOLE_AUDIENCE = '*';

/** A delivery this process is about to send. */
export interface ClaimedDelivery {
  id: number;
  recipient: string;
}

/** Per-post counts. `pending` includes rows in flight. */
export interface DeliveryCounts {
  sent: number;
  failed: number;
  out_of_window: number;
  unknown: number;
  pending: number;
  skipped: number;
  cancelled: number;
}

export interface FreezeOptions {
  postId: number;
  owner: string;
  /** Only followers with this tag (undefined = all followers). */
  tag: string | null;
  /** Followers whose last interaction is before this are 'out_of_window' from the start (not sent, not failed). */
  windowStart: number;
  at: number;
}

export interface DeliveryRepository {
  /**
   * Creates the rows for every follower in the audience (opted-out users excluded) and marks the post's audience
   * as fixed, once. Returns the number of rows created, 0 when already fixed, undefined when the lease is lost.
   */
  freezeAudience(options: FreezeOptions): number | undefined;
  /** Adds the single whole-audience row of an article broadcast (idempotent); undefined when the lease is lost. */
  freezeWholeAudience(postId: number, owner: string, at: number): number | undefined;
  /**
   * Claims up to `limit` pending rows (skipping users who unfollowed or opted out since), extending the lease.
   * Returns undefined when this owner no longer holds the post (cancelled, taken over).
   */
  claimNext(postId: number, owner: string, now: number, leaseUntil: number, limit: number): ClaimedDelivery[] | undefined;
  markSent(id: number, zaloMessageId: string | undefined, at: number): void;
  /** Records a final outcome other than sent. */
  markOutcome(id: number, status: 'failed' | 'out_of_window' | 'unknown', code: number | null, error: string, at: number): void;
  /** Zalo refused for now (night, rate limit, token): the row was not delivered and goes back to the queue. */
  requeue(id: number, code: number | null, error: string): void;
  counts(postId: number): DeliveryCounts;
  /** Counts for several posts at once (reports). */
  countsByPost(postIds: readonly number[]): Map<number, DeliveryCounts>;
  /** Zalo's message id of a post's whole-audience row (article broadcasts). */
  wholeAudienceMessageId(postId: number): string | null;
}

const emptyCounts = (): DeliveryCounts => ({ sent: 0, failed: 0, out_of_window: 0, unknown: 0, pending: 0, skipped: 0, cancelled: 0 });

function addCount(counts: DeliveryCounts, status: DeliveryStatus, n: number): void {
  if (status === 'sending' || status === 'pending') counts.pending += n;
  else counts[status] += n;
}

/** SQLite broadcast_deliveries. */
export function createDeliveryRepository(db: Db): DeliveryRepository {
  const owns = db.prepare(`SELECT audience_frozen_at FROM broadcast_posts WHERE id = ? AND lease_owner = ? AND status = 'sending'`);
  const freeze = db.prepare(
    `INSERT INTO broadcast_deliveries (post_id, recipient, status, created_at)
     SELECT @postId, u.user_id, CASE WHEN coalesce(u.last_interaction_at, 0) >= @windowStart THEN 'pending' ELSE 'out_of_window' END, @at
     FROM users u
     WHERE u.is_follower = 1
       AND NOT EXISTS (SELECT 1 FROM broadcast_opt_outs o WHERE o.user_id = u.user_id)
       AND (@tag IS NULL OR EXISTS (SELECT 1 FROM follower_tags t WHERE t.user_id = u.user_id AND t.tag = @tag))
     ON CONFLICT(post_id, recipient) DO NOTHING`,
  );
  const markFrozen = db.prepare(`UPDATE broadcast_posts SET audience_frozen_at = ? WHERE id = ?`);
  const insertWhole = db.prepare(
    `INSERT INTO broadcast_deliveries (post_id, recipient, status, created_at) VALUES (?, '${WHOLE_AUDIENCE}', 'pending', ?) ON CONFLICT(post_id, recipient) DO NOTHING`,
  );
  const renew = db.prepare(`UPDATE broadcast_posts SET lease_until = ? WHERE id = ? AND lease_owner = ? AND status = 'sending'`);
  const candidates = db.prepare(
    `SELECT d.id, d.recipient, d.recipient = '${WHOLE_AUDIENCE}' OR (coalesce(u.is_follower, 0) = 1 AND o.user_id IS NULL) AS eligible,
            o.user_id IS NOT NULL AS opted_out
     FROM broadcast_deliveries d
     LEFT JOIN users u ON u.user_id = d.recipient
     LEFT JOIN broadcast_opt_outs o ON o.user_id = d.recipient
     WHERE d.post_id = ? AND d.status = 'pending' ORDER BY d.id LIMIT ?`,
  );
  const claim = db.prepare(`UPDATE broadcast_deliveries SET status = 'sending', attempted_at = ? WHERE id = ? AND status = 'pending'`);
  const skip = db.prepare(`UPDATE broadcast_deliveries SET status = 'skipped', error = ?, finished_at = ? WHERE id = ? AND status = 'pending'`);
  // A late answer may turn 'unknown' (set by a takeover) into what really happened.
  const sent = db.prepare(
    `UPDATE broadcast_deliveries SET status = 'sent', zalo_message_id = ?, error_code = NULL, error = NULL, finished_at = ? WHERE id = ? AND status IN ('sending','unknown')`,
  );
  const outcome = db.prepare(
    `UPDATE broadcast_deliveries SET status = ?, error_code = ?, error = ?, finished_at = ? WHERE id = ? AND status IN ('sending','unknown')`,
  );
  const requeue = db.prepare(`UPDATE broadcast_deliveries SET status = 'pending', error_code = ?, error = ? WHERE id = ? AND status = 'sending'`);
  const counts = db.prepare(`SELECT status, count(*) AS n FROM broadcast_deliveries WHERE post_id = ? GROUP BY status`);
  const wholeId = db.prepare(`SELECT zalo_message_id FROM broadcast_deliveries WHERE post_id = ? AND recipient = '${WHOLE_AUDIENCE}'`).pluck();

  const freezeTx = db.transaction((o: FreezeOptions) => {
    const row = owns.get(o.postId, o.owner) as { audience_frozen_at: number | null } | undefined;
    if (!row) return undefined;
    if (row.audience_frozen_at !== null) return 0;
    const created = freeze.run({ postId: o.postId, windowStart: o.windowStart, tag: o.tag, at: o.at }).changes;
    markFrozen.run(o.at, o.postId);
    return created;
  });
  const freezeWholeTx = db.transaction((postId: number, owner: string, at: number) => {
    const row = owns.get(postId, owner) as { audience_frozen_at: number | null } | undefined;
    if (!row) return undefined;
    if (row.audience_frozen_at !== null) return 0;
    const created = insertWhole.run(postId, at).changes;
    markFrozen.run(at, postId);
    return created;
  });
  const claimTx = db.transaction((postId: number, owner: string, now: number, leaseUntil: number, limit: number) => {
    if (renew.run(leaseUntil, postId, owner).changes === 0) return undefined;
    const claimed: ClaimedDelivery[] = [];
    for (;;) {
      const rows = candidates.all(postId, limit - claimed.length + 8) as { id: number; recipient: string; eligible: number; opted_out: number }[];
      if (rows.length === 0) return claimed;
      for (const r of rows) {
        if (!r.eligible) {
          // Unfollowed or opted out after the audience was fixed: their choice wins.
          skip.run(r.opted_out ? 'opted out' : 'no longer a follower', now, r.id);
          continue;
        }
        if (claim.run(now, r.id).changes === 1) claimed.push({ id: r.id, recipient: r.recipient });
        if (claimed.length >= limit) return claimed;
      }
    }
  });

  const countsOf = (rows: { status: DeliveryStatus; n: number }[]) => {
    const c = emptyCounts();
    for (const r of rows) addCount(c, r.status, r.n);
    return c;
  };

  return {
    freezeAudience: (o) => freezeTx.immediate(o),
    freezeWholeAudience: (postId, owner, at) => freezeWholeTx.immediate(postId, owner, at),
    claimNext: (postId, owner, now, leaseUntil, limit) => claimTx.immediate(postId, owner, now, leaseUntil, limit),
    markSent: (id, zaloMessageId, at) => void sent.run(zaloMessageId ?? null, at, id),
    markOutcome: (id, status, code, error, at) => void outcome.run(status, code, error.slice(0, 500), at, id),
    requeue: (id, code, error) => void requeue.run(code, error.slice(0, 500), id),
    counts: (postId) => countsOf(counts.all(postId) as { status: DeliveryStatus; n: number }[]),
    countsByPost: (postIds) => {
      const result = new Map<number, DeliveryCounts>();
      for (const id of postIds) result.set(id, countsOf(counts.all(id) as { status: DeliveryStatus; n: number }[]));
      return result;
    },
    wholeAudienceMessageId: (postId) => (wholeId.get(postId) as string | null | undefined) ?? null,
  };
}
