import type { Db } from '../../src/db/open.ts';
import type { RunningBot } from '../../src/main.ts';
import { createAuditLog, type AuditRow } from '../../src/admin/audit-log.ts';
import { createStaffRepository } from '../../src/admin/staff-repository.ts';
import { createQuestionLog } from '../../src/analytics/question-log.ts';
import { createFlowStore } from '../../src/bot/flow-store.ts';
import { createDeliveryRepository } from '../../src/broadcasts/delivery-repository.ts';
import { createPostRepository } from '../../src/broadcasts/post-repository.ts';
import { createFollowerRepository } from '../../src/followers/follower-repository.ts';
import { createPetitionRepository } from '../../src/petitions/petition-repository.ts';
import { createInboxRepository } from '../../src/queue/inbox-repository.ts';
import { createOutboxRepository } from '../../src/queue/outbox-repository.ts';
import { createUserRepository } from '../../src/users/user-repository.ts';
import { createTokenRepository } from '../../src/zalo/token-repository.ts';

/**
 * The product's own repositories over a test's database (the running bot's, or one opened by the test), so tests
 * read what the bot stored the way the bot reads it. Built lazily: a test pays only for the statements it uses.
 */
export function repos(source: RunningBot | Db) {
  const db = 'db' in source ? source.db : source;
  const once = <T>(make: (db: Db) => T) => {
    let made: T | undefined;
    return () => (made ??= make(db));
  };
  const inbox = once(createInboxRepository);
  const outbox = once(createOutboxRepository);
  const users = once(createUserRepository);
  const tokens = once(createTokenRepository);
  const petitions = once(createPetitionRepository);
  const posts = once(createPostRepository);
  const deliveries = once(createDeliveryRepository);
  const staff = once(createStaffRepository);
  const audit = once(createAuditLog);
  const questions = once(createQuestionLog);
  const flows = once(createFlowStore);
  const followers = once(createFollowerRepository);
  return {
    get inbox() { return inbox(); },
    get outbox() { return outbox(); },
    get users() { return users(); },
    get tokens() { return tokens(); },
    get petitions() { return petitions(); },
    get posts() { return posts(); },
    get deliveries() { return deliveries(); },
    get staff() { return staff(); },
    get audit() { return audit(); },
    get questions() { return questions(); },
    get flows() { return flows(); },
    get followers() { return followers(); },
  };
}

/** The whole audit log through its own reader, oldest line first. */
export function allAuditRows(source: RunningBot | Db): AuditRow[] {
  const { audit } = repos(source);
  const { total } = audit.list({}, 0, 0);
  return audit.list({}, total, 0).rows.reverse();
}
