import type { Db } from '../db/open.ts';

/** The stored OA token pair and its refresh lease. */
export interface TokenRow {
  access_token: string;
  refresh_token: string;
  expires_at: number;
  refreshed_at: number | null;
  needs_reauth: number;
  reauth_reason: string | null;
  lock_owner: string | null;
  lock_until: number;
  /** A refresh got no answer at this time: the refresh token may have been spent, so it is never sent again. */
  refresh_unknown_at: number | null;
  refresh_unknown_reason: string | null;
}

export interface TokenRepository {
  get(): TokenRow | undefined;
  /** Stores a pair only when none exists (env tokens seed an empty store, never overwrite it). */
  seed(access: string, refresh: string, expiresAt: number): boolean;
  /** Takes the refresh lease if it is free or expired; false when another process holds it. */
  tryLock(owner: string, now: number, until: number): boolean;
  /** Commits a new pair and releases the lease in one statement. */
  save(owner: string, access: string, refresh: string, expiresAt: number, now: number): void;
  unlock(owner: string): void;
  markNeedsReauth(reason: string): void;
  /** Notes a refresh whose outcome is unknown (the stored pair stays in use while its access token is valid). */
  markRefreshUnknown(at: number, reason: string): void;
  /** Operator re-authorised: replace the pair and clear the flag. */
  replace(access: string, refresh: string, expiresAt: number, now: number): void;
}

/** SQLite token store (single row, id = 1). */
export function createTokenRepository(db: Db): TokenRepository {
  const get = db.prepare(`SELECT * FROM zalo_tokens WHERE id = 1`);
  const seed = db.prepare(
    `INSERT INTO zalo_tokens (id, access_token, refresh_token, expires_at) VALUES (1, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
  );
  const lock = db.prepare(
    `UPDATE zalo_tokens SET lock_owner = ?, lock_until = ? WHERE id = 1 AND (lock_until <= ? OR lock_owner = ?)`,
  );
  const save = db.prepare(
    `UPDATE zalo_tokens SET access_token = ?, refresh_token = ?, expires_at = ?, refreshed_at = ?,
       needs_reauth = 0, reauth_reason = NULL, refresh_unknown_at = NULL, refresh_unknown_reason = NULL, lock_owner = NULL, lock_until = 0
     WHERE id = 1 AND lock_owner = ?`,
  );
  const unlock = db.prepare(`UPDATE zalo_tokens SET lock_owner = NULL, lock_until = 0 WHERE id = 1 AND lock_owner = ?`);
  const reauth = db.prepare(`UPDATE zalo_tokens SET needs_reauth = 1, reauth_reason = ? WHERE id = 1`);
  const refreshUnknown = db.prepare(`UPDATE zalo_tokens SET refresh_unknown_at = ?, refresh_unknown_reason = ? WHERE id = 1`);
  const replace = db.prepare(
    `INSERT INTO zalo_tokens (id, access_token, refresh_token, expires_at, refreshed_at) VALUES (1, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET access_token = excluded.access_token, refresh_token = excluded.refresh_token,
       expires_at = excluded.expires_at, refreshed_at = excluded.refreshed_at, needs_reauth = 0, reauth_reason = NULL,
       refresh_unknown_at = NULL, refresh_unknown_reason = NULL, lock_owner = NULL, lock_until = 0`,
  );
  return {
    get: () => get.get() as TokenRow | undefined,
    seed: (a, r, e) => seed.run(a, r, e).changes === 1,
    tryLock: (owner, now, until) => lock.run(owner, until, now, owner).changes === 1,
    save: (owner, a, r, e, now) => {
      if (save.run(a, r, e, now, owner).changes !== 1) throw new Error('token lease lost before saving the new pair');
    },
    unlock: (owner) => void unlock.run(owner),
    markNeedsReauth: (reason) => void reauth.run(reason.slice(0, 300)),
    markRefreshUnknown: (at, reason) => void refreshUnknown.run(at, reason.slice(0, 300)),
    replace: (a, r, e, now) => void replace.run(a, r, e, now),
  };
}
