import { join } from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import type { QuestionLog } from '../analytics/question-log.ts';
import type { DeliveryRepository } from '../broadcasts/delivery-repository.ts';
import type { PostRepository } from '../broadcasts/post-repository.ts';
import type { Clock } from '../clock.ts';
import type { StaffConsoleConfig } from '../config.ts';
import type { Db } from '../db/open.ts';
import { dayRange } from '../time.ts';
import type { ProcedureIndex } from '../procedures/search.ts';
import type { InboxRepository } from '../queue/inbox-repository.ts';
import type { OutboxRepository } from '../queue/outbox-repository.ts';
import type { TokenManager } from '../zalo/tokens.ts';
import { ACCESS_RULES } from './access-policy.ts';
import { createAccountRouter } from './account-routes.ts';
import { createAuditLog, type AuditLog } from './audit-log.ts';
import { createConsolePageRouter } from './console-page.ts';
import { createConsoleRouter } from './console-routes.ts';
import type { DashboardDeps } from './dashboard.ts';
import { createPasswordHasher, type ScryptCost } from './passwords.ts';
import { createPlanRouter } from './plan-routes.ts';
import { createLoginRouter, createSessionRouter } from './session-routes.ts';
import { createStaffGuard } from './staff-guard.ts';
import { createStaffRepository } from './staff-repository.ts';
import { createStaffService, type StaffService } from './staff-service.ts';
import { createStatsRepository } from './stats-repository.ts';

export interface StaffConsoleDeps {
  db: Db;
  clock: Clock;
  settings: StaffConsoleConfig;
  adminToken: string | undefined;
  timeZone: string;
  unitName: string;
  contentDir: string;
  posts: PostRepository;
  deliveries: DeliveryRepository;
  index: ProcedureIndex;
  questions: QuestionLog;
  tokens: Pick<TokenManager, 'status'>;
  inbox: Pick<InboxRepository, 'lastReceivedAt' | 'countPending'>;
  outbox: Pick<OutboxRepository, 'counts'>;
  /** The units feature's counts (for the dashboard). */
  unitCounts: DashboardDeps['units'];
  /** scrypt cost of new hashes: production's unless a test lowers it (StartOptions.passwordCost). */
  passwordCost?: ScryptCost | undefined;
}

/** The staff console's parts, for main.ts to mount around the feature routers. */
export interface StaffConsole {
  /** POST /session (login): mount on /admin/api before the guard. */
  loginRouter: Router;
  /** Session or bearer, CSRF, roles, audit: mount on /admin/api before every staff route. */
  guard: RequestHandler;
  /** The console's own API (session, dashboard, content, reports, plans, audit, accounts): after the guard. */
  apiRouter: Router;
  /** /admin and its static files. */
  pageRouter: Router;
  staff: StaffService;
  audit: AuditLog;
}

/** Builds the staff console from its dependencies. */
export function createStaffConsole(deps: StaffConsoleDeps): StaffConsole {
  const repo = createStaffRepository(deps.db);
  const audit = createAuditLog(deps.db);
  const hasher = createPasswordHasher(deps.passwordCost ? { cost: deps.passwordCost } : {});
  const staff = createStaffService({ repo, audit, clock: deps.clock, sessionHours: deps.settings.sessionHours, idleMinutes: deps.settings.idleMinutes, hasher });
  const stats = createStatsRepository(deps.db);
  const sessionDeps = {
    staff,
    repo,
    clock: deps.clock,
    cookieSecure: deps.settings.cookieSecure,
    timeZone: deps.timeZone,
    unitName: deps.unitName,
    petitionOverdueDays: deps.settings.petitionOverdueDays,
  };
  const apiRouter = express.Router();
  apiRouter.use(createSessionRouter(sessionDeps));
  apiRouter.use(
    createConsoleRouter({
      dashboard: { stats, posts: deps.posts, questions: deps.questions, tokens: deps.tokens, inbox: deps.inbox, outbox: deps.outbox, units: deps.unitCounts, overdueDays: deps.settings.petitionOverdueDays },
      report: { stats, posts: deps.posts, deliveries: deps.deliveries, procedureTitle: (id) => deps.index.get(id)?.title ?? id },
      questions: deps.questions,
      index: deps.index,
      clock: deps.clock,
      timeZone: deps.timeZone,
    }),
  );
  apiRouter.use(createPlanRouter({ posts: deps.posts, plansDir: join(deps.contentDir, 'plans'), clock: deps.clock, timeZone: deps.timeZone }));
  apiRouter.use(createAccountRouter({ staff, audit, dayRange: (from, to) => dayRange(from, to, deps.timeZone) }));
  return {
    loginRouter: createLoginRouter(sessionDeps),
    guard: createStaffGuard({ staff, audit, clock: deps.clock, adminToken: deps.adminToken, rules: ACCESS_RULES }),
    apiRouter,
    pageRouter: createConsolePageRouter(),
    staff,
    audit,
  };
}
