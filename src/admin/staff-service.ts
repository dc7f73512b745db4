import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { AuditLog } from './audit-log.ts';
import { accountKey, accountPrefix, createLoginThrottle, loginKeys, passwordChangeKeys } from './login-throttle.ts';
import { AppError } from './app-error.ts';
import { staffMessage } from './staff-messages.ts';
import { hashPassword, HasherBusyError, passwordProblem, type PasswordHasher } from './passwords.ts';
import { STAFF_ROLES, type StaffAccountRow, type StaffRepository } from './staff-repository.ts';

// Staff accounts and logins: the rules shared by the console API and the staff:* CLIs. Every change and every
// login attempt is written to the audit log here, so no caller can forget it.

const TOUCH_EVERY_MS = 60_000;
/** Zalo ids one account may register as its own (a person has a phone or two, not a list of citizens). */
const MAX_OWN_ZALO_IDS = 5;
const FORGET_FAILURES_AFTER_MS = 24 * 3600_000;
export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/;

export type { AuditActor, StaffAccountView, LoginResult, NewAccount, StaffService } from './staff-types.ts';
import type { AuditActor, StaffAccountView, StaffService } from './staff-types.ts';

export interface StaffServiceDeps {
  repo: StaffRepository;
  audit: AuditLog;
  clock: Clock;
  sessionHours: number;
  /** A session unused this long ends (besides the absolute sessionHours). */
  idleMinutes: number;
  /** scrypt behind a concurrency limit (its cost is injected: tests use a low one). */
  hasher: PasswordHasher;
}

/** sha256 of a session token: what the database keeps. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Constant-time comparison of two strings (tokens, CSRF values). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const accountExists = (username: string) => new AppError(409, 'account_exists', staffMessage('accountExists', { username }), { fields: { username: staffMessage('accountExists', { username }) } });
const accountNotFound = (account: string | number) => new AppError(404, 'account_not_found', staffMessage('accountNotFound', { account: typeof account === 'number' ? staffMessage('accountNumber', { id: account }) : account }));
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The public shape of an account. */
export function viewAccount(a: StaffAccountRow, lockedUntil = 0): StaffAccountView {
  return {
    id: a.id,
    username: a.username,
    displayName: a.display_name,
    role: a.role,
    zaloUserId: a.zalo_user_id,
    disabled: a.disabled === 1,
    createdAt: iso(a.created_at)!,
    lastLoginAt: iso(a.last_login_at),
    passwordChangedAt: iso(a.password_changed_at)!,
    lockedUntil: lockedUntil > 0 ? iso(lockedUntil) : null,
  };
}

