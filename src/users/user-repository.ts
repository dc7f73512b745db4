import type { Db } from '../db/open.ts';

/** What the bot knows about a Zalo user (no personal data beyond the id and Zalo's display name). */
export interface UserRow {
  user_id: string;
  first_seen_at: number;
  last_interaction_at: number | null;
  is_follower: number;
  language: string | null;
}

export interface UserRepository {
  /** Records an interaction (opens Zalo's 7-day window). */
  touch(userId: string, at: number): void;
  setFollower(userId: string, following: boolean, at: number): void;
  get(userId: string): UserRow | undefined;
  setLanguage(userId: string, language: string): void;
  /** Forgets the user entirely (erasure on request). */
  delete(userId: string): void;
}

/** SQLite users table. */
export function createUserRepository(db: Db): UserRepository {
  const touch = db.prepare(
    `INSERT INTO users (user_id, first_seen_at, last_interaction_at) VALUES (?, ?, ?)
     ON CONFLICT(user_id) DO UPDATE SET last_interaction_at = max(coalesce(last_interaction_at, 0), excluded.last_interaction_at)`,
  );
  const follow = db.prepare(
    `INSERT INTO users (user_id, first_seen_at, is_follower, followed_at, unfollowed_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(user_id) DO UPDATE SET is_follower = excluded.is_follower,
       followed_at = coalesce(excluded.followed_at, followed_at), unfollowed_at = coalesce(excluded.unfollowed_at, unfollowed_at)`,
  );
  const get = db.prepare(`SELECT * FROM users WHERE user_id = ?`);
  const lang = db.prepare(`UPDATE users SET language = ? WHERE user_id = ?`);
  const del = db.prepare(`DELETE FROM users WHERE user_id = ?`);
  return {
    touch: (userId, at) => void touch.run(userId, at, at),
    setFollower: (userId, following, at) =>
      void follow.run(userId, at, following ? 1 : 0, following ? at : null, following ? null : at),
    get: (userId) => get.get(userId) as UserRow | undefined,
    setLanguage: (userId, language) => void lang.run(language, userId),
    delete: (userId) => void del.run(userId),
  };
}
