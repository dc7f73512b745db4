import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { AuditActorKind, AuditLog } from './audit-log.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { STAFF_ROLES, type AccountChange, type SessionWithAccount, type StaffAccountRow, type StaffRepository, type StaffRole } from './staff-repository.ts';

// Staff accounts and logins: the rules shared by the console API and the staff:* CLIs. Every change and every
// login attempt is written to the audit log here, so no caller can forget it.

/** Failed logins in a row that lock a user name, and for how long. */
export const LOCKOUT = { maxFailures: 5, minutes: 15 } as const;
const TOUCH_EVERY_MS = 60_000;
const FORGET_FAILURES_AFTER_MS = 24 * 3600_000;
export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/;

/** A refusal to show as is: HTTP status and an English message saying what to change. */
export class StaffRequestError extends Error {
  override name = 'StaffRequestError';
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

/** Who does something, for the audit log. */
export interface AuditActor {
  name: string;
  kind: AuditActorKind;
  role?: string | undefined;
  ip?: string | undefined;
}

/** An account as shown to admins (never the hash). */
export interface StaffAccountView {
  id: number;
  username: string;
  displayName: string | null;
  role: StaffRole;
  zaloUserId: string | null;
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
  passwordChangedAt: string;
}

export type LoginResult =
  | { ok: true; token: string; session: SessionWithAccount }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; lockedUntil: number };

export interface NewAccount {
  username: string;
  role: StaffRole;
  password: string;
  displayName?: string | undefined;
  zaloUserId?: string | undefined;
}

export interface StaffService {
  create(input: NewAccount, by: AuditActor): Promise<StaffAccountView>;
  setPassword(username: string, password: string, by: AuditActor): Promise<void>;
  update(id: number, change: AccountChange, by: AuditActor): StaffAccountView;
  list(): StaffAccountView[];
  login(username: string, password: string, meta: { ip?: string | undefined }): Promise<LoginResult>;
  /** The session behind a cookie value, if live (and notes the activity at most once a minute). */
  authenticate(token: string): SessionWithAccount | undefined;
  logout(token: string, by: AuditActor): void;
  changeOwnPassword(accountId: number, current: string, next: string, by: AuditActor): Promise<void>;
}

export interface StaffServiceDeps {
  repo: StaffRepository;
  audit: AuditLog;
  clock: Clock;
  sessionHours: number;
}

/** sha256 of a session token: what the database keeps. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Constant-time comparison of two strings (tokens, CSRF values). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The public shape of an account. */
export function viewAccount(a: StaffAccountRow): StaffAccountView {
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
  };
}

