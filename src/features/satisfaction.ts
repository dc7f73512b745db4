import { createSatisfactionHandlers, type SatisfactionHandlers } from '../bot/handlers/satisfaction.ts';
import type { Db } from '../db/open.ts';
import { createSatisfactionAdminRouter } from '../satisfaction/admin-routes.ts';
import { createSatisfactionService, type SatisfactionService } from '../satisfaction/satisfaction-service.ts';
import type { FeatureParts } from './feature.ts';

export interface SatisfactionFeature extends FeatureParts {
  service: SatisfactionService;
  handlers: SatisfactionHandlers;
}

/** The satisfaction index: one rating question a day at most, ratings kept without the user, reports for staff. */
export function createSatisfactionFeature(deps: { db: Db; secret: string; timeZone: string }): SatisfactionFeature {
  const service = createSatisfactionService(deps);
  return {
    name: 'satisfaction',
    service,
    handlers: createSatisfactionHandlers({ service }),
    adminRouter: createSatisfactionAdminRouter({ satisfaction: service, timeZone: deps.timeZone }),
    erase: (userId) => service.forgetUser(userId),
  };
}
