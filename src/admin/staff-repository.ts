import type { Db } from '../db/open.ts';

export const STAFF_ROLES = ['admin', 'editor', 'handler', 'viewer'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** A staff_accounts row. */
export interface StaffAccountRow {
  id: number;
  username: string;
  display_name: string | null;
  role: StaffRole;
  password_hash: string;
  zalo_user_id: string | null;
  disabled: number;
  created_at: number;
  updated_at: number;
  password_changed_at: number;
  last_login_at: number | null;
}

/** A live session joined with its account (the role is read on every request, so a change applies at once). */
export interface SessionWithAccount {
  account: StaffAccountRow;
  csrfToken: string;
  expiresAt: number;
  lastSeenAt: number;
}

/** Consecutive failed attempts counted under one throttle key, and until when that key is locked. */
export interface LoginFailures {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

export interface AccountChange {
  role?: StaffRole;
  displayName?: string | null;
  zaloUserId?: string | null;
  disabled?: boolean;
}

export interface StaffRepository {
  create(a: { username: string; displayName: string | null; role: StaffRole; passwordHash: string; zaloUserId: string | null }, at: number): StaffAccountRow;
  byUsername(username: string): StaffAccountRow | undefined;
  byId(id: number): StaffAccountRow | undefined;
  list(): StaffAccountRow[];
  update(id: number, change: AccountChange, at: number): StaffAccountRow | undefined;
  /** Sets a new password hash and ends every session of the account. */
  setPassword(id: number, passwordHash: string, at: number): void;
  markLogin(id: number, at: number): void;
  createSession(s: { idHash: string; accountId: number; csrfToken: string; at: number; expiresAt: number }): void;
  /** The session with its enabled account, if it exists and has not expired. */
  session(idHash: string, now: number): SessionWithAccount | undefined;
  touchSession(idHash: string, at: number): void;
  deleteSession(idHash: string): void;
  deleteSessionsOf(accountId: number): number;
  deleteExpiredSessions(now: number): number;
  /** Throttle keys (see staff-service.ts: account, account@address, address) → failures and lock. */
  failures(key: string): LoginFailures | undefined;
  /**
   * Counts one more failure (starting again from 1 when the last one is older than `staleBefore`); at `limit` the key
   * is locked until `lockUntil` and the count starts again.
   */
  recordFailure(key: string, at: number, limit: number, lockUntil: number, staleBefore: number): LoginFailures;
  clearFailures(key: string): void;
  /** Deletes every key equal to `key` or starting with `prefix` (an admin's unlock); returns how many. */
  clearFailuresLike(key: string, prefix: string): number;
  /** The latest lock still running among `key` and the keys starting with `prefix`, or 0. */
  lockedUntilLike(key: string, prefix: string, now: number): number;
  /** Forgets failure counts not touched since `before` (they have long stopped mattering). */
  pruneFailures(before: number): void;
  /** The Zalo user ids an account registered as its own (the admin-set zalo_user_id included). */
  zaloIdsOf(accountId: number): string[];
  addZaloId(accountId: number, zaloUserId: string, at: number): boolean;
  removeZaloId(accountId: number, zaloUserId: string): boolean;
  /** Whether any enabled account registered this Zalo user id. */
  isStaffZaloId(zaloUserId: string): boolean;
}

/** SQLite staff accounts, sessions and login failures. */
export function createStaffRepository(db: Db): StaffRepository {
  const insert = db.prepare(
    `INSERT INTO staff_accounts (username, display_name, role, password_hash, zalo_user_id, created_at, updated_at, password_changed_at)
     VALUES (@username, @displayName, @role, @passwordHash, @zaloUserId, @at, @at, @at) RETURNING *`,
  );
  const byUsername = db.prepare(`SELECT * FROM staff_accounts WHERE username = ?`);
  const byId = db.prepare(`SELECT * FROM staff_accounts WHERE id = ?`);
  const list = db.prepare(`SELECT * FROM staff_accounts ORDER BY username`);
  const update = db.prepare(
    `UPDATE staff_accounts SET
       role = coalesce(@role, role),
       display_name = CASE WHEN @setDisplayName THEN @displayName ELSE display_name END,
       zalo_user_id = CASE WHEN @setZalo THEN @zaloUserId ELSE zalo_user_id END,
       disabled = coalesce(@disabled, disabled),
       updated_at = @at
     WHERE id = @id RETURNING *`,
  );
  const setPassword = db.prepare(`UPDATE staff_accounts SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE id = ?`);
  const markLogin = db.prepare(`UPDATE staff_accounts SET last_login_at = ? WHERE id = ?`);
  const insertSession = db.prepare(
    `INSERT INTO staff_sessions (id_hash, account_id, csrf_token, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const session = db.prepare(
    `SELECT s.csrf_token, s.expires_at, s.last_seen_at, a.*
     FROM staff_sessions s JOIN staff_accounts a ON a.id = s.account_id
     WHERE s.id_hash = ? AND s.expires_at > ? AND a.disabled = 0`,
  );
  const touch = db.prepare(`UPDATE staff_sessions SET last_seen_at = ? WHERE id_hash = ?`);
  const deleteSession = db.prepare(`DELETE FROM staff_sessions WHERE id_hash = ?`);
  const deleteSessionsOf = db.prepare(`DELETE FROM staff_sessions WHERE account_id = ?`);
  const deleteExpired = db.prepare(`DELETE FROM staff_sessions WHERE expires_at <= ?`);
  const failures = db.prepare(`SELECT failures, last_failure_at AS lastFailureAt, locked_until AS lockedUntil FROM staff_login_throttle WHERE key = ?`);
  const recordFailure = db.prepare(
    `INSERT INTO staff_login_throttle (key, failures, last_failure_at, locked_until) VALUES (@key, 1, @at, 0)
     ON CONFLICT(key) DO UPDATE SET failures = CASE WHEN last_failure_at < @staleBefore THEN 1 ELSE failures + 1 END, last_failure_at = @at
     RETURNING failures`,
  );
  const lock = db.prepare(`UPDATE staff_login_throttle SET failures = 0, locked_until = ? WHERE key = ?`);
  const clearFailures = db.prepare(`DELETE FROM staff_login_throttle WHERE key = ?`);
  // substr rather than LIKE: user names may hold '_' (a LIKE wildcard).
  const clearLike = db.prepare(`DELETE FROM staff_login_throttle WHERE key = @key OR substr(key, 1, length(@prefix)) = @prefix`);
  const lockedLike = db.prepare(
    `SELECT coalesce(max(locked_until), 0) FROM staff_login_throttle WHERE (key = @key OR substr(key, 1, length(@prefix)) = @prefix) AND locked_until > @now`,
  );
  const prune = db.prepare(`DELETE FROM staff_login_throttle WHERE last_failure_at < ? AND locked_until < ?`);
  const zaloIds = db.prepare(
    `SELECT zalo_user_id FROM staff_zalo_ids WHERE account_id = @id
     UNION SELECT zalo_user_id FROM staff_accounts WHERE id = @id AND zalo_user_id IS NOT NULL ORDER BY 1`,
  );
  const addZaloId = db.prepare(`INSERT OR IGNORE INTO staff_zalo_ids (account_id, zalo_user_id, created_at) VALUES (?, ?, ?)`);
  const removeZaloId = db.prepare(`DELETE FROM staff_zalo_ids WHERE account_id = ? AND zalo_user_id = ?`);
  const isStaffZaloId = db.prepare(
    `SELECT EXISTS (SELECT 1 FROM staff_zalo_ids z JOIN staff_accounts a ON a.id = z.account_id WHERE z.zalo_user_id = @id AND a.disabled = 0)
         OR EXISTS (SELECT 1 FROM staff_accounts WHERE zalo_user_id = @id AND disabled = 0)`,
  );

  const setPasswordTx = db.transaction((id: number, hash: string, at: number) => {
    setPassword.run(hash, at, at, id);
    deleteSessionsOf.run(id);
  });
  const recordFailureTx = db.transaction((key: string, at: number, limit: number, lockUntil: number, staleBefore: number): LoginFailures => {
    const n = (recordFailure.get({ key, at, staleBefore }) as { failures: number }).failures;
    if (n >= limit) lock.run(lockUntil, key);
    return failures.get(key) as LoginFailures;
  });
  const updateTx = db.transaction((id: number, c: AccountChange, at: number) => {
    const row = update.get({
      id,
      at,
      role: c.role ?? null,
      setDisplayName: c.displayName !== undefined ? 1 : 0,
      displayName: c.displayName ?? null,
      setZalo: c.zaloUserId !== undefined ? 1 : 0,
      zaloUserId: c.zaloUserId ?? null,
      disabled: c.disabled === undefined ? null : c.disabled ? 1 : 0,
    }) as StaffAccountRow | undefined;
    // A disabled account is signed out everywhere at once.
    if (row && c.disabled) deleteSessionsOf.run(id);
    return row;
  });

  return {
    create: (a, at) => insert.get({ ...a, at }) as StaffAccountRow,
    byUsername: (username) => byUsername.get(username) as StaffAccountRow | undefined,
    byId: (id) => byId.get(id) as StaffAccountRow | undefined,
    list: () => list.all() as StaffAccountRow[],
    update: (id, change, at) => updateTx(id, change, at),
    setPassword: (id, hash, at) => setPasswordTx(id, hash, at),
    markLogin: (id, at) => void markLogin.run(at, id),
    createSession: (s) => void insertSession.run(s.idHash, s.accountId, s.csrfToken, s.at, s.at, s.expiresAt),
    session(idHash, now) {
      const row = session.get(idHash, now) as (StaffAccountRow & { csrf_token: string; expires_at: number; last_seen_at: number }) | undefined;
      if (!row) return undefined;
      const { csrf_token: csrfToken, expires_at: expiresAt, last_seen_at: lastSeenAt, ...account } = row;
      return { account, csrfToken, expiresAt, lastSeenAt };
    },
    touchSession: (idHash, at) => void touch.run(at, idHash),
    deleteSession: (idHash) => void deleteSession.run(idHash),
    deleteSessionsOf: (accountId) => deleteSessionsOf.run(accountId).changes,
    deleteExpiredSessions: (now) => deleteExpired.run(now).changes,
    failures: (key) => failures.get(key) as LoginFailures | undefined,
    recordFailure: (key, at, limit, lockUntil, staleBefore) => recordFailureTx.immediate(key, at, limit, lockUntil, staleBefore),
    clearFailures: (key) => void clearFailures.run(key),
    clearFailuresLike: (key, prefix) => clearLike.run({ key, prefix }).changes,
    lockedUntilLike: (key, prefix, now) => lockedLike.pluck().get({ key, prefix, now }) as number,
    pruneFailures: (before) => void prune.run(before, before),
    zaloIdsOf: (accountId) => zaloIds.pluck().all({ id: accountId }) as string[],
    addZaloId: (accountId, zaloUserId, at) => addZaloId.run(accountId, zaloUserId, at).changes > 0,
    removeZaloId: (accountId, zaloUserId) => removeZaloId.run(accountId, zaloUserId).changes > 0,
    isStaffZaloId: (zaloUserId) => (isStaffZaloId.pluck().get({ id: zaloUserId }) as number) === 1,
  };
}
