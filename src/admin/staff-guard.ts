import type { Request, RequestHandler, Response } from 'express';
import type { Clock } from '../clock.ts';
import { compileRules, matchRule, type AccessRule, type AuditSpec } from './access-policy.ts';
import { AppError } from './app-error.ts';
import type { AuditLog } from './audit-log.ts';
import { bearerActor, type StaffActor } from './auth.ts';
import { SESSION_COOKIE, readCookie } from './cookies.ts';
import { staffMessage } from './staff-messages.ts';
import { sameSecret, type StaffService } from './staff-service.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The header the console sends with every state-changing request. */
export const CSRF_HEADER = 'x-csrf-token';

export interface StaffGuardDeps {
  staff: StaffService;
  audit: AuditLog;
  clock: Clock;
  adminToken: string | undefined;
  rules: readonly AccessRule[];
}

/** The actor as the audit log records it. */
const auditActor = (actor: StaffActor, req: Request) => ({ actor: actor.name, actorKind: actor.kind, role: actor.role, ip: req.ip });

/**
 * Guards /admin/api: the ADMIN_TOKEN bearer (scripts) or a console session cookie, a CSRF token on every
 * state-changing request made with the cookie, then the route's roles. Answers 401 without either credential,
 * 403 for a missing CSRF token or a role that may not call the route. Audited routes are logged once they succeed.
 */
export function createStaffGuard(deps: StaffGuardDeps): RequestHandler {
  const rules = compileRules(deps.rules);
  return (req, res, next) => {
    // Staff data must never sit in a shared cache.
    res.setHeader('cache-control', 'no-store');
    const bearer = bearerActor(req.get('authorization'), deps.adminToken);
    if (bearer === 'invalid') return next(new AppError(401, 'unauthorized', staffMessage('unauthorized')));
    let actor: StaffActor;
    if (bearer !== 'absent') {
      actor = { ...bearer, mayPreviewTo: (id) => deps.staff.isStaffZaloId(id) };
    } else {
      const cookie = readCookie(req, SESSION_COOKIE);
      const session = cookie ? deps.staff.authenticate(cookie) : undefined;
      if (!session) return next(new AppError(401, 'unauthorized', staffMessage('unauthorized'), { details: { login: '/admin' } }));
      actor = {
        kind: 'staff',
        name: session.account.username,
        displayName: session.account.display_name ?? undefined,
        role: session.account.role,
        session: { accountId: session.account.id, csrfToken: session.csrfToken, expiresAt: session.expiresAt },
        mayPreviewTo: (id) => deps.staff.ownZaloIds(session.account.id).includes(id),
      };
      // A cookie rides along on any request the browser makes; only our page can read the token and echo it.
      if (!SAFE_METHODS.has(req.method) && !sameSecret(req.get(CSRF_HEADER) ?? '', session.csrfToken)) {
        return next(new AppError(403, 'csrf_invalid', staffMessage('csrfInvalid')));
      }
    }
    req.actor = actor;

    const match = matchRule(rules, req);
    const roles = match?.rule.roles ?? ['admin'];
    if (!roles.includes(actor.role)) {
      // A refused attempt at something the log tracks (a personal-data export, say) is itself worth a line.
      if (match?.rule.audit) {
        deps.audit.append({ ...auditActor(actor, req), action: 'access.denied', target: match.rule.audit.action, detail: { method: req.method, path: req.path } }, deps.clock.now().getTime());
      }
      const names = roles.map((r) => staffMessage(`role.${r}`)).join(` ${staffMessage('or')} `);
      return next(new AppError(403, 'forbidden', staffMessage('forbidden', { role: staffMessage(`role.${actor.role}`), roles: names }), { details: { role: actor.role } }));
    }
    // Any actor: the bearer's changes are "admin-token", never a name the script puts in the body.
    if (match?.rule.bindActor && req.body && typeof req.body === 'object') {
      (req.body as Record<string, unknown>).actor = actor.name;
    }
    if (match?.rule.audit) auditOnSuccess(deps, match.rule.audit, match.params, req, res, actor);
    next();
  };
}

/** Writes the audit line when the response ends with a success (exports: also when the stream broke off). */
function auditOnSuccess(deps: StaffGuardDeps, spec: AuditSpec, params: Record<string, string>, req: Request, res: Response, actor: StaffActor): void {
  let body: unknown;
  const json = res.json.bind(res);
  res.json = (value: unknown) => {
    body = value;
    return json(value);
  };
  res.once('close', () => {
    // A route's own refusal of an audited action (a preview to someone else's Zalo id, say) is worth a line too.
    if (res.statusCode === 403) {
      try {
        const detail = { method: req.method, path: req.path, ...(spec.detail?.(params, req, body) ?? {}) };
        deps.audit.append({ ...auditActor(actor, req), action: 'access.denied', target: spec.action, detail }, deps.clock.now().getTime());
      } catch (err) {
        req.log.error({ err: (err as Error).message, action: spec.action }, 'Could not write the audit log line; check the database');
      }
      return;
    }
    if (res.statusCode >= 400) return;
    try {
      const detail = spec.detail?.(params, req, body) ?? {};
      if (!res.writableFinished) detail.incomplete = true;
      deps.audit.append({ ...auditActor(actor, req), action: spec.action, target: spec.target?.(params, req, body), detail }, deps.clock.now().getTime());
    } catch (err) {
      req.log.error({ err: (err as Error).message, action: spec.action }, 'Could not write the audit log line; check the database');
    }
  });
}
