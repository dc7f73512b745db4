import type { Db } from '../db/open.ts';

// Followers are the users rows with is_follower = 1: the dispatcher keeps them current from follow/unfollow events
// and every interaction (last_interaction_at); the sync fills in what events missed. This repository adds what
// broadcasts need on top: opt-outs typed by the citizen, tags set by staff, and the sync's bulk writes.

/** Counts for the staff side. */
export interface FollowerStats {
  followers: number;
  optedOut: number;
  /** Followers whose last interaction is after `windowStart` (Zalo's 7-day window for CS messages). */
  inWindow: number;
}

export interface FollowerRepository {
  /** Stops broadcasts to the user; false when already opted out. */
  optOut(userId: string, at: number): boolean;
  /** Resumes broadcasts; false when the user was not opted out. */
  optIn(userId: string): boolean;
  isOptedOut(userId: string): boolean;
  addTag(userId: string, tag: string, at: number): boolean;
  removeTag(userId: string, tag: string): boolean;
  tagsOf(userId: string): string[];
  /** Marks these ids as following (as Zalo's follower list says); returns how many were not known as followers. */
  markFollowing(userIds: readonly string[], at: number): number;
  /** Marks followers absent from a complete list as unfollowed; returns how many changed. */
  markUnfollowedExcept(seen: ReadonlySet<string>, at: number): number;
  /** Records an interaction (opens the 7-day window); used by scripts that seed followers. */
  touch(userIds: readonly string[], at: number): void;
  stats(windowStart: number): FollowerStats;
  /**
   * Erasure request: drops the user's tags and unlinks their delivery rows from their id (counts stay). The opt-out,
   * if any, is kept: it is the only way to go on honouring "dừng nhận tin" if the follower list brings them back.
   */
  forgetUser(userId: string): void;
}

/** SQLite-backed follower bookkeeping (users, broadcast_opt_outs, follower_tags). */
export function createFollowerRepository(db: Db): FollowerRepository {
  const optOut = db.prepare(`INSERT INTO broadcast_opt_outs (user_id, opted_out_at) VALUES (?, ?) ON CONFLICT(user_id) DO NOTHING`);
  const optIn = db.prepare(`DELETE FROM broadcast_opt_outs WHERE user_id = ?`);
  const isOut = db.prepare(`SELECT 1 FROM broadcast_opt_outs WHERE user_id = ?`).pluck();
  const addTag = db.prepare(`INSERT INTO follower_tags (user_id, tag, added_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`);
  const removeTag = db.prepare(`DELETE FROM follower_tags WHERE user_id = ? AND tag = ?`);
  const tagsOf = db.prepare(`SELECT tag FROM follower_tags WHERE user_id = ? ORDER BY tag`).pluck();
  const wasFollower = db.prepare(`SELECT is_follower FROM users WHERE user_id = ?`).pluck();
  // A user Zalo lists as a follower follows now, whatever an older event said; followed_at stays unknown if it was.
  const follow = db.prepare(
    `INSERT INTO users (user_id, first_seen_at, is_follower) VALUES (?, ?, 1)
     ON CONFLICT(user_id) DO UPDATE SET is_follower = 1, unfollowed_at = NULL`,
  );
  const followerIds = db.prepare(`SELECT user_id FROM users WHERE is_follower = 1`).pluck();
  const unfollow = db.prepare(`UPDATE users SET is_follower = 0, unfollowed_at = ? WHERE user_id = ? AND is_follower = 1`);
  const touch = db.prepare(
    `INSERT INTO users (user_id, first_seen_at, last_interaction_at) VALUES (?, ?, ?)
     ON CONFLICT(user_id) DO UPDATE SET last_interaction_at = max(coalesce(last_interaction_at, 0), excluded.last_interaction_at)`,
  );
  const dropTags = db.prepare(`DELETE FROM follower_tags WHERE user_id = ?`);
  const unlinkDeliveries = db.prepare(`UPDATE broadcast_deliveries SET recipient = 'erased-' || id WHERE recipient = ?`);
  const stats = db.prepare(
    `SELECT count(*) AS followers,
            sum(EXISTS (SELECT 1 FROM broadcast_opt_outs o WHERE o.user_id = u.user_id)) AS optedOut,
            sum(coalesce(u.last_interaction_at, 0) >= ?) AS inWindow
     FROM users u WHERE u.is_follower = 1`,
  );

  const markFollowing = db.transaction((userIds: readonly string[], at: number) => {
    let added = 0;
    for (const id of userIds) {
      if (wasFollower.get(id) !== 1) added++;
      follow.run(id, at);
    }
    return added;
  });
  const markUnfollowedExcept = db.transaction((seen: ReadonlySet<string>, at: number) => {
    let changed = 0;
    for (const id of followerIds.all() as string[]) {
      if (!seen.has(id)) changed += unfollow.run(at, id).changes;
    }
    return changed;
  });
  const forget = db.transaction((userId: string) => {
    dropTags.run(userId);
    unlinkDeliveries.run(userId);
  });
  const touchAll = db.transaction((userIds: readonly string[], at: number) => {
    for (const id of userIds) touch.run(id, at, at);
  });

  return {
    optOut: (userId, at) => optOut.run(userId, at).changes === 1,
    optIn: (userId) => optIn.run(userId).changes === 1,
    isOptedOut: (userId) => isOut.get(userId) === 1,
    addTag: (userId, tag, at) => addTag.run(userId, tag, at).changes === 1,
    removeTag: (userId, tag) => removeTag.run(userId, tag).changes === 1,
    tagsOf: (userId) => tagsOf.all(userId) as string[],
    markFollowing: (userIds, at) => markFollowing(userIds, at),
    markUnfollowedExcept: (seen, at) => markUnfollowedExcept(seen, at),
    touch: (userIds, at) => touchAll(userIds, at),
    forgetUser: (userId) => forget(userId),
    stats: (windowStart) => {
      const s = stats.get(windowStart) as { followers: number; optedOut: number | null; inWindow: number | null };
      return { followers: s.followers, optedOut: s.optedOut ?? 0, inWindow: s.inWindow ?? 0 };
    },
  };
}
