import { createBroadcastChoiceHandlers, type BroadcastChoiceHandlers } from '../bot/handlers/broadcast-opt-out.ts';
import type { Db } from '../db/open.ts';
import { createFollowerRepository } from '../followers/follower-repository.ts';
import type { WholeMessageReplies } from '../text/lexicon.ts';
import type { FeatureParts } from './feature.ts';

export interface OptOutFeature extends FeatureParts {
  handlers: BroadcastChoiceHandlers;
}

/** "dừng nhận tin" / "nhận tin": a citizen's choice about CCHC broadcasts, stored with the follower. */
export function createOptOutFeature(deps: { db: Db; words: WholeMessageReplies }): OptOutFeature {
  const followers = createFollowerRepository(deps.db);
  return { name: 'broadcast-opt-out', handlers: createBroadcastChoiceHandlers({ followers, words: deps.words }), erase: (userId) => followers.forgetUser(userId) };
}