/** Account rules, logins with lockout, sessions. */
export function createStaffService(deps: StaffServiceDeps): StaffService {
  const now = () => deps.clock.now().getTime();
  const audit = (by: AuditActor, action: string, target?: string, detail?: Record<string, unknown>) =>
    deps.audit.append({ actor: by.name, actorKind: by.kind, role: by.role, ip: by.ip, action, target, detail }, now());
  const throttle = createLoginThrottle({ repo: deps.repo, now });
  const idleMs = deps.idleMinutes * 60_000;
  // A hash nobody knows the password of, at the injected cost: checked when the user name is unknown, so both
  // answers take as long. Made once, outside the queue.
  let decoy: Promise<string> | undefined;
  const decoyHash = () => (decoy ??= hashPassword(randomBytes(24).toString('base64url'), deps.hasher.cost));
  const lockOf = (username: string) => deps.repo.lockedUntilLike(accountKey(username), accountPrefix(username), now());
  const view = (a: StaffAccountRow) => viewAccount(a, lockOf(a.username));

  function checkPassword(password: string, username?: string, field = 'password'): void {
    const problem = passwordProblem(password, { username });
    if (problem) throw new AppError(400, 'weak_password', problem, { fields: { [field]: problem } });
  }
  async function checkNotPrevious(password: string, previousHash: string, field = 'password'): Promise<void> {
    const same = staffMessage('passwordSameAsCurrent');
    if (await deps.hasher.verify(password, previousHash)) throw new AppError(400, 'password_unchanged', same, { fields: { [field]: same } });
  }
  /** Hashing refused for a full queue becomes a 503 the console can show. */
  async function hashing<T>(job: () => Promise<T>): Promise<T> {
    try {
      return await job();
    } catch (err) {
      if (err instanceof HasherBusyError) throw new AppError(503, 'busy', staffMessage('busy'));
      throw err;
    }
  }
  function checkZaloId(id: string | null | undefined): void {
    if (id && !/^\d{1,25}$/.test(id)) throw AppError.field('zaloUserId', staffMessage('zaloIdDigits'));
  }

  return {
    async create(input, by) {
      const username = input.username.trim().toLowerCase();
      if (!USERNAME.test(username)) throw AppError.field('username', staffMessage('usernameInvalid'));
      if (!(STAFF_ROLES as readonly string[]).includes(input.role)) {
        throw AppError.field('role', staffMessage('roleInvalid', { roles: STAFF_ROLES.map((r) => staffMessage(`role.${r}`)).join(', ') }));
      }
      checkPassword(input.password, username);
      checkZaloId(input.zaloUserId);
      if (deps.repo.byUsername(username)) throw accountExists(username);
      const passwordHash = await hashing(() => deps.hasher.hash(input.password));
      // Checked again after the (slow) hash: another request may have taken the name meanwhile.
      if (deps.repo.byUsername(username)) throw accountExists(username);
      const row = deps.repo.create({ username, role: input.role, passwordHash, displayName: input.displayName?.trim() || null, zaloUserId: input.zaloUserId || null }, now());
      audit(by, 'account.create', username, { role: input.role });
      return view(row);
    },

    async setPassword(username, password, by) {
      const account = deps.repo.byUsername(username.trim().toLowerCase());
      if (!account) throw accountNotFound(username.trim().toLowerCase());
      checkPassword(password, account.username);
      await hashing(() => checkNotPrevious(password, account.password_hash));
      deps.repo.setPassword(account.id, await hashing(() => deps.hasher.hash(password)), now());
      // A reset by an admin also lifts the lock-out (the usual reason for asking).
      deps.repo.clearFailuresLike(accountKey(account.username), accountPrefix(account.username));
      audit(by, 'account.password', account.username);
    },

    update(id, change, by) {
      const before = deps.repo.byId(id);
      if (!before) throw accountNotFound(id);
      checkZaloId(change.zaloUserId);
      const demotesLastAdmin =
        before.role === 'admin' && ((change.role !== undefined && change.role !== 'admin') || change.disabled === true) &&
        deps.repo.list().filter((a) => a.role === 'admin' && a.disabled === 0).length <= 1;
      if (demotesLastAdmin) throw new AppError(409, 'last_admin', staffMessage('lastAdmin'));
      const after = deps.repo.update(id, change, now())!;
      const changed: Record<string, unknown> = {};
      if (change.role !== undefined && change.role !== before.role) changed.role = { from: before.role, to: change.role };
      if (change.disabled !== undefined && change.disabled !== (before.disabled === 1)) changed.disabled = change.disabled;
      if (change.displayName !== undefined) changed.displayName = true;
      if (change.zaloUserId !== undefined) changed.zaloUserId = true;
      audit(by, 'account.update', before.username, changed);
      return view(after);
    },

    list: () => deps.repo.list().map(view),

    async login(rawUsername, password, meta) {
      const username = rawUsername.trim().toLowerCase().slice(0, 100);
      const address = meta.ip ?? 'unknown';
      const by: AuditActor = { name: username || '(empty)', kind: 'anonymous', ip: meta.ip };
      // A flood is refused before anything is counted or hashed; not audited (that would let it fill the log).
      if (!deps.hasher.hasRoom()) return { ok: false, reason: 'busy' };
      const taken = throttle.take(loginKeys(username, address), address, now());
      if (!taken.ok) {
        if (taken.reason === 'throttled') return taken;
        audit(by, 'login.locked', username, { lockedUntil: iso(taken.lockedUntil) });
        return taken;
      }
      const { attempt } = taken;
      const account = deps.repo.byUsername(username);
      let matches: boolean;
      try {
        matches = await deps.hasher.verify(password, account?.password_hash ?? (await decoyHash()));
      } catch (err) {
        attempt.abandon();
        if (err instanceof HasherBusyError) return { ok: false, reason: 'busy' };
        throw err;
      }
      if (!account || !matches || account.disabled === 1) {
        const after = attempt.failed();
        deps.repo.pruneFailures(now() - FORGET_FAILURES_AFTER_MS);
        const locked = after.lockedUntil > now();
        audit(by, 'login.failure', username, locked ? { lockedUntil: iso(after.lockedUntil) } : { failures: after.failures });
        return locked ? { ok: false, reason: 'locked', lockedUntil: after.lockedUntil } : { ok: false, reason: 'invalid' };
      }
      attempt.succeeded([loginKeys(username, address)[0]!.key, accountKey(username)]);
      deps.repo.deleteExpiredSessions(now());
      const token = randomBytes(32).toString('base64url');
      const start = now();
      deps.repo.createSession({ idHash: hashToken(token), accountId: account.id, csrfToken: randomBytes(32).toString('base64url'), at: start, expiresAt: start + deps.sessionHours * 3600_000 });
      deps.repo.markLogin(account.id, start);
      audit({ name: account.username, kind: 'staff', role: account.role, ip: meta.ip }, 'login.success', account.username);
      return { ok: true, token, session: deps.repo.session(hashToken(token), start)! };
    },

    authenticate(token) {
      const idHash = hashToken(token);
      const at = now();
      const session = deps.repo.session(idHash, at);
      if (!session) return undefined;
      // Idle timeout: a console left open on a shared desk ends on its own. Activity is noted once a minute, so the
      // timeout is exact to within that minute.
      if (at - session.lastSeenAt > idleMs) {
        deps.repo.deleteSession(idHash);
        return undefined;
      }
      if (at - session.lastSeenAt > TOUCH_EVERY_MS) deps.repo.touchSession(idHash, at);
      return session;
    },

    logout(token, by) {
      deps.repo.deleteSession(hashToken(token));
      audit(by, 'logout', by.name);
    },

    async changeOwnPassword(accountId, current, next, by) {
      const account = deps.repo.byId(accountId);
      if (!account) throw new AppError(404, 'account_not_found', staffMessage('ownAccountGone'));
      // The current-password check is a password guess too (a stolen session must not brute-force it): counted first.
      const address = by.ip ?? 'unknown';
      const taken = throttle.take(passwordChangeKeys(accountId), address, now());
      if (!taken.ok) {
        if (taken.reason === 'locked') audit(by, 'account.password.locked', account.username, { lockedUntil: iso(taken.lockedUntil) });
        throw new AppError(429, 'password_change_locked', staffMessage('passwordChangeLocked', { minutes: Math.max(1, Math.ceil(((taken.reason === 'locked' ? taken.lockedUntil : now()) - now()) / 60_000)) }));
      }
      let matches: boolean;
      try {
        matches = await hashing(() => deps.hasher.verify(current, account.password_hash));
      } catch (err) {
        taken.attempt.abandon();
        throw err;
      }
      if (!matches) {
        const after = taken.attempt.failed();
        audit(by, 'account.password.failure', account.username, after.lockedUntil > now() ? { lockedUntil: iso(after.lockedUntil) } : { failures: after.failures });
        throw new AppError(403, 'wrong_password', staffMessage('wrongCurrentPassword'), { fields: { current: staffMessage('wrongCurrentPassword') } });
      }
      taken.attempt.succeeded([passwordChangeKeys(accountId)[0]!.key]);
      checkPassword(next, account.username, 'next');
      await hashing(() => checkNotPrevious(next, account.password_hash, 'next'));
      // Every session ends, this one included: the console asks to log in again with the new password.
      deps.repo.setPassword(account.id, await hashing(() => deps.hasher.hash(next)), now());
      audit(by, 'account.password', account.username, { own: true });
    },

    unlock(id, by) {
      const account = deps.repo.byId(id);
      if (!account) throw accountNotFound(id);
      const cleared = deps.repo.clearFailuresLike(accountKey(account.username), accountPrefix(account.username));
      audit(by, 'account.unlock', account.username, { cleared });
      return view(account);
    },

    ownZaloIds: (accountId) => deps.repo.zaloIdsOf(accountId),

    addOwnZaloId(accountId, zaloUserId, by) {
      const account = deps.repo.byId(accountId);
      if (!account) throw new AppError(404, 'account_not_found', staffMessage('ownAccountGone'));
      if (!/^\d{1,25}$/.test(zaloUserId)) throw AppError.field('userId', staffMessage('zaloIdDigits'));
      if (deps.repo.zaloIdsOf(accountId).length >= MAX_OWN_ZALO_IDS) throw new AppError(409, 'zalo_id_limit', staffMessage('zaloIdLimit', { max: MAX_OWN_ZALO_IDS }));
      if (deps.repo.addZaloId(accountId, zaloUserId, now())) audit(by, 'account.zalo.add', account.username, { zaloUserId });
      return deps.repo.zaloIdsOf(accountId);
    },

    removeOwnZaloId(accountId, zaloUserId, by) {
      const account = deps.repo.byId(accountId);
      if (!account) throw new AppError(404, 'account_not_found', staffMessage('ownAccountGone'));
      if (deps.repo.removeZaloId(accountId, zaloUserId)) audit(by, 'account.zalo.remove', account.username, { zaloUserId });
      return deps.repo.zaloIdsOf(accountId);
    },

    isStaffZaloId: (zaloUserId) => deps.repo.isStaffZaloId(zaloUserId),
  };
}
