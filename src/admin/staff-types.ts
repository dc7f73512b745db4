import type { AuditActorKind } from './audit-log.ts';
import type { AccountChange, SessionWithAccount, StaffRole } from './staff-repository.ts';

// The shapes of the staff service (src/admin/staff-service.ts): who acts, what an account looks like to callers,
// login outcomes, the service's methods.

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
  /** Until when some address (or every address) is locked out of the account after failed logins. */
  lockedUntil: string | null;
}

export type LoginResult =
  | { ok: true; token: string; session: SessionWithAccount }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; lockedUntil: number }
  /** Too many logins of this address are being checked right now: refused before any hashing. */
  | { ok: false; reason: 'throttled' }
  /** The password hashing queue is full (a flood): refused before any hashing. */
  | { ok: false; reason: 'busy' };

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
  /** Lifts every login lock of an account (all addresses); audited. */
  unlock(id: number, by: AuditActor): StaffAccountView;
  /** The Zalo user ids an account registered as its own (post previews may go only there). */
  ownZaloIds(accountId: number): string[];
  addOwnZaloId(accountId: number, zaloUserId: string, by: AuditActor): string[];
  removeOwnZaloId(accountId: number, zaloUserId: string, by: AuditActor): string[];
  /** Whether some enabled staff account registered this Zalo user id (the bearer's preview targets). */
  isStaffZaloId(zaloUserId: string): boolean;
}

