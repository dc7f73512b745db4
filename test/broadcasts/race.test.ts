import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPostRepository } from '../../src/broadcasts/post-repository.ts';
import { openDatabase } from '../../src/db/open.ts';
import { createUserRepository } from '../../src/users/user-repository.ts';
import { startFakeZalo, type FakeZalo } from '../../src/zalo/fake-zalo.ts';
import { CREDS, liveEnv, makeTempDir, removeTempDir, waitFor } from '../helpers/bot.ts';
import { killIfRunning, spawnBot, type BotProcess } from '../helpers/child.ts';
import { createRig, followerIds, receivedBy, type Rig } from './rig.ts';
import { repos } from '../helpers/repos.ts';

// Two schedulers on one database file: in one process (two connections, deterministic interleaving), and as two
// real bot processes racing on the same SQLite file.

let dir = '';
const rigs: Rig[] = [];
const children: BotProcess[] = [];
let fake: FakeZalo | undefined;
afterEach(async () => {
  for (const c of children.splice(0)) await killIfRunning(c);
  for (const r of rigs.splice(0)) await r.close();
  await fake?.close();
  fake = undefined;
  if (dir) removeTempDir(dir);
  dir = '';
});

describe('two schedulers, one database', () => {
  it('in one process: the post is claimed once and every follower gets it exactly once', async () => {
    dir = makeTempDir();
    fake = await startFakeZalo({ accessToken: CREDS.accessToken, refreshToken: CREDS.refreshToken, latencyMs: 2 });
    const a = await createRig({ dir, sharedFake: fake, start: '2025-03-10T09:00:00+07:00', concurrency: 4 });
    rigs.push(a);
    const b = await createRig({ dir, sharedFake: fake, clock: a.clock, concurrency: 4 });
    rigs.push(b);
    const ids = followerIds(150);
    a.addFollowers(ids);
    const posts = [a.addPost(), b.addPost({ title: 'second post' })];

    // Both tick together, then keep ticking while the other one is sending.
    const first = await Promise.all([a.broadcasts.tick(), b.broadcasts.tick()]);
    expect(first.flatMap((t) => t.started).sort()).toEqual(posts.sort());
    for (let i = 0; i < 20; i++) {
      const more = await Promise.all([b.broadcasts.tick(), a.broadcasts.tick()]);
      expect(more.flatMap((t) => t.started)).toEqual([]);
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all([a.broadcasts.idle(), b.broadcasts.idle()]);

    for (const id of posts) {
      expect(a.post(id).status).toBe('sent');
      expect(a.broadcasts.posts.history(id).filter((h) => h.action === 'started')).toHaveLength(1);
    }
    const perUser = receivedBy(fake);
    expect(perUser.size).toBe(150);
    expect([...perUser.values()].every((n) => n === 2)).toBe(true); // two posts, once each
    expect(fake.sent).toHaveLength(300);
  });

  it('as two processes racing on the same SQLite file: one message per follower', async () => {
    dir = makeTempDir();
    const dbPath = join(dir, 'bot.db');
    fake = await startFakeZalo({ accessToken: CREDS.accessToken, refreshToken: CREDS.refreshToken, latencyMs: 3 });
    const ids = followerIds(300, '84200');
    const db = openDatabase(dbPath);
    const users = createUserRepository(db);
    const now = Date.now();
    for (const id of ids) {
      users.setFollower(id, true, now - 86_400_000);
      users.touch(id, now - 3600_000);
    }
    const postId = createPostRepository(db).create(
      { title: 'race', body: 'Thông báo thử nghiệm.', imageUrl: null, linkUrl: null, mode: 'message', audienceTag: null, sendAt: now + 1500, status: 'scheduled', createdBy: 'test', approvedBy: 'test' },
      now,
    );
    db.close();

    const env = liveEnv(dbPath, {
      ZALO_API_BASE_URL: fake.url,
      ZALO_OAUTH_BASE_URL: fake.url,
      BROADCAST_TICK: '* * * * * *',
      BROADCAST_QUIET_HOURS: 'off',
      BROADCAST_RATE_PER_SEC: '150',
    });
    const one = spawnBot(env);
    const two = spawnBot(env);
    children.push(one, two);
    await Promise.all([one.url, two.url]);

    const reader = new Database(dbPath, { readonly: true });
    try {
      const { posts, deliveries } = repos(reader);
      const status = () => posts.get(postId)!.status as string;
      await waitFor('the post to be sent', () => status() === 'sent', 30_000);
      const owners = posts.history(postId).filter((h) => h.action === 'started').length;
      expect(owners).toBe(1);
      const counts = deliveries.counts(postId);
      expect(counts).toMatchObject({ sent: 300, unknown: 0, failed: 0, pending: 0 });
    } finally {
      reader.close();
    }
    const perUser = receivedBy(fake);
    expect([...perUser.keys()].sort()).toEqual(ids);
    expect([...perUser.values()].every((n) => n === 1)).toBe(true);
  });
});
