import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { AuditLog } from './audit-log.ts';
import { STAFF_ROLES } from './staff-repository.ts';
import { StaffRequestError, type AuditActor, type StaffService } from './staff-service.ts';

const PAGE_SIZE = 50;
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD');
const auditQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  action: z.string().regex(/^[a-z.]{1,40}$/, 'an action name such as petition.status').optional(),
  actor: z.string().min(1).max(100).optional(),
  from: isoDay.optional(),
  to: isoDay.optional(),
});
const zaloId = z.string().regex(/^\d{1,25}$/, 'must be a Zalo user id (digits)');
const createBody = z.strictObject({
  username: z.string().min(2).max(40),
  role: z.enum(STAFF_ROLES),
  password: z.string().min(1).max(200),
  displayName: z.string().trim().max(100).optional(),
  zaloUserId: zaloId.optional(),
});
const patchBody = z.strictObject({
  role: z.enum(STAFF_ROLES).optional(),
  displayName: z.string().trim().max(100).nullable().optional(),
  zaloUserId: zaloId.nullable().optional(),
  disabled: z.boolean().optional(),
});
const passwordBody = z.strictObject({ password: z.string().min(1).max(200) });

export interface AccountRoutesDeps {
  staff: StaffService;
  audit: AuditLog;
  /** Local calendar days → inclusive epoch range (the same helper the petition filters use). */
  dayRange(from: string | undefined, to: string | undefined): { from?: number; to?: number };
}

const by = (req: Request): AuditActor => ({ name: req.actor!.name, kind: req.actor!.kind, role: req.actor!.role, ip: req.ip });
const fail = (res: Response, error: z.ZodError) =>
  res.status(400).json({ error: error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });

async function guarded(res: Response, fn: () => Promise<void> | void): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof StaffRequestError) return void res.status(err.status).json({ error: err.message });
    throw err;
  }
}

/** Admin only (see the access policy): the audit log, and staff accounts. */
export function createAccountRouter(deps: AccountRoutesDeps): Router {
  const router = express.Router();

  router.get('/audit', (req, res) => {
    const q = auditQuery.safeParse(req.query);
    if (!q.success) return void fail(res, q.error);
    const { page, action, actor, from, to } = q.data;
    const { rows, total } = deps.audit.list({ ...(action ? { action } : {}), ...(actor ? { actor } : {}), ...deps.dayRange(from, to) }, PAGE_SIZE, (page - 1) * PAGE_SIZE);
    res.json({
      items: rows.map((r) => ({
        id: r.id,
        at: new Date(r.at).toISOString(),
        actor: r.actor,
        actorKind: r.actor_kind,
        role: r.role,
        action: r.action,
        target: r.target,
        detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
        ip: r.ip,
      })),
      page,
      pageSize: PAGE_SIZE,
      total,
      actions: deps.audit.actions(),
    });
  });

  router.get('/staff', (_req, res) => {
    res.json({ items: deps.staff.list(), roles: STAFF_ROLES });
  });

  router.post('/staff', (req, res) =>
    guarded(res, async () => {
      const body = createBody.safeParse(req.body ?? {});
      if (!body.success) return void fail(res, body.error);
      res.status(201).json(await deps.staff.create(body.data, by(req)));
    }),
  );

  router.patch('/staff/:id', (req, res) =>
    guarded(res, () => {
      const id = z.coerce.number().int().positive().safeParse(req.params.id);
      const body = patchBody.safeParse(req.body ?? {});
      if (!id.success) return void res.status(404).json({ error: 'no such account' });
      if (!body.success) return void fail(res, body.error);
      const change = Object.fromEntries(Object.entries(body.data).filter(([, v]) => v !== undefined));
      res.json(deps.staff.update(id.data, change, by(req)));
    }),
  );

  // Lifts the lock-out of an account after failed logins, for every address (audited by the service).
  router.post('/staff/:id/unlock', (req, res) =>
    guarded(res, () => {
      const id = z.coerce.number().int().positive().safeParse(req.params.id);
      if (!id.success) return void res.status(404).json({ error: 'no such account' });
      res.json(deps.staff.unlock(id.data, by(req)));
    }),
  );

  router.post('/staff/:id/password', (req, res) =>
    guarded(res, async () => {
      const body = passwordBody.safeParse(req.body ?? {});
      if (!body.success) return void fail(res, body.error);
      const account = deps.staff.list().find((a) => String(a.id) === req.params.id);
      if (!account) return void res.status(404).json({ error: 'no such account' });
      await deps.staff.setPassword(account.username, body.data.password, by(req));
      res.json({ ok: true });
    }),
  );

  return router;
}
