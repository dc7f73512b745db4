import type { Db } from '../db/open.ts';

// Posts and their life cycle. Every transition is a compare-and-set on the current status (and, while sending, on
// the lease owner), so two processes, or a process and a staff request, can never both win the same change.

export const POST_STATUSES = ['draft', 'scheduled', 'sending', 'sent', 'partially_sent', 'failed', 'missed', 'cancelled'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];
export type PostMode = 'message' | 'article';

/** Statuses in which staff may still edit, reschedule or unschedule a post. */
export const EDITABLE_STATUSES: ReadonlySet<PostStatus> = new Set(['draft', 'scheduled', 'missed']);
/** Statuses a post can be cancelled from (sending: the rest of the fan-out is dropped). */
export const CANCELLABLE_STATUSES: ReadonlySet<PostStatus> = new Set(['draft', 'scheduled', 'missed', 'sending']);

/** A broadcast_posts row. */
export interface PostRow {
  id: number;
  title: string;
  body: string;
  image_url: string | null;
  link_url: string | null;
  mode: PostMode;
  audience_tag: string | null;
  send_at: number;
  status: PostStatus;
  created_by: string;
  approved_by: string | null;
  plan_key: string | null;
  plan_json: string | null;
  lease_owner: string | null;
  lease_until: number;
  resume_at: number | null;
  audience_frozen_at: number | null;
  article_token: string | null;
  article_id: string | null;
  last_error_code: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
}

/** The editable content of a post. */
export interface PostContent {
  title: string;
  body: string;
  imageUrl: string | null;
  linkUrl: string | null;
  mode: PostMode;
  audienceTag: string | null;
  sendAt: number;
}

export interface NewPost extends PostContent {
  status: 'draft' | 'scheduled';
  createdBy: string;
  approvedBy: string | null;
  planKey?: string;
  planJson?: string;
}

/** One line of a post's history: who did what, when. */
export interface PostHistoryRow {
  at: number;
  actor: string;
  action: string;
  detail: string | null;
}

/** A post this process now owns, and what taking it over from a stopped owner meant. */
export interface ClaimedPost {
  post: PostRow;
  /** Deliveries that were in flight under the previous owner and are now 'unknown' (never resent). */
  markedUnknown: number;
}

export interface ClaimOptions {
  now: number;
  owner: string;
  leaseMs: number;
  /** Posts this process is already sending. */
  skip: ReadonlySet<number>;
  /** Whether a lease held by another owner may be taken (expired, or its process is gone). */
  canTakeOver(owner: string | null, leaseUntil: number, now: number): boolean;
}

export interface PostRepository {
  create(post: NewPost, at: number): number;
  /** Creates a plan draft unless its plan key exists; returns the new id, or undefined when already imported. */
  createFromPlan(post: NewPost & { planKey: string }, at: number): number | undefined;
  get(id: number): PostRow | undefined;
  list(filter?: { status?: PostStatus; from?: number; to?: number }): PostRow[];
  /** Replaces the content and status of a post still in `expected` status; false when it moved on meanwhile. */
  update(id: number, expected: PostStatus, content: PostContent, status: 'draft' | 'scheduled' | 'missed', approvedBy: string | null, at: number): boolean;
  /** Cancels the post (and its pending deliveries) if its status allows; returns the status it had, or undefined. */
  cancel(id: number, at: number): PostStatus | undefined;
  /** Scheduled posts due before `lateBefore` become 'missed'; returns their ids. */
  markMissed(lateBefore: number, at: number): number[];
  /** Atomically takes due posts (and sending posts whose owner stopped) under a lease for `owner`. */
  claimDue(options: ClaimOptions): ClaimedPost[];
  /** Leaves a sending post until `resumeAt` (quiet hours, Zalo's night refusal, an outage). */
  pause(id: number, owner: string, resumeAt: number, code: number | null, error: string, at: number): boolean;
  /** Final status after the fan-out (with the error that ended it, if any); only the lease owner can finish. */
  finish(id: number, owner: string, status: PostStatus, at: number, failure?: { code: number | null; error: string }): boolean;
  /** Gives up the leases of an owner that stops cleanly, so a restart resumes at once. */
  releaseLeases(owner: string): number;
  saveArticleToken(id: number, owner: string, token: string, at: number): boolean;
  saveArticleId(id: number, owner: string, articleId: string, at: number): boolean;
  addHistory(postId: number, at: number, actor: string, action: string, detail?: string): void;
  history(postId: number): PostHistoryRow[];
}

