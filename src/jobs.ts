import cron from 'node-cron';
import type { Logger } from 'pino';
import type { ScheduledJob } from './features/feature.ts';

/** Scheduled jobs running on node-cron; `stop` ends them all. */
export interface ScheduledJobs {
  stop(): Promise<void>;
}

/**
 * Schedules each job in the unit's time zone (and runs it once at start when it asks to, to catch up after downtime).
 * A failing job is logged and runs again at its next time; it never stops the others.
 */
export function scheduleJobs(jobs: readonly ScheduledJob[], deps: { timeZone: string; logger: Logger }): ScheduledJobs {
  const tasks = jobs.map((job) => {
    const run = () => {
      try {
        job.run();
      } catch (err) {
        deps.logger.error({ job: job.name, err: (err as Error).message }, 'Scheduled job failed; it runs again at its next time');
      }
    };
    if (job.runAtStart) run();
    return cron.schedule(job.cron, run, { timezone: deps.timeZone, name: job.name });
  });
  return {
    async stop() {
      for (const task of tasks) await task.stop();
    },
  };
}
