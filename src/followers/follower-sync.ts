import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { ZaloClient } from '../zalo/client.ts';
import type { FollowerRepository } from './follower-repository.ts';

// Zalo's follower list pages by 50 and refuses offsets above 9951 (zalo-oa-api.md §5): an OA with more followers
// cannot be listed in full, and then nobody is marked unfollowed (events keep those current instead).
const PAGE = 50;
const MAX_OFFSET = 9951;

/** What one sync did. */
export interface FollowerSyncResult {
  total: number;
  fetched: number;
  /** Ids Zalo lists that were not known as followers (follow events missed while the bot was down). */
  added: number;
  /** Known followers absent from a complete list. */
  unfollowed: number;
  /** True when every follower Zalo reports was listed. */
  complete: boolean;
}

export interface FollowerSyncDeps {
  client: Pick<ZaloClient, 'getFollowers'>;
  followers: FollowerRepository;
  clock: Clock;
  logger: Logger;
}

/** Reads Zalo's follower list (GET /v3.0/oa/user/getlist, 50 per page) into the users table. */
export function createFollowerSync(deps: FollowerSyncDeps): { run(): Promise<FollowerSyncResult> } {
  let running: Promise<FollowerSyncResult> | undefined;

  async function sync(): Promise<FollowerSyncResult> {
    const seen = new Set<string>();
    let total = 0;
    let added = 0;
    for (let offset = 0; offset <= MAX_OFFSET; offset += PAGE) {
      const page = await deps.client.getFollowers(offset, PAGE);
      total = page.total;
      const fresh = page.userIds.filter((id) => !seen.has(id));
      for (const id of fresh) seen.add(id);
      added += deps.followers.markFollowing(fresh, deps.clock.now().getTime());
      if (page.userIds.length < PAGE || offset + PAGE >= total) break;
    }
    const complete = seen.size >= total;
    let unfollowed = 0;
    if (complete) {
      unfollowed = deps.followers.markUnfollowedExcept(seen, deps.clock.now().getTime());
    } else {
      deps.logger.warn({ total, fetched: seen.size }, 'Zalo listed only part of the followers; nobody was marked unfollowed (follow/unfollow events keep the rest current)');
    }
    const result = { total, fetched: seen.size, added, unfollowed, complete };
    deps.logger.info(result, 'Follower sync finished');
    return result;
  }

  return {
    // Two syncs at once would race on the unfollowed marking: a second caller shares the first one's run.
    run() {
      running ??= sync().finally(() => {
        running = undefined;
      });
      return running;
    },
  };
}
