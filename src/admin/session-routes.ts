import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import { SESSION_COOKIE, readCookie, sessionCookieOptions } from './cookies.ts';
import { formatLocalShort, utcOffsetAt } from '../time.ts';
import { AppError } from './app-error.ts';
import { LOGIN_RULES } from './login-throttle.ts';
import { validate, zaloUserId } from './request-schemas.ts';
import type { StaffRepository } from './staff-repository.ts';
import { staffMessage } from './staff-messages.ts';
import type { StaffService } from './staff-service.ts';

const loginBody = z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) });
const passwordBody = z.strictObject({ current: z.string().min(1).max(200), next: z.string().min(1).max(200) });
const zaloIdBody = z.strictObject({ userId: zaloUserId });
const noAccount = (key: 'bearerHasNoAccount' | 'bearerHasNoPassword') => new AppError(400, 'bearer_has_no_account', staffMessage(key));

export interface SessionRoutesDeps {
  staff: StaffService;
  repo: StaffRepository;
  clock: Clock;
  cookieSecure: boolean;
  timeZone: string;
  unitName: string;
  petitionOverdueDays: number;
}

/** POST /session: the login. Public (it is how a session starts), so it is mounted before the guard. */
export function createLoginRouter(deps: SessionRoutesDeps): Router {
  const router = express.Router();
  router.post('/session', async (req, res) => {
    // express.json only parses application/json: a cross-site HTML form cannot produce this body.
    const body = validate(loginBody, req.body ?? {});
    const result = await deps.staff.login(body.username, body.password, { ip: req.ip });
    res.setHeader('cache-control', 'no-store');
    if (!result.ok && result.reason === 'throttled') {
      res.setHeader('retry-after', '1');
      throw new AppError(429, 'too_many_attempts', staffMessage('loginThrottled'));
    }
    if (!result.ok && result.reason === 'busy') {
      res.setHeader('retry-after', '5');
      throw new AppError(503, 'busy', staffMessage('loginBusy'));
    }
    if (!result.ok && result.reason === 'locked') {
      const seconds = Math.max(1, Math.ceil((result.lockedUntil - deps.clock.now().getTime()) / 1000));
      res.setHeader('retry-after', String(seconds));
      // The time it ends, in the unit's time zone ("dd/mm/yyyy HH:mm": the hour and minute are what people read).
      const time = formatLocalShort(result.lockedUntil, deps.timeZone).slice(-5);
      const message = staffMessage('loginLocked', { minutes: Math.max(1, Math.ceil(seconds / 60)), time });
      throw new AppError(429, 'locked', message, { details: { lockedUntil: new Date(result.lockedUntil).toISOString(), retryAfterSeconds: seconds } });
    }
    if (!result.ok) {
      const rule = LOGIN_RULES.accountAddress;
      throw new AppError(401, 'invalid_credentials', staffMessage('invalidCredentials', { limit: rule.limit, minutes: rule.lockMs / 60_000 }));
    }
    res.cookie(SESSION_COOKIE, result.token, sessionCookieOptions(deps.cookieSecure, result.session.expiresAt - deps.clock.now().getTime()));
    res.json(sessionView(deps, req, result.session.account.id, result.session.csrfToken, result.session.expiresAt));
  });
  return router;
}

/** What the console needs about the signed-in person, their CSRF token and the unit's settings. */
function sessionView(deps: SessionRoutesDeps, req: Request, accountId: number | undefined, csrfToken: string | null, expiresAt: number | null) {
  const account = accountId === undefined ? undefined : deps.repo.byId(accountId);
  return {
    user: {
      kind: req.actor?.kind ?? 'staff',
      username: account?.username ?? req.actor?.name ?? '',
      displayName: account?.display_name ?? null,
      role: account?.role ?? req.actor?.role ?? 'viewer',
      zaloUserId: account?.zalo_user_id ?? null,
      // Post previews may be sent only to these (registered by the person on the account page).
      zaloUserIds: accountId === undefined ? [] : deps.staff.ownZaloIds(accountId),
    },
    csrfToken,
    expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
    settings: {
      timeZone: deps.timeZone,
      // The page composes send times ("2025-03-10T09:00" + this offset) with it.
      utcOffsetMinutes: Math.round(utcOffsetAt(deps.clock.now().getTime(), deps.timeZone) / 60_000),
      unitName: deps.unitName,
      petitionOverdueDays: deps.petitionOverdueDays,
    },
  };
}

/** GET /session (who am I, CSRF token), DELETE /session (logout), POST /session/password; behind the guard. */
export function createSessionRouter(deps: SessionRoutesDeps): Router {
  const router = express.Router();
  const endCookie = (res: Response) => res.clearCookie(SESSION_COOKIE, sessionCookieOptions(deps.cookieSecure));
  const by = (req: Request) => ({ name: req.actor!.name, kind: req.actor!.kind, role: req.actor!.role, ip: req.ip });

  router.get('/session', (req, res) => {
    const s = req.actor!.session;
    res.json(sessionView(deps, req, s?.accountId, s?.csrfToken ?? null, s?.expiresAt ?? null));
  });

  router.delete('/session', (req, res) => {
    const token = readCookie(req, SESSION_COOKIE);
    if (req.actor!.kind === 'staff' && token) deps.staff.logout(token, by(req));
    endCookie(res);
    res.json({ ok: true });
  });

  router.post('/session/password', async (req, res) => {
    const body = validate(passwordBody, req.body ?? {});
    const s = req.actor!.session;
    if (!s) throw noAccount('bearerHasNoPassword');
    await deps.staff.changeOwnPassword(s.accountId, body.current, body.next, by(req));
    endCookie(res);
    res.json({ ok: true, loginAgain: true });
  });

  // One's own Zalo user ids (the only preview targets). The bearer has no account, hence no ids of its own.
  router.post('/session/zalo-ids', (req, res) => {
    const s = req.actor!.session;
    if (!s) throw noAccount('bearerHasNoAccount');
    const body = validate(zaloIdBody, req.body ?? {});
    res.json({ zaloUserIds: deps.staff.addOwnZaloId(s.accountId, body.userId, by(req)) });
  });

  router.delete('/session/zalo-ids/:userId', (req, res) => {
    const s = req.actor!.session;
    if (!s) throw noAccount('bearerHasNoAccount');
    res.json({ zaloUserIds: deps.staff.removeOwnZaloId(s.accountId, String(req.params.userId), by(req)) });
  });

  return router;
}