/** SQLite broadcast_posts (and the delivery updates that must happen in the same transaction). */
export function createPostRepository(db: Db): PostRepository {
  const insert = db.prepare(
    `INSERT INTO broadcast_posts (title, body, image_url, link_url, mode, audience_tag, send_at, status, created_by, approved_by, plan_key, plan_json, created_at, updated_at)
     VALUES (@title, @body, @imageUrl, @linkUrl, @mode, @audienceTag, @sendAt, @status, @createdBy, @approvedBy, @planKey, @planJson, @at, @at)`,
  );
  const insertPlan = db.prepare(
    `INSERT INTO broadcast_posts (title, body, image_url, link_url, mode, audience_tag, send_at, status, created_by, approved_by, plan_key, plan_json, created_at, updated_at)
     VALUES (@title, @body, @imageUrl, @linkUrl, @mode, @audienceTag, @sendAt, @status, @createdBy, @approvedBy, @planKey, @planJson, @at, @at)
     ON CONFLICT(plan_key) DO NOTHING`,
  );
  const get = db.prepare(`SELECT * FROM broadcast_posts WHERE id = ?`);
  const list = db.prepare(
    `SELECT * FROM broadcast_posts WHERE (@status IS NULL OR status = @status) AND (@from IS NULL OR send_at >= @from) AND (@to IS NULL OR send_at < @to)
     ORDER BY send_at, id`,
  );
  const update = db.prepare(
    `UPDATE broadcast_posts SET title = @title, body = @body, image_url = @imageUrl, link_url = @linkUrl, mode = @mode, audience_tag = @audienceTag,
       send_at = @sendAt, status = @status, approved_by = @approvedBy, last_error_code = NULL, last_error = NULL, updated_at = @at
     WHERE id = @id AND status = @expected`,
  );
  const cancel = db.prepare(
    `UPDATE broadcast_posts SET status = 'cancelled', lease_owner = NULL, lease_until = 0, resume_at = NULL, finished_at = @at, updated_at = @at
     WHERE id = @id AND status = @expected`,
  );
  const cancelDeliveries = db.prepare(`UPDATE broadcast_deliveries SET status = 'cancelled', finished_at = ? WHERE post_id = ? AND status = 'pending'`);
  const missed = db.prepare(`UPDATE broadcast_posts SET status = 'missed', updated_at = ? WHERE status = 'scheduled' AND send_at < ? RETURNING id`).pluck();
  const due = db.prepare(
    `SELECT * FROM broadcast_posts
     WHERE (status = 'scheduled' AND send_at <= @now) OR (status = 'sending' AND coalesce(resume_at, 0) <= @now)
     ORDER BY send_at, id LIMIT 50`,
  );
  const start = db.prepare(
    `UPDATE broadcast_posts SET status = 'sending', lease_owner = @owner, lease_until = @until, resume_at = NULL,
       started_at = coalesce(started_at, @now), updated_at = @now
     WHERE id = @id AND status = 'scheduled'`,
  );
  const takeLease = db.prepare(
    `UPDATE broadcast_posts SET lease_owner = @owner, lease_until = @until, resume_at = NULL, updated_at = @now
     WHERE id = @id AND status = 'sending' AND lease_owner IS @previous`,
  );
  const inFlightToUnknown = db.prepare(
    `UPDATE broadcast_deliveries SET status = 'unknown', error = 'in flight when the previous sender stopped; never resent', finished_at = ?
     WHERE post_id = ? AND status = 'sending'`,
  );
  const pause = db.prepare(
    `UPDATE broadcast_posts SET resume_at = @resumeAt, last_error_code = @code, last_error = @error, updated_at = @at
     WHERE id = @id AND lease_owner = @owner AND status = 'sending'`,
  );
  const finish = db.prepare(
    `UPDATE broadcast_posts SET status = @status, finished_at = @at, updated_at = @at, lease_owner = NULL, lease_until = 0, resume_at = NULL,
       last_error_code = CASE WHEN @error IS NULL THEN last_error_code ELSE @code END, last_error = coalesce(@error, last_error)
     WHERE id = @id AND lease_owner = @owner AND status = 'sending'`,
  );
  const release = db.prepare(`UPDATE broadcast_posts SET lease_owner = NULL, lease_until = 0 WHERE lease_owner = ? AND status = 'sending'`);
  const saveToken = db.prepare(`UPDATE broadcast_posts SET article_token = ?, updated_at = ? WHERE id = ? AND lease_owner = ? AND status = 'sending'`);
  const saveArticle = db.prepare(`UPDATE broadcast_posts SET article_id = ?, updated_at = ? WHERE id = ? AND lease_owner = ? AND status = 'sending'`);
  const addHistory = db.prepare(`INSERT INTO broadcast_post_history (post_id, at, actor, action, detail) VALUES (?, ?, ?, ?, ?)`);
  const history = db.prepare(`SELECT at, actor, action, detail FROM broadcast_post_history WHERE post_id = ? ORDER BY id`);

  const params = (post: NewPost, at: number) => ({
    title: post.title,
    body: post.body,
    imageUrl: post.imageUrl,
    linkUrl: post.linkUrl,
    mode: post.mode,
    audienceTag: post.audienceTag,
    sendAt: post.sendAt,
    status: post.status,
    createdBy: post.createdBy,
    approvedBy: post.approvedBy,
    planKey: post.planKey ?? null,
    planJson: post.planJson ?? null,
    at,
  });

  const create = db.transaction((post: NewPost, at: number) => {
    const id = Number(insert.run(params(post, at)).lastInsertRowid);
    addHistory.run(id, at, post.createdBy, 'created', post.status);
    return id;
  });
  const createFromPlan = db.transaction((post: NewPost & { planKey: string }, at: number) => {
    const result = insertPlan.run(params(post, at));
    if (result.changes === 0) return undefined;
    const id = Number(result.lastInsertRowid);
    addHistory.run(id, at, post.createdBy, 'created', `draft from plan ${post.planKey}`);
    return id;
  });
  const cancelTx = db.transaction((id: number, at: number) => {
    const row = get.get(id) as PostRow | undefined;
    if (!row || !CANCELLABLE_STATUSES.has(row.status)) return undefined;
    if (cancel.run({ id, expected: row.status, at }).changes === 0) return undefined;
    cancelDeliveries.run(at, id);
    return row.status;
  });
  const markMissed = db.transaction((lateBefore: number, at: number) => {
    const ids = missed.all(at, lateBefore) as number[];
    for (const id of ids) addHistory.run(id, at, 'scheduler', 'missed', 'the server was not running at send time and the grace window has passed');
    return ids;
  });
  const claimDue = db.transaction((o: ClaimOptions) => {
    const until = o.now + o.leaseMs;
    const claimed: ClaimedPost[] = [];
    for (const row of due.all({ now: o.now }) as PostRow[]) {
      if (o.skip.has(row.id)) continue;
      if (row.status === 'scheduled') {
        if (start.run({ id: row.id, owner: o.owner, until, now: o.now }).changes === 1) {
          addHistory.run(row.id, o.now, 'scheduler', 'started', null);
          claimed.push({ post: get.get(row.id) as PostRow, markedUnknown: 0 });
        }
        continue;
      }
      const mine = row.lease_owner === o.owner;
      if (!mine && !o.canTakeOver(row.lease_owner, row.lease_until, o.now)) continue;
      if (takeLease.run({ id: row.id, owner: o.owner, until, now: o.now, previous: row.lease_owner }).changes !== 1) continue;
      // What the previous owner had in flight may have reached the citizen: it is never sent again.
      const markedUnknown = mine ? 0 : inFlightToUnknown.run(o.now, row.id).changes;
      addHistory.run(row.id, o.now, 'scheduler', mine ? 'resumed' : 'taken_over', markedUnknown > 0 ? `${markedUnknown} in-flight deliveries marked unknown` : null);
      claimed.push({ post: get.get(row.id) as PostRow, markedUnknown });
    }
    return claimed;
  });

  return {
    create: (post, at) => create(post, at),
    createFromPlan: (post, at) => createFromPlan(post, at),
    get: (id) => get.get(id) as PostRow | undefined,
    list: (filter = {}) => list.all({ status: filter.status ?? null, from: filter.from ?? null, to: filter.to ?? null }) as PostRow[],
    update: (id, expected, c, status, approvedBy, at) =>
      update.run({
        id,
        expected,
        title: c.title,
        body: c.body,
        imageUrl: c.imageUrl,
        linkUrl: c.linkUrl,
        mode: c.mode,
        audienceTag: c.audienceTag,
        sendAt: c.sendAt,
        status,
        approvedBy,
        at,
      }).changes === 1,
    cancel: (id, at) => cancelTx.immediate(id, at),
    markMissed: (lateBefore, at) => markMissed.immediate(lateBefore, at),
    claimDue: (options) => claimDue.immediate(options),
    pause: (id, owner, resumeAt, code, error, at) => pause.run({ id, owner, resumeAt, code, error: error.slice(0, 500), at }).changes === 1,
    finish: (id, owner, status, at, failure) =>
      finish.run({ id, owner, status, at, code: failure?.code ?? null, error: failure ? failure.error.slice(0, 500) : null }).changes === 1,
    releaseLeases: (owner) => release.run(owner).changes,
    saveArticleToken: (id, owner, token, at) => saveToken.run(token, at, id, owner).changes === 1,
    saveArticleId: (id, owner, articleId, at) => saveArticle.run(articleId, at, id, owner).changes === 1,
    addHistory: (postId, at, actor, action, detail) => void addHistory.run(postId, at, actor, action, detail ?? null),
    history: (postId) => history.all(postId) as PostHistoryRow[],
  };
}