/** Account rules, logins with lockout, sessions. */
export function createStaffService(deps: StaffServiceDeps): StaffService {
  const now = () => deps.clock.now().getTime();
  const audit = (by: AuditActor, action: string, target?: string, detail?: Record<string, unknown>) =>
    deps.audit.append({ actor: by.name, actorKind: by.kind, role: by.role, ip: by.ip, action, target, detail }, now());
  // A hash nobody knows the password of: checked when the user name is unknown, so both answers take as long.
  let decoy: Promise<string> | undefined;
  const decoyHash = () => (decoy ??= hashPassword(randomBytes(24).toString('base64url')));

  function checkPassword(password: string): void {
    const problem = passwordProblem(password);
    if (problem) throw new StaffRequestError(400, problem);
  }
  function checkZaloId(id: string | null | undefined): void {
    if (id && !/^\d{1,25}$/.test(id)) throw new StaffRequestError(400, 'zaloUserId must be a Zalo user id (digits)');
  }

  return {
    async create(input, by) {
      const username = input.username.trim().toLowerCase();
      if (!USERNAME.test(username)) throw new StaffRequestError(400, 'username: 2-40 characters, lower-case letters, digits, dot, dash or underscore');
      if (!(STAFF_ROLES as readonly string[]).includes(input.role)) throw new StaffRequestError(400, `role must be one of ${STAFF_ROLES.join(', ')}`);
      checkPassword(input.password);
      checkZaloId(input.zaloUserId);
      if (deps.repo.byUsername(username)) throw new StaffRequestError(409, `account "${username}" already exists`);
      const passwordHash = await hashPassword(input.password);
      // Checked again after the (slow) hash: another request may have taken the name meanwhile.
      if (deps.repo.byUsername(username)) throw new StaffRequestError(409, `account "${username}" already exists`);
      const row = deps.repo.create({ username, role: input.role, passwordHash, displayName: input.displayName?.trim() || null, zaloUserId: input.zaloUserId || null }, now());
      audit(by, 'account.create', username, { role: input.role });
      return viewAccount(row);
    },

    async setPassword(username, password, by) {
      const account = deps.repo.byUsername(username.trim().toLowerCase());
      if (!account) throw new StaffRequestError(404, `no account "${username}"`);
      checkPassword(password);
      deps.repo.setPassword(account.id, await hashPassword(password), now());
      deps.repo.clearFailures(account.username);
      audit(by, 'account.password', account.username);
    },

    update(id, change, by) {
      const before = deps.repo.byId(id);
      if (!before) throw new StaffRequestError(404, `no account ${id}`);
      checkZaloId(change.zaloUserId);
      const demotesLastAdmin =
        before.role === 'admin' && ((change.role !== undefined && change.role !== 'admin') || change.disabled === true) &&
        deps.repo.list().filter((a) => a.role === 'admin' && a.disabled === 0).length <= 1;
      if (demotesLastAdmin) throw new StaffRequestError(409, 'this is the last active admin account: create another admin first');
      const after = deps.repo.update(id, change, now())!;
      const changed: Record<string, unknown> = {};
      if (change.role !== undefined && change.role !== before.role) changed.role = { from: before.role, to: change.role };
      if (change.disabled !== undefined && change.disabled !== (before.disabled === 1)) changed.disabled = change.disabled;
      if (change.displayName !== undefined) changed.displayName = true;
      if (change.zaloUserId !== undefined) changed.zaloUserId = true;
      audit(by, 'account.update', before.username, changed);
      return viewAccount(after);
    },

    list: () => deps.repo.list().map(viewAccount),

    async login(rawUsername, password, meta) {
      const username = rawUsername.trim().toLowerCase().slice(0, 100);
      const at = now();
      const by: AuditActor = { name: username || '(empty)', kind: 'anonymous', ip: meta.ip };
      const failures = deps.repo.failures(username);
      if (failures && failures.lockedUntil > at) {
        audit(by, 'login.locked', username, { lockedUntil: iso(failures.lockedUntil) });
        return { ok: false, reason: 'locked', lockedUntil: failures.lockedUntil };
      }
      const account = deps.repo.byUsername(username);
      const matches = await verifyPassword(password, account?.password_hash ?? (await decoyHash()));
      if (!account || !matches || account.disabled === 1) {
        const after = deps.repo.recordFailure(username, now(), LOCKOUT.maxFailures, now() + LOCKOUT.minutes * 60_000);
        deps.repo.pruneFailures(now() - FORGET_FAILURES_AFTER_MS);
        const locked = after.lockedUntil > now();
        audit(by, 'login.failure', username, locked ? { lockedUntil: iso(after.lockedUntil) } : { failures: after.failures });
        return locked ? { ok: false, reason: 'locked', lockedUntil: after.lockedUntil } : { ok: false, reason: 'invalid' };
      }
      deps.repo.clearFailures(username);
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
      if (session && at - session.lastSeenAt > TOUCH_EVERY_MS) deps.repo.touchSession(idHash, at);
      return session;
    },

    logout(token, by) {
      deps.repo.deleteSession(hashToken(token));
      audit(by, 'logout', by.name);
    },

    async changeOwnPassword(accountId, current, next, by) {
      const account = deps.repo.byId(accountId);
      if (!account) throw new StaffRequestError(404, 'account not found');
      if (!(await verifyPassword(current, account.password_hash))) throw new StaffRequestError(403, 'the current password is wrong');
      checkPassword(next);
      // Every session ends, this one included: the console asks to log in again with the new password.
      deps.repo.setPassword(account.id, await hashPassword(next), now());
      audit(by, 'account.password', account.username, { own: true });
    },
  };
}
