import { afterEach, describe, expect, it } from 'vitest';
import { removeTempDir } from '../helpers/bot.ts';
import { createRig, followerIds, type Rig } from './rig.ts';

// The sync against the fake Zalo over HTTP (GET /v3.0/oa/user/getlist, 50 per page).

let r: Rig | undefined;
afterEach(async () => {
  await r?.close();
  if (r) removeTempDir(r.dir);
  r = undefined;
});

describe('follower sync', () => {
  it('beyond Zalo\'s listing limit (offset 9951) the list is partial, and nobody is marked unfollowed', async () => {
    const listed = followerIds(10_060, '84700');
    r = await createRig({ fake: { followers: listed } });
    r.addFollowers(['8479999999999999999']); // a follower known from a follow event, beyond what Zalo lists
    const result = await r.broadcasts.syncFollowers();
    expect(result).toEqual({ total: 10_060, fetched: 10_000, added: 10_000, unfollowed: 0, complete: false });
    expect(r.users.get('8479999999999999999')!.is_follower).toBe(1);
    expect(r.fake!.apiCalls).toBe(200);
  }, 60_000);

  it('a user Zalo lists again after an unfollow event is a follower again; two concurrent syncs share one run', async () => {
    r = await createRig({ fake: { followers: ['8471000000000000001', '8471000000000000002'] } });
    r.addFollowers(['8471000000000000001']);
    r.users.setFollower('8471000000000000001', false, r.clock.now().getTime());
    const [a, b] = await Promise.all([r.broadcasts.syncFollowers(), r.broadcasts.syncFollowers()]);
    expect(a).toBe(b);
    expect(a).toMatchObject({ total: 2, fetched: 2, added: 2 });
    expect(r.users.get('8471000000000000001')!.is_follower).toBe(1);
    expect(r.fake!.apiCalls).toBe(1);
  });
});
