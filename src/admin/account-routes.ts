import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import { AppError } from './app-error.ts';
import type { AuditLog } from './audit-log.ts';
import { dayRangeQuery, page, positiveId, validate, zaloUserId } from './request-schemas.ts';
import { staffMessage } from './staff-messages.ts';
import { STAFF_ROLES } from './staff-repository.ts';
import type { AuditActor, StaffService } from './staff-service.ts';

const PAGE_SIZE = 50;
const auditQuery = z.object({
  page,
  action: z.string().regex(/^[a-z.]{1,40}$/, staffMessage('zod.actionName')).optional(),
  actor: z.string().min(1).max(100).optional(),
  ...dayRangeQuery,
});
const createBody = z.strictObject({
  username: z.string().min(2).max(40),
  role: z.enum(STAFF_ROLES),
  password: z.string().min(1).max(200),
  displayName: z.string().trim().max(100).optional(),
  zaloUserId: zaloUserId.optional(),
});
const patchBody = z.strictObject({
  role: z.enum(STAFF_ROLES).optional(),
  displayName: z.string().trim().max(100).nullable().optional(),
  zaloUserId: zaloUserId.nullable().optional(),
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
/** The account of /staff/:id; an id that cannot be one is the same 404 as an unknown one. */
const accountId = (req: Request): number => {
  const id = positiveId.safeParse(req.params.id);
  if (!id.success) throw new AppError(404, 'account_not_found', staffMessage('accountNotFound', { account: String(req.params.id) }));
  return id.data;
};

/** Admin only (see the access policy): the audit log, and staff accounts. */
export function createAccountRouter(deps: AccountRoutesDeps): Router {
  const router = express.Router();

  router.get('/audit', (req, res) => {
    const { page, action, actor, from, to } = validate(auditQuery, req.query);
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

  router.post('/staff', async (req, res) => {
    const body = validate(createBody, req.body ?? {});
    res.status(201).json(await deps.staff.create(body, by(req)));
  });

  router.patch('/staff/:id', (req, res) => {
    const id = accountId(req);
    const body = validate(patchBody, req.body ?? {});
    const change = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
    res.json(deps.staff.update(id, change, by(req)));
  });

  // Lifts the lock-out of an account after failed logins, for every address (audited by the service).
  router.post('/staff/:id/unlock', (req, res) => {
    res.json(deps.staff.unlock(accountId(req), by(req)));
  });

  router.post('/staff/:id/password', async (req, res) => {
    const body = validate(passwordBody, req.body ?? {});
    const id = accountId(req);
    const account = deps.staff.list().find((a) => a.id === id);
    if (!account) throw new AppError(404, 'account_not_found', staffMessage('accountNotFound', { account: staffMessage('accountNumber', { id }) }));
    await deps.staff.setPassword(account.username, body.password, by(req));
    res.json({ ok: true });
  });

  return router;
}
