import axios from 'axios';
import { join } from 'node:path';
import { createBroadcasts, BROADCAST_SEND_RETRY, type Broadcasts } from '../../src/broadcasts/create-broadcasts.ts';
import type { PostRow } from '../../src/broadcasts/post-repository.ts';
import { createFakeClock } from '../../src/clock.ts';
import type { BroadcastConfig } from '../../src/config.ts';
import { openDatabase, type Db } from '../../src/db/open.ts';
import { createUserRepository, type UserRepository } from '../../src/users/user-repository.ts';
import { createZaloClient } from '../../src/zalo/client.ts';
import { startFakeZalo, type FakeZalo, type FakeZaloOptions } from '../../src/zalo/fake-zalo.ts';
import { createTokenRepository } from '../../src/zalo/token-repository.ts';
import { createTokenManager } from '../../src/zalo/tokens.ts';
import { CREDS, FAST_RETRY, makeTempDir, silentLogger, ZALO_API, ZALO_OAUTH } from '../helpers/bot.ts';
import { deliveryRows } from '../helpers/db-reads.ts';

// The broadcasts feature as main.ts wires it (real repositories on a SQLite file, real sender and scheduler, the
// real Zalo client over HTTP), with a fake clock, and Zalo replaced by the local fake server or by nock.

export const TZ = 'Asia/Ho_Chi_Minh';
export const DAY = 24 * 3600_000;

export type FakeClock = ReturnType<typeof createFakeClock>;

export interface Rig {
  db: Db;
  dir: string;
  dbPath: string;
  clock: FakeClock;
  fake: FakeZalo | undefined;
  broadcasts: Broadcasts;
  users: UserRepository;
  /** Followers who wrote to the OA at `lastInteractionAt` (default: one hour before the clock). */
  addFollowers(ids: readonly string[], lastInteractionAt?: number | null): void;
  /** A post straight in the database (the admin API's checks are tested separately). */
  addPost(overrides?: Partial<{ title: string; body: string; imageUrl: string | null; linkUrl: string | null; mode: 'message' | 'article'; audienceTag: string | null; sendAt: string | number; status: 'draft' | 'scheduled' }>): number;
  post(id: number): PostRow;
  /** Ticks and waits for every fan-out the tick started. */
  tickAndWait(): Promise<void>;
  /** Delivery statuses by recipient. */
  ledger(postId: number): Map<string, string>;
  close(): Promise<void>;
}

export interface RigOptions {
  start?: string;
  config?: Partial<BroadcastConfig>;
  /** Options of the fake Zalo; false = Zalo at its real host, for nock. */
  fake?: FakeZaloOptions | false;
  /** Reuse an existing fake (two schedulers on one Zalo). */
  sharedFake?: FakeZalo;
  dir?: string;
  clock?: FakeClock;
  concurrency?: number;
  owner?: string;
  /** Timeout of one Zalo call (default 5 s). */
  timeoutMs?: number;
}

/** Builds the rig on a fresh (or given) database folder. */
export async function createRig(options: RigOptions = {}): Promise<Rig> {
  const dir = options.dir ?? makeTempDir();
  const dbPath = join(dir, 'bot.db');
  const clock = options.clock ?? createFakeClock(options.start ?? '2025-03-10T08:00:00+07:00');
  const ownFake = options.sharedFake === undefined && options.fake !== false;
  const fake = options.sharedFake ?? (options.fake === false ? undefined : await startFakeZalo({ accessToken: CREDS.accessToken, refreshToken: CREDS.refreshToken, ...options.fake }));
  const db = openDatabase(dbPath);
  const logger = silentLogger();
  const tokenRepo = createTokenRepository(db);
  tokenRepo.seed(CREDS.accessToken, CREDS.refreshToken, clock.now().getTime() + 25 * 3600_000);
  const http = axios.create();
  const apiBaseUrl = fake?.url ?? ZALO_API;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const tokens = createTokenManager({ repo: tokenRepo, http, oauthBaseUrl: fake?.url ?? ZALO_OAUTH, appId: CREDS.appId, appSecret: CREDS.appSecret, clock, logger, timeoutMs });
  const client = createZaloClient({ http, apiBaseUrl, tokens, logger, timeoutMs, retry: FAST_RETRY });
  const sendClient = createZaloClient({ http, apiBaseUrl, tokens, logger, timeoutMs, retry: BROADCAST_SEND_RETRY });
  const broadcasts = createBroadcasts({
    db,
    client,
    sendClient,
    clock,
    logger,
    config: { tick: '0 0 1 1 *', ratePerSec: 1000, quietHours: undefined, graceMinutes: 120, ...options.config },
    timeZone: TZ,
    unitName: 'Công an thành phố Cần Thơ',
    linkButtonTitle: 'Xem chi tiết',
    verifyDelayMs: 1,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.owner ? { owner: options.owner } : {}),
  });
  const users = createUserRepository(db);

  return {
    db,
    dir,
    dbPath,
    clock,
    fake,
    broadcasts,
    users,
    addFollowers(ids, lastInteractionAt) {
      const at = clock.now().getTime();
      for (const id of ids) {
        users.setFollower(id, true, at - 30 * DAY);
        if (lastInteractionAt !== null) users.touch(id, lastInteractionAt ?? at - 3600_000);
      }
    },
    addPost(o = {}) {
      const sendAt = typeof o.sendAt === 'number' ? o.sendAt : Date.parse(o.sendAt ?? '2025-03-10T09:00:00+07:00');
      return broadcasts.posts.create(
        {
          title: o.title ?? 'Dịch vụ công trực tuyến',
          body: o.body ?? 'Từ tháng 3/2025, người dân có thể nộp hồ sơ đăng ký thường trú trên Cổng dịch vụ công.',
          imageUrl: o.imageUrl ?? null,
          linkUrl: o.linkUrl ?? null,
          mode: o.mode ?? 'message',
          audienceTag: o.audienceTag ?? null,
          sendAt,
          status: o.status ?? 'scheduled',
          createdBy: 'test',
          approvedBy: o.status === 'draft' ? null : 'test',
        },
        clock.now().getTime(),
      );
    },
    post: (id) => broadcasts.posts.get(id)!,
    async tickAndWait() {
      await broadcasts.tick();
      await broadcasts.idle();
    },
    ledger(postId) {
      const rows = deliveryRows(db, postId);
      return new Map(rows.map((r) => [r.recipient, r.status]));
    },
    async close() {
      await broadcasts.stop();
      db.close();
      if (ownFake) await fake?.close();
    },
  };
}

/** Messages the fake received on /message/cs, by user id. */
export function receivedBy(fake: FakeZalo): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of fake.sent) {
    if (m.userId.startsWith('__')) continue;
    counts.set(m.userId, (counts.get(m.userId) ?? 0) + 1);
  }
  return counts;
}

/** Zalo-style user ids (strings, above 2^53). */
export function followerIds(n: number, prefix = '84100'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(14, '0')}`);
}
