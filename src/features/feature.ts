import type { Router } from 'express';

/** A job a feature runs on a schedule (node-cron expression in the app's time zone). */
export interface ScheduledJob {
  name: string;
  cron: string;
  /** Also run once at start (catch up after downtime). */
  runAtStart: boolean;
  run(): void;
}

/**
 * What a feature brings besides its conversation handlers: its staff API (mounted under /admin/api behind the staff
 * guard), the hook that erases a citizen's personal data it stores, and its scheduled jobs. src/main.ts composes them.
 */
export interface FeatureParts {
  name: string;
  adminRouter?: Router;
  erase?: (userId: string) => void;
  jobs?: ScheduledJob[];
}
