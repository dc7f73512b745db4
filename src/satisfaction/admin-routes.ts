import express, { type Router } from 'express';
import { z } from 'zod';
import { parsePeriod } from '../time.ts';
import type { SatisfactionService } from './satisfaction-service.ts';

const query = z.object({ period: z.string().regex(/^\d{4}(-(Q[1-4]|H[12]))?$/i, 'use 2025-Q1, 2025-H1 or 2025') });

/** GET /admin/api/reports/satisfaction?period=2025-Q1: count, average and distribution of ratings. */
export function createSatisfactionAdminRouter(deps: { satisfaction: SatisfactionService; timeZone: string }): Router {
  const router = express.Router();
  router.get('/reports/satisfaction', (req, res) => {
    const q = query.safeParse({ period: req.query.period ?? req.query.quarter });
    if (!q.success) return void res.status(400).json({ error: 'invalid request', details: q.error.issues.map((i) => i.message) });
    const range = q.success ? parsePeriod(q.data.period, deps.timeZone) : undefined;
    if (!range) return void res.status(400).json({ error: 'invalid request', details: ['use a year between 2000 and 2100'] });
    res.json({ period: q.data.period.toUpperCase(), ...deps.satisfaction.summary(range.from, range.to - 1) });
  });
  return router;
}
