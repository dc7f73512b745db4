import express, { type Router } from 'express';
import { adminErrorHandler, adminNotFound } from './error-middleware.ts';
import type { StaffConsole } from './create-staff-console.ts';

/**
 * /admin/api: JSON bodies, the public login, the staff guard, the console's own routes, then each feature's staff
 * router; a path none of them answers is a 404, and every refusal or failure goes through the one error handler.
 */
export function createAdminApi(staffConsole: StaffConsole, routers: readonly Router[]): Router {
  const api = express.Router();
  api.use(express.json({ limit: '1mb' }), staffConsole.loginRouter, staffConsole.guard, staffConsole.apiRouter);
  for (const router of routers) api.use(router);
  api.use(adminNotFound);
  api.use(adminErrorHandler);
  return api;
}
