import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { createTask, type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { BroadcastSender } from './broadcast-sender.ts';
import type { PostRepository } from './post-repository.ts';

// node-cron only wakes the scheduler; what is due, who sends it and how far it got all live in SQLite. A tick that
// never comes (server down) is made up for at start-up, within the grace window.

const DEFAULT_LEASE_MS = 60_000;
const DEFAULT_STOP_GRACE_MS = 5_000;

/** What one tick did. */
export interface TickResult {
  missed: number[];
  started: number[];
}

export interface BroadcastScheduler {
  /** The lease owner id of this process: host, pid and a random part. */
  readonly owner: string;
  /** Starts the cron task and ticks once now (posts due while the server was down). */
  start(): void;
  /** Marks late posts missed and starts sending due ones; resolves once they are claimed (not sent). */
  tick(): Promise<TickResult>;
  /** Resolves when no post is being sent by this process. */
  idle(): Promise<void>;
  /** Stops ticking and sending; waits (bounded) for sends in flight, then gives up its leases. */
  stop(): Promise<void>;
}

export interface BroadcastSchedulerDeps {
  posts: PostRepository;
  sender: BroadcastSender;
  clock: Clock;
  logger: Logger;
  /** Cron expression (5 fields, or 6 with seconds). */
  cron: string;
  timeZone: string;
  graceMs: number;
  leaseMs?: number;
  stopGraceMs?: number;
  owner?: string;
}

/** `host:pid:random`: lets a restarted process on the same host see at once that a lease holder is gone. */
export function newOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** True when the owner ran on this host in a process that no longer exists (killed, crashed). */
export function ownerIsGone(owner: string): boolean {
  const m = /^(.*):(\d+):[^:]+$/.exec(owner);
  if (!m || m[1] !== hostname()) return false;
  const pid = Number(m[2]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** The broadcast scheduler: claims due posts under a lease and hands them to the sender. */
export function createBroadcastScheduler(deps: BroadcastSchedulerDeps): BroadcastScheduler {
  const owner = deps.owner ?? newOwnerId();
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const running = new Map<number, Promise<void>>();
  let task: ScheduledTask | undefined;
  let stopped = false;

  const canTakeOver = (holder: string | null, leaseUntil: number, now: number) => holder === null || leaseUntil < now || ownerIsGone(holder);

  function launch(postId: number, work: () => Promise<unknown>): void {
    const p = work()
      .then(() => undefined)
      .catch((err: Error) => deps.logger.error({ postId, err: err.message }, 'Broadcast run failed; the next tick resumes it'))
      .finally(() => running.delete(postId));
    running.set(postId, p);
  }

  async function tick(): Promise<TickResult> {
    const result: TickResult = { missed: [], started: [] };
    if (stopped) return result;
    const now = deps.clock.now().getTime();
    try {
      result.missed = deps.posts.markMissed(now - deps.graceMs, now);
      for (const id of result.missed) {
        deps.logger.warn({ postId: id }, 'Post missed: the server was down at its send time and the grace window has passed; reschedule or cancel it');
      }
      const claimed = deps.posts.claimDue({ now, owner, leaseMs, skip: new Set(running.keys()), canTakeOver });
      for (const { post, markedUnknown } of claimed) {
        if (markedUnknown > 0) deps.logger.warn({ postId: post.id, markedUnknown }, 'Took over a broadcast from a stopped process; its in-flight deliveries are unknown and will not be resent');
        result.started.push(post.id);
        launch(post.id, () => deps.sender.run(post));
      }
    } catch (err) {
      deps.logger.error({ err: (err as Error).message }, 'Broadcast tick failed; the next tick tries again');
    }
    return result;
  }

  return {
    owner,
    start() {
      if (task || stopped) return;
      task = createTask(deps.cron, () => tick(), {
        name: `broadcast-tick-${owner}`,
        timezone: deps.timeZone,
        noOverlap: true,
        logger: {
          info: (m) => deps.logger.debug({ cron: m }, 'cron'),
          warn: (m) => deps.logger.debug({ cron: m }, 'cron'),
          error: (m) => deps.logger.error({ cron: String(m) }, 'cron'),
          debug: () => undefined,
        },
      });
      void task.start();
      void tick();
    },
    tick,
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running.values()]);
    },
    async stop() {
      stopped = true;
      if (task) await task.destroy();
      task = undefined;
      deps.sender.stop();
      if (running.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        const grace = new Promise<'timeout'>((r) => {
          timer = setTimeout(() => r('timeout'), deps.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
        });
        const outcome = await Promise.race([Promise.allSettled([...running.values()]), grace]);
        clearTimeout(timer);
        if (outcome === 'timeout') deps.logger.warn('Stopping with broadcast sends in flight; they will show as unknown and are not resent');
      }
      try {
        // Released now, the posts resume at the next start instead of waiting for the lease to expire.
        deps.posts.releaseLeases(owner);
      } catch (err) {
        deps.logger.error({ err: (err as Error).message }, 'Could not release broadcast leases; they expire by themselves');
      }
    },
  };
}
