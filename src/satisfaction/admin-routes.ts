import express, { type Router } from 'express';
import { reportPeriod } from '../admin/request-schemas.ts';
import type { SatisfactionService } from './satisfaction-service.ts';

/** GET /admin/api/reports/satisfaction?period=2025-Q1: count, average and distribution of ratings. */
export function createSatisfactionAdminRouter(deps: { satisfaction: SatisfactionService; timeZone: string }): Router {
  const router = express.Router();
  router.get('/reports/satisfaction', (req, res) => {
    const range = reportPeriod(req.query.period ?? req.query.quarter, deps.timeZone);
    res.json({ period: range.key, ...deps.satisfaction.summary(range.from, range.to - 1) });
  });
  return router;
}
