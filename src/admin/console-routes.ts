import express, { type Router } from 'express';
import { z } from 'zod';
import type { QuestionLog } from '../analytics/question-log.ts';
import type { Clock } from '../clock.ts';
import { STALE_AFTER_DAYS } from '../procedures/content-check.ts';
import type { ProcedureIndex } from '../procedures/search.ts';
import { localDate } from '../time.ts';
import { buildDashboard, type DashboardDeps } from './dashboard.ts';
import { buildReport, type ReportDeps } from './report.ts';
import { currentPeriodKey } from '../time.ts';
import { writeReportXlsx } from './report-xlsx.ts';
import { reportPeriod, validate } from './request-schemas.ts';

const DAY = 86_400_000;
const limitQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

export interface ConsoleRoutesDeps {
  dashboard: Omit<DashboardDeps, 'timeZone'>;
  report: Omit<ReportDeps, 'timeZone'>;
  questions: QuestionLog;
  index: ProcedureIndex;
  clock: Clock;
  timeZone: string;
}

/** GET /dashboard, /content/unanswered, /content/procedures, /reports/summary and its XLSX. */
export function createConsoleRouter(deps: ConsoleRoutesDeps): Router {
  const router = express.Router();
  const tz = deps.timeZone;

  router.get('/dashboard', (_req, res) => {
    res.json(buildDashboard({ ...deps.dashboard, timeZone: tz }, deps.clock.now()));
  });

  router.get('/content/unanswered', (req, res) => {
    const q = validate(limitQuery, req.query);
    // Most frequent first: what the content team should write next.
    const items = deps.questions.topUnanswered(q.limit).map((r) => ({
      text: r.normalized,
      count: r.count,
      firstSeenAt: new Date(r.first_seen_at).toISOString(),
      lastSeenAt: new Date(r.last_seen_at).toISOString(),
    }));
    res.json({ items });
  });

  router.get('/content/procedures', (_req, res) => {
    const today = localDate(deps.clock.now(), tz);
    const items = deps.index
      .all()
      .map((p) => {
        const ageDays = Math.floor((Date.parse(today) - Date.parse(p.verified_at)) / DAY);
        return { id: p.id, title: p.title, field: p.field, agency: p.agency, verifiedAt: p.verified_at, ageDays, stale: ageDays > STALE_AFTER_DAYS };
      })
      // Oldest checks first: the stale ones lead the list.
      .sort((a, b) => a.verifiedAt.localeCompare(b.verifiedAt) || a.title.localeCompare(b.title));
    res.json({ staleAfterDays: STALE_AFTER_DAYS, today, items });
  });

  const periodOf = (raw: unknown) => reportPeriod(raw ?? currentPeriodKey(deps.clock.now(), tz, 'quarter'), tz);

  router.get('/reports/summary', (req, res) => {
    const period = periodOf(req.query.period);
    res.json(buildReport({ ...deps.report, timeZone: tz }, period, deps.clock.now()));
  });

  router.get('/reports/summary.xlsx', async (req, res) => {
    const period = periodOf(req.query.period);
    const report = buildReport({ ...deps.report, timeZone: tz }, period, deps.clock.now());
    res.setHeader('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('content-disposition', `attachment; filename="bao-cao_${period.key}.xlsx"`);
    await writeReportXlsx(report, res);
    res.end();
  });

  return router;
}
