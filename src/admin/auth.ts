import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

/** Who is acting on the staff side (recorded in histories and audit logs). */
export interface StaffActor {
  kind: 'token' | 'staff';
  name: string;
  role: 'admin' | 'editor' | 'handler' | 'viewer';
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

/**
 * Requires `Authorization: Bearer <ADMIN_TOKEN>` (scripts). Without a configured token the
 * admin API is closed: 503 says so, so an operator knows what to set.
 */
export function requireAdminToken(adminToken: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (req.actor) return next();
    if (!adminToken) {
      res.status(503).json({ error: 'admin API disabled: set ADMIN_TOKEN' });
      return;
    }
    const header = req.get('authorization') ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (!m || !equal(m[1]!.trim(), adminToken)) {
      res.status(401).json({ error: 'unauthorized' });
      return;
    }
    req.actor = { kind: 'token', name: 'admin-token', role: 'admin' };
    next();
  };
}
