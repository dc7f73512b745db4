import type { Router } from 'express';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { BroadcastConfig } from '../config.ts';
import type { Db } from '../db/open.ts';
import { createFollowerRepository, type FollowerRepository } from '../followers/follower-repository.ts';
import { createFollowerSync, type FollowerSyncResult } from '../followers/follower-sync.ts';
import { createZaloArticles } from '../zalo/articles.ts';
import type { RetryPolicy, ZaloClient } from '../zalo/client.ts';
import { createBroadcastAdminRouter } from './admin-routes.ts';
import { createBroadcastScheduler, newOwnerId, type BroadcastScheduler, type TickResult } from './broadcast-scheduler.ts';
import { createBroadcastSender } from './broadcast-sender.ts';
import { createDeliveryRepository, type DeliveryRepository } from './delivery-repository.ts';
import { createPostRepository, type PostRepository } from './post-repository.ts';
import { createPostService, type PostService } from './post-service.ts';
import { createQuietHours } from './quiet-hours.ts';
import { createTokenBucket } from './token-bucket.ts';

/**
 * The retry policy of the client that sends broadcasts: none. A timed-out send may have been delivered, and the
 * ledger, not the HTTP client, decides what happens next (unknown, requeue, pause).
 */
export const BROADCAST_SEND_RETRY: RetryPolicy = { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 };

// Up to half a second of sends in flight (enough for Zalo's latency at the configured rate), capped: this is also
// the most deliveries a kill -9 can leave 'unknown'.
const concurrencyFor = (ratePerSec: number) => Math.min(64, Math.max(1, Math.ceil(ratePerSec / 2)));

export interface BroadcastsDeps {
  db: Db;
  /** Client with the platform's retries: follower sync, previews, article create/verify. */
  client: ZaloClient;
  /** Client without retries (BROADCAST_SEND_RETRY) for per-follower sends and the article broadcast. */
  sendClient: ZaloClient;
  clock: Clock;
  logger: Logger;
  config: BroadcastConfig;
  timeZone: string;
  unitName: string;
  /** Title of the link button under a message ("Xem chi tiết"). */
  linkButtonTitle: string;
  /** Overrides for tests: sends in flight, lease, scheduler identity, article verify pacing. */
  concurrency?: number;
  leaseMs?: number;
  owner?: string;
  verifyDelayMs?: number;
}

/** Scheduled CCHC broadcasts: repositories, sender, scheduler and the staff routes, wired together. */
export interface Broadcasts {
  adminRouter: Router;
  scheduler: BroadcastScheduler;
  service: PostService;
  posts: PostRepository;
  deliveries: DeliveryRepository;
  followers: FollowerRepository;
  syncFollowers(): Promise<FollowerSyncResult>;
  start(): void;
  tick(): Promise<TickResult>;
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** Builds the broadcasts feature from its dependencies; nothing runs until start(). */
export function createBroadcasts(deps: BroadcastsDeps): Broadcasts {
  const posts = createPostRepository(deps.db);
  const deliveries = createDeliveryRepository(deps.db);
  const followers = createFollowerRepository(deps.db);
  const quiet = createQuietHours(deps.config.quietHours, deps.timeZone);
  const leaseMs = deps.leaseMs ?? 60_000;
  // The scheduler claims posts and the sender claims deliveries under the same lease owner.
  const owner = deps.owner ?? newOwnerId();
  const sync = createFollowerSync({ client: deps.client, followers, clock: deps.clock, logger: deps.logger });
  const articleClient = createZaloArticles(deps.client);
  const broadcastClient = createZaloArticles(deps.sendClient);
  const sender = createBroadcastSender({
    posts,
    deliveries,
    sendClient: deps.sendClient,
    // create/verify may be retried (at worst an unpublished duplicate article); the broadcast itself may not.
    articles: { create: articleClient.create, verify: articleClient.verify, broadcast: broadcastClient.broadcast },
    bucket: createTokenBucket({ ratePerSec: deps.config.ratePerSec }),
    quiet,
    clock: deps.clock,
    logger: deps.logger,
    owner,
    leaseMs,
    concurrency: deps.concurrency ?? concurrencyFor(deps.config.ratePerSec),
    linkButtonTitle: deps.linkButtonTitle,
    articleAuthor: deps.unitName,
    ...(deps.verifyDelayMs !== undefined ? { verifyDelayMs: deps.verifyDelayMs } : {}),
  });
  const scheduler = createBroadcastScheduler({
    posts,
    sender,
    clock: deps.clock,
    logger: deps.logger,
    cron: deps.config.tick,
    timeZone: deps.timeZone,
    graceMs: deps.config.graceMinutes * 60_000,
    leaseMs,
    owner,
  });
  const service = createPostService({
    posts,
    deliveries,
    quiet,
    clock: deps.clock,
    logger: deps.logger,
    timeZone: deps.timeZone,
    client: deps.client,
    linkButtonTitle: deps.linkButtonTitle,
  });
  const syncFollowers = () => sync.run();
  return {
    adminRouter: createBroadcastAdminRouter({ service, followers, syncFollowers, clock: deps.clock }),
    scheduler,
    service,
    posts,
    deliveries,
    followers,
    syncFollowers,
    start: () => scheduler.start(),
    tick: () => scheduler.tick(),
    idle: () => scheduler.idle(),
    stop: () => scheduler.stop(),
  };
}
