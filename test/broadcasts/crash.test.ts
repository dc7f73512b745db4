import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPostRepository } from '../../src/broadcasts/post-repository.ts';
import { openDatabase } from '../../src/db/open.ts';
import { createUserRepository } from '../../src/users/user-repository.ts';
import { startFakeZalo, type FakeZalo } from '../../src/zalo/fake-zalo.ts';
import { CREDS, liveEnv, makeTempDir, removeTempDir, waitFor } from '../helpers/bot.ts';
import { killIfRunning, spawnBot, type BotProcess } from '../helpers/child.ts';
import { followerIds, receivedBy } from './rig.ts';
import { deliveryRows, deliveryStatusCounts } from '../helpers/db-reads.ts';
import { repos } from '../helpers/repos.ts';

// kill -9 in the middle of a fan-out: the sender runs in a real bot process (src/main.ts under tsx), is killed with
// SIGKILL while messages are in flight, and a second process takes over on the same database.

let dir = '';
const children: BotProcess[] = [];
let fake: FakeZalo | undefined;
afterEach(async () => {
  for (const c of children.splice(0)) await killIfRunning(c);
  await fake?.close();
  fake = undefined;
  if (dir) removeTempDir(dir);
  dir = '';
});

describe('kill -9 during a fan-out', () => {
  it('after restart every follower has exactly one delivery or one unknown, and nobody got the post twice', async () => {
    dir = makeTempDir();
    const dbPath = join(dir, 'bot.db');
    // Slow answers keep about twenty sends in flight at any moment: the kill catches some of them mid-call.
    fake = await startFakeZalo({ accessToken: CREDS.accessToken, refreshToken: CREDS.refreshToken, latencyMs: 150 });
    const ids = followerIds(400, '84300');
    const db = openDatabase(dbPath);
    const users = createUserRepository(db);
    const now = Date.now();
    for (const id of ids) {
      users.setFollower(id, true, now - 86_400_000);
      users.touch(id, now - 3600_000);
    }
    const postId = createPostRepository(db).create(
      { title: 'crash', body: 'Thông báo thử nghiệm.', imageUrl: null, linkUrl: null, mode: 'message', audienceTag: null, sendAt: now, status: 'scheduled', createdBy: 'test', approvedBy: 'test' },
      now,
    );
    db.close();
    const env = liveEnv(dbPath, {
      ZALO_API_BASE_URL: fake.url,
      ZALO_OAUTH_BASE_URL: fake.url,
      BROADCAST_TICK: '* * * * * *',
      BROADCAST_QUIET_HOURS: 'off',
      BROADCAST_RATE_PER_SEC: '100',
    });

    const first = spawnBot(env);
    children.push(first);
    await first.url;
    await waitFor('the fan-out to be under way', () => fake!.sent.length >= 80, 20_000);
    first.proc.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const reader = new Database(dbPath, { readonly: true });
    try {
      const byStatus = () => deliveryStatusCounts(reader, postId);
      const atCrash = byStatus();
      const inFlight = atCrash.sending ?? 0;
      expect(inFlight).toBeGreaterThan(0); // the kill did catch sends in flight
      expect(atCrash.pending ?? 0).toBeGreaterThan(0); // and the fan-out was not finished

      const second = spawnBot(env);
      children.push(second);
      await second.url;
      const { posts } = repos(reader);
      const status = () => posts.get(postId)!.status as string;
      await waitFor('the post to finish after restart', () => ['sent', 'partially_sent', 'failed'].includes(status()), 30_000);

      // One ledger row per follower, each either delivered or unknown (in flight at the crash, never resent).
      const rows = deliveryRows(reader, postId);
      expect(rows.map((r) => r.recipient).sort()).toEqual(ids);
      const after = byStatus();
      expect(Object.keys(after).sort()).toEqual(['sent', 'unknown']);
      expect(after.unknown).toBe(inFlight);
      expect(after.sent).toBe(400 - inFlight);
      expect(status()).toBe('partially_sent');

      // Zalo (the fake) got at most one message per follower, and exactly one for every delivered row.
      const perUser = receivedBy(fake);
      expect([...perUser.values()].every((n) => n === 1)).toBe(true);
      for (const r of rows) if (r.status === 'sent') expect(perUser.get(r.recipient)).toBe(1);
      const history = posts.history(postId).map((h) => h.action);
      expect(history).toContain('taken_over');
    } finally {
      reader.close();
    }
  });
});
