import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import { SESSION_COOKIE, readCookie, sessionCookieOptions } from './cookies.ts';
import { utcOffsetAt } from '../time.ts';
import type { StaffRepository } from './staff-repository.ts';
import { staffMessage } from './staff-messages.ts';
import { StaffRequestError, type StaffService } from './staff-service.ts';

const loginBody = z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) });
const passwordBody = z.strictObject({ current: z.string().min(1).max(200), next: z.string().min(1).max(200) });
const zaloIdBody = z.strictObject({ userId: z.string().regex(/^\d{1,25}$/, staffMessage('zaloIdDigits')) });

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
    const body = loginBody.safeParse(req.body ?? {});
    if (!body.success) return void res.status(400).json({ error: 'send JSON {"username", "password"}' });
    const result = await deps.staff.login(body.data.username, body.data.password, { ip: req.ip });
    res.setHeader('cache-control', 'no-store');
    if (!result.ok && result.reason === 'throttled') {
      res.setHeader('retry-after', '1');
      return void res.status(429).json({ error: 'too_many_attempts', message: staffMessage('loginThrottled') });
    }
    if (!result.ok && result.reason === 'busy') {
      res.setHeader('retry-after', '5');
      return void res.status(503).json({ error: 'busy', message: staffMessage('loginBusy') });
    }
    if (!result.ok && result.reason === 'locked') {
      const seconds = Math.max(1, Math.ceil((result.lockedUntil - deps.clock.now().getTime()) / 1000));
      res.setHeader('retry-after', String(seconds));
      return void res.status(429).json({ error: 'locked', lockedUntil: new Date(result.lockedUntil).toISOString(), retryAfterSeconds: seconds });
    }
    if (!result.ok) return void res.status(401).json({ error: 'invalid username or password' });
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
    const body = passwordBody.safeParse(req.body ?? {});
    if (!body.success) return void res.status(400).json({ error: 'send JSON {"current", "next"}' });
    const s = req.actor!.session;
    if (!s) return void res.status(400).json({ error: 'the bearer token has no password; use npm run staff:passwd' });
    try {
      await deps.staff.changeOwnPassword(s.accountId, body.data.current, body.data.next, by(req));
    } catch (err) {
      if (err instanceof StaffRequestError) return void res.status(err.status).json({ error: err.message });
      throw err;
    }
    endCookie(res);
    res.json({ ok: true, loginAgain: true });
  });

  // One's own Zalo user ids (the only preview targets). The bearer has no account, hence no ids of its own.
  router.post('/session/zalo-ids', (req, res) => {
    const s = req.actor!.session;
    if (!s) return void res.status(400).json({ error: staffMessage('bearerHasNoAccount') });
    const body = zaloIdBody.safeParse(req.body ?? {});
    if (!body.success) return void res.status(400).json({ error: body.error.issues.map((i) => i.message).join('; ') });
    try {
      res.json({ zaloUserIds: deps.staff.addOwnZaloId(s.accountId, body.data.userId, by(req)) });
    } catch (err) {
      if (err instanceof StaffRequestError) return void res.status(err.status).json({ error: err.message });
      throw err;
    }
  });

  router.delete('/session/zalo-ids/:userId', (req, res) => {
    const s = req.actor!.session;
    if (!s) return void res.status(400).json({ error: staffMessage('bearerHasNoAccount') });
    res.json({ zaloUserIds: deps.staff.removeOwnZaloId(s.accountId, String(req.params.userId), by(req)) });
  });

  return router;
}
