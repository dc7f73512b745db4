import { timingSafeEqual } from 'node:crypto';
import type { StaffRole } from './staff-repository.ts';

/** Who is acting on the staff side (recorded in histories and audit logs). */
export interface StaffActor {
  /** `token`: the ADMIN_TOKEN bearer (scripts); `staff`: a console session. */
  kind: 'token' | 'staff';
  name: string;
  /** Console sessions: the account's display name, when it has one (what a unit's source names). */
  displayName?: string | undefined;
  role: StaffRole;
  /** Console sessions only: the account, and the CSRF token every state-changing request must echo. */
  session?: { accountId: number; csrfToken: string; expiresAt: number };
  /**
   * Whether a post preview may go to this Zalo user id: a staff member's own registered ids; for the bearer, ids
   * some staff account registered. Set by the staff guard; absent means no.
   */
  mayPreviewTo?: (zaloUserId: string) => boolean;
}

declare module 'express-serve-static-core' {
  interface Request {
    actor?: StaffActor;
  }
}

const equal = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The actor of the scripts' bearer token. Its name is what histories show for changes made with it. */
export const TOKEN_ACTOR: StaffActor = Object.freeze({ kind: 'token', name: 'admin-token', role: 'admin' });

/**
 * Reads `Authorization: Bearer <ADMIN_TOKEN>`: 'absent' without the header, the token actor when it matches
 * (constant-time), 'invalid' otherwise — also when no ADMIN_TOKEN is configured, so a bearer never opens a closed API.
 */
export function bearerActor(header: string | undefined, adminToken: string | undefined): StaffActor | 'absent' | 'invalid' {
  if (!header) return 'absent';
  const m = /^Bearer\s+(.+)$/i.exec(header);
  if (!m || !adminToken || !equal(m[1]!.trim(), adminToken)) return 'invalid';
  return TOKEN_ACTOR;
}
